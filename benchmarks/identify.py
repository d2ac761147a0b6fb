"""Identification at a million students: one run — feature snapshot, rules, model scoring,
reasons, signals and cases — against a per-student ORM loop on a subset, in the same process.

    python benchmarks/identify.py [--students 1000000] [--baseline 10000] [--database-url URL]

The registry is generated with plain dict rows through `jingzhun.core.bulk.insert_rows`
(academic results per finished term, screenings, hardship assessments, intentions,
internships, certificates, priority groups, disabilities), plus three small graduated
cohorts with destinations for training. A model is trained and approved (not timed), then:

- Jingzhun: `services.run_execute` over every enrolled student (timed end to end; the phases
  are timed again separately for the breakdown);
- baseline: the loop a first version would write — per student, query its records, build
  the features in Python, evaluate each rule, save each signal and case with `create()`,
  score the student with the model; then explain the top 10% one by one — over the
  `--baseline` students of one school, and our run over exactly that school for comparison.

Measured on the 2-core machine alone (load about 1.5), SQLite, defaults: 39.3 s end to end for
a million students (615,246 signals, 375,114 cases), 343x the loop's throughput on the
10,000-student school; the breakdown and history are in docs/risk-model.md. Timings on this
machine swing with its load and from day to day: compare runs made side by side.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import start_django

AS_OF = dt.date(2026, 11, 26)
ENROLLED = (2027, 2028, 2029)
GRADUATED = (2024, 2025, 2026)
SCHOOLS = 10


def _terms(entry: int, graduated: bool) -> list[str]:
    from jingzhun.identification.snapshot import _term_known_on

    codes = [f"{entry + y}-{entry + y + 1}-{h}" for y in range(3) for h in (1, 2)]
    return codes if graduated else [c for c in codes if _term_known_on(c) <= AS_OF]


def _students(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    return {
        "ability": rng.normal(size=n), "drive": rng.normal(size=n),
        "psych": rng.choice(3, size=n, p=(0.81, 0.15, 0.04)),
        "hardship": rng.choice(4, size=n, p=(0.7, 0.12, 0.12, 0.06)),
        "disabled": rng.random(n) < 0.01, "gender": rng.choice(["M", "F"], size=n),
        "rural": rng.random(n) < 0.7,
    }  # fmt: skip


def _records(
    rng: np.random.Generator,
    ids: np.ndarray,
    t: dict[str, np.ndarray],
    cohort: int,
    graduated: bool,
) -> dict[type, list[dict[str, Any]]]:
    """Rows per record model for one cohort; returns failed-course totals in t["failed"]."""
    from jingzhun.students import models as m

    entry, n = cohort - 3, len(ids)
    rows: dict[type, list[dict[str, Any]]] = {k: [] for k in (m.AcademicResult, m.PsychScreening,
        m.FamilyEconomicStatus, m.PriorityGroupEvidence, m.DisabilityRecord, m.Internship,
        m.Certificate, m.JobIntention)}  # fmt: skip
    t["failed"] = np.zeros(n, dtype=int)
    for term in _terms(entry, graduated):
        failed = rng.poisson(np.exp(-0.6 - 0.9 * t["ability"] + 0.5 * (t["psych"] == 2)))
        gpa = np.clip(2.8 + 0.5 * t["ability"] + rng.normal(0, 0.3, n), 0, 4).round(2)
        t["failed"] += failed
        rows[m.AcademicResult] += [
            {"student_id": int(i), "term": term, "failed_courses": int(f), "gpa": float(g),
             "credits_owed": float(2 * f), "academic_warning": int(min(3, f // 2))}
            for i, f, g in zip(ids, failed, gpa, strict=True)
        ]  # fmt: skip
    levels = np.array(["normal", "attention", "key"])[t["psych"]]
    rows[m.PsychScreening] = [{"student_id": int(i), "screened_on": dt.date(entry, 9, 20), "level": lv}
                              for i, lv in zip(ids, levels, strict=True)]  # fmt: skip
    hardship_levels = np.array(["none", "somewhat", "difficult", "special"])[t["hardship"]]
    for year in range(entry, min(cohort - 1, AS_OF.year) + 1):
        rows[m.FamilyEconomicStatus] += [
            {"student_id": int(i), "academic_year": f"{year}-{year + 1}", "level": lv,
             "assessed_on": dt.date(year, 10, 15)}
            for i, lv, h in zip(ids, hardship_levels, t["hardship"], strict=True) if h
        ]  # fmt: skip
    rows[m.PriorityGroupEvidence] = [{"student_id": int(i), "group": "minimum_living", "valid_from": dt.date(entry, 6, 1)}
                                     for i in ids[(t["hardship"] >= 2) & (rng.random(n) < 0.35)]]  # fmt: skip
    rows[m.DisabilityRecord] = [
        {"student_id": int(i), "category": "physical", "grade": 3} for i in ids[t["disabled"]]
    ]
    final = graduated or cohort == ENROLLED[0]
    t["internship"] = final & (rng.random(n) < 1 / (1 + np.exp(-(1.6 + 0.7 * t["drive"]))))
    rows[m.Internship] = [{"student_id": int(i), "employer_name": "郑州某企业", "start_date": dt.date(cohort - 1, 9, 20)}
                          for i in ids[t["internship"]]]  # fmt: skip
    certificates = rng.poisson(np.exp(-0.4 + 0.3 * t["ability"]))
    rows[m.Certificate] = [{"student_id": int(i), "name": f"证书{c}", "kind": "vocational", "issued_on": dt.date(entry + 1, 6, 20)}
                           for i, k in zip(ids, certificates, strict=True) for c in range(min(k, 3))]  # fmt: skip
    t["not_yet"] = final & (rng.random(n) < 1 / (1 + np.exp(2.4 + 0.7 * t["drive"])))
    rows[m.JobIntention] = [{"student_id": int(i), "recorded_on": dt.date(cohort - 1, 10, 20), "plan": "not_yet" if ny else "employment"}
                            for i, ny in zip(ids, t["not_yet"], strict=True)] if final else []  # fmt: skip
    return rows


def make_registry(students: int, subset: int, graduates: int) -> tuple[Any, Any, int]:
    """The college: `students` enrolled (the first school holds exactly `subset` of them)."""
    from django.db import transaction

    from jingzhun.core.bulk import insert_rows
    from jingzhun.org.models import ClassGroup, Institution, Major, RoleAssignment, School, User
    from jingzhun.org.roles import Role
    from jingzhun.students.models import GraduateDestination, Student

    rng = np.random.default_rng(2026)
    institution = Institution.objects.create(code="4141019999", name="百万学生学院")
    officer = RoleAssignment.objects.create(user=User.objects.create(username="officer"),
                                            role=Role.EMPLOYMENT_OFFICE, institution=institution)  # fmt: skip
    schools = [
        School.objects.create(institution=institution, code=f"S{s}", name=f"学院{s}")
        for s in range(SCHOOLS)
    ]
    majors = [Major.objects.create(school=s, moe_code=f"51{k:02d}01", name=f"专业{k}", level="zhuanke")
              for k, s in enumerate(schools)]  # fmt: skip
    shares = [subset] + [(students - subset) // (SCHOOLS - 1)] * (SCHOOLS - 1)
    shares[-1] += students - sum(shares)
    plan = [(c, False, major, n // 3 + (c == ENROLLED[0]) * (n % 3)) for major, n in zip(majors, shares, strict=True)
            for c in ENROLLED] + [(c, True, majors[1], graduates) for c in GRADUATED]  # fmt: skip
    serial = 0
    for cohort, graduated, major, n in plan:
        group = ClassGroup.objects.create(major=major, name=f"{major.name}{cohort}", cohort=cohort)
        traits = _students(rng, n)
        with transaction.atomic():
            first = serial
            insert_rows(Student, ({
                "institution_id": institution.pk, "school_id": major.school_id, "major_id": major.pk,
                "class_group_id": group.pk, "cohort": cohort, "entry_year": cohort - 3,
                "student_number": f"{serial + k:08d}", "name": f"同学{serial + k}", "gender": traits["gender"][k],
                "hukou_type": "rural" if traits["rural"][k] else "urban", "education_level": "zhuanke",
                "status": "graduated" if graduated else "enrolled",
            } for k in range(n)))  # fmt: skip
            serial += n
            ids = np.array(list(Student.objects.filter(class_group=group).order_by("student_number")
                                .values_list("id", flat=True)))  # fmt: skip
            assert len(ids) == serial - first
            for model, rows in _records(rng, ids, traits, cohort, graduated).items():
                insert_rows(model, rows)
            if graduated:
                z = -3.2 + 0.25 * traits["failed"] + 1.2 * (traits["psych"] == 2) + 0.9 * ~traits["internship"] \
                    + 1.0 * traits["not_yet"] + 0.4 * (traits["hardship"] >= 2)  # fmt: skip
                placed = rng.random(len(ids)) >= 1 / (1 + np.exp(-z))
                insert_rows(GraduateDestination, ({"student_id": int(i), "code_id": "11" if p else "70",
                                                   "recorded_on": dt.date(cohort, 6 if p else 8, 15)}
                                                  for i, p in zip(ids, placed, strict=True)))  # fmt: skip
    return institution, officer, schools[0].pk


def run_ours(institution: Any, officer: Any, school_id: int | None = None) -> tuple[float, Any]:
    from jingzhun.identification import services
    from jingzhun.identification.models import IdentificationRun

    run = IdentificationRun.objects.create(institution=institution, as_of=AS_OF, started_by=officer.user,
                                           school_id=school_id)  # fmt: skip
    started = time.perf_counter()
    run = services.run_execute(run_id=run.pk)
    return time.perf_counter() - started, run


def phases(institution: Any) -> dict[str, float]:
    """The run's steps timed one by one (read-only: nothing is written)."""
    from jingzhun.identification import risk
    from jingzhun.identification.models import IdentificationRun
    from jingzhun.identification.selectors import risk_model_active, risk_model_artifact
    from jingzhun.identification.services import runs
    from jingzhun.identification.snapshot import feature_frame

    run = IdentificationRun(institution=institution, as_of=AS_OF)
    timings: dict[str, float] = {}
    started = time.perf_counter()
    frame = feature_frame(runs._population(run), as_of=AS_OF)
    timings["feature snapshot (registry reads)"] = time.perf_counter() - started
    started = time.perf_counter()
    signals = runs._rule_signals(runs._active_rules(run), frame)
    timings[f"rules + explanations ({len(signals):,} hits)"] = time.perf_counter() - started
    started = time.perf_counter()
    artifact = risk_model_artifact(risk_model_active(institution_id=institution.pk))  # type: ignore[arg-type]
    probability = artifact.model.predict_proba(risk.model_inputs(frame))
    timings[f"model scoring ({len(probability):,} students)"] = time.perf_counter() - started
    started = time.perf_counter()
    explained = risk.flagged_reasons(artifact.model, frame, 0.1)
    timings[f"score + explain top 10% ({len(explained):,})"] = time.perf_counter() - started
    return timings


def _features(student: Any) -> dict[str, Any]:
    """One student's features, the straightforward way: a query per record table."""
    from jingzhun.identification.snapshot import _term_known_on
    from jingzhun.students import models as m

    results = [r for r in m.AcademicResult.objects.filter(student=student).order_by("term")
               if _term_known_on(r.term) <= AS_OF]  # fmt: skip
    econ = m.FamilyEconomicStatus.objects.filter(student=student).order_by("-academic_year").first()
    psych = (
        m.PsychScreening.objects.filter(student=student, screened_on__lte=AS_OF)
        .order_by("-screened_on")
        .first()
    )
    intention = (
        m.JobIntention.objects.filter(student=student, recorded_on__lte=AS_OF)
        .order_by("-recorded_on")
        .first()
    )
    return {
        "failed_courses_last2": float(sum(r.failed_courses for r in results[-2:])),
        "failed_courses_total": float(sum(r.failed_courses for r in results)),
        "gpa_latest": float(results[-1].gpa) if results and results[-1].gpa is not None else None,
        "credits_owed": float(results[-1].credits_owed) if results else None,
        "academic_warning": max((r.academic_warning for r in results), default=None),
        "economic_level": econ.level if econ else None, "psych_level": psych.level if psych else None,
        "intention_plan": intention.plan if intention else "",
        "priority_groups": m.PriorityGroupEvidence.objects.filter(student=student).count(),
        "internships": m.Internship.objects.filter(student=student, start_date__lte=AS_OF).count(),
        "certificates": m.Certificate.objects.filter(student=student).count(),
        "has_disability": m.DisabilityRecord.objects.filter(student=student).exists(),
        "years_to_graduation": max(0, student.cohort - AS_OF.year - (AS_OF.month >= 7)),
        "rural": student.hukou_type == "rural",
    }  # fmt: skip


_OPS = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
        "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "in": lambda a, b: a in b, "not_in": lambda a, b: a not in b,
        "between": lambda a, b: b[0] <= a <= b[1], "is_true": lambda a, b: bool(a), "is_false": lambda a, b: not a}  # fmt: skip


def _holds(condition: dict[str, Any], row: dict[str, Any]) -> bool:
    if "all" in condition:
        return all(_holds(c, row) for c in condition["all"])
    if "any" in condition:
        return any(_holds(c, row) for c in condition["any"])
    value = row[condition["field"]]
    return value is not None and _OPS[condition["op"]](value, condition.get("value"))


def run_baseline(institution: Any, officer: Any, school_id: int) -> tuple[float, int]:
    """The per-student loop, same outputs in the same tables (signals, cases, case events)."""
    import pandas as pd

    from jingzhun.identification import risk
    from jingzhun.identification import rules as rule_engine
    from jingzhun.identification.models import (
        Case,
        CaseEvent,
        DifficultyType,
        IdentificationRun,
        Signal,
    )
    from jingzhun.identification.selectors import risk_model_active, risk_model_artifact
    from jingzhun.identification.services.runs import _active_rules
    from jingzhun.students.models import Student

    started = time.perf_counter()
    run = IdentificationRun.objects.create(
        institution=institution, as_of=AS_OF, started_by=officer.user, school_id=school_id
    )
    rules = _active_rules(run)
    model = risk_model_artifact(risk_model_active(institution_id=institution.pk)).model  # type: ignore[arg-type]
    model_type = DifficultyType.objects.get(code="model_risk")
    scored, signals = [], 0
    for student in Student.objects.filter(school_id=school_id, status="enrolled"):
        row = _features(student)
        for rule in rules:
            if _holds(rule.condition, row):
                text = rule_engine.explain(rule.condition, row)
                Signal.objects.create(run=run, student=student, rule=rule, difficulty_type=rule.difficulty_type,
                                      level=rule.level, explanation=text)  # fmt: skip
                case, new = Case.objects.get_or_create(
                    student=student, status="candidate", defaults={"opened_run": run}
                )
                case.types.add(rule.difficulty_type)
                if new:
                    CaseEvent.objects.create(case=case, to_status="candidate")
                signals += 1
        one = pd.DataFrame([row], index=[student.pk])
        scored.append((float(model.predict_proba(risk.model_inputs(one))[0]), student, one))
    scored.sort(key=lambda item: -item[0])
    for _, student, one in scored[: max(1, len(scored) // 10)]:
        reasons = risk.explanation(risk.flagged_reasons(model, one, 1.0)[0])
        Signal.objects.create(
            run=run, student=student, difficulty_type=model_type, level=2, explanation=reasons
        )
        signals += 1
    return time.perf_counter() - started, signals


def _forget_runs() -> None:
    from jingzhun.identification.models import Case, IdentificationRun

    Case.objects.all().delete()
    IdentificationRun.objects.all().delete()  # and their signals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=10_000)
    parser.add_argument("--graduates", type=int, default=6_000, help="per graduated cohort")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    start_django(database_url=args.database_url)
    from django.db import connection

    from jingzhun.identification import services

    started = time.perf_counter()
    institution, officer, subset_school = make_registry(
        args.students, args.baseline, args.graduates
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(
        f"database: {connection.vendor}; registry generated in {time.perf_counter() - started:.0f} s"
    )
    services.rules_seed_defaults(actor=officer, effective_from=AS_OF)
    started = time.perf_counter()
    model = services.risk_model_train(actor=officer, institution=institution, as_of=AS_OF)
    services.risk_model_approve(actor=officer, model=model)
    v = model.metrics["validation"]
    print(f"model trained in {time.perf_counter() - started:.1f} s on {model.metrics['rows']:,} rows; "
          f"newest cohort ROC-AUC {v['roc_auc']:.3f}, PR-AUC {v['pr_auc']:.3f}")  # fmt: skip

    # The subset first, each side starting with no signals and no cases: our run over that
    # school only, then the loop over the same students.
    small, small_run = run_ours(institution, officer, school_id=subset_school)
    _forget_runs()
    loop, loop_signals = run_baseline(institution, officer, subset_school)
    _forget_runs()
    print(f"subset of {small_run.students:,}: Jingzhun {small:.2f} s ({small_run.signal_count:,} signals), "
          f"per-student loop {loop:.1f} s ({loop_signals:,} signals): {loop / small:.0f}x")  # fmt: skip
    steps = phases(institution)
    total, run = run_ours(institution, officer)
    print(f"Jingzhun run, {run.students:,} students: {total:.1f} s end to end "
          f"({run.students / total:,.0f} students/s); {run.signal_count:,} signals, {run.new_cases:,} cases")  # fmt: skip
    for label, seconds in steps.items():
        print(f"  {label:48} {seconds:7.2f} s")
    explained = next(
        seconds for label, seconds in steps.items() if label.startswith("score + explain")
    )
    rest = total - sum(
        seconds for label, seconds in steps.items() if not label.startswith("model scoring")
    )
    print(f"  {'writing signals, cases, types, events (rest)':48} {rest:7.2f} s"
          f"  [model: {explained:.1f} s of which pred_contrib is most]")  # fmt: skip
    per_student_loop = loop / small_run.students
    print(f"throughput: Jingzhun {run.students / total:,.0f} students/s at {run.students:,}; loop "
          f"{1 / per_student_loop:,.0f} students/s → {per_student_loop * run.students / total:.0f}x "
          f"(the loop would take {per_student_loop * run.students / 60:,.0f} min for all)")  # fmt: skip


if __name__ == "__main__":
    main()
