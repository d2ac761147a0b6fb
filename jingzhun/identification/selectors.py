"""Scoped reads: the review queue, the runs and the risk models of an institution."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from jingzhun.data import ml
from jingzhun.identification import rules as rule_engine
from jingzhun.identification.defaults import MODEL_TYPE
from jingzhun.identification.models import (
    Case,
    DifficultyType,
    IdentificationRun,
    RiskModel,
    Rule,
    Signal,
)
from jingzhun.identification.risk import artifact_from_zip
from jingzhun.identification.snapshot import feature_frame
from jingzhun.org.access import can_open
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Sensitivity, field_access
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset


def case_list(
    *,
    actor: RoleAssignment | None,
    status: str = Case.Status.CANDIDATE,
    class_group: int | None = None,
) -> QuerySet[Case]:
    qs = Case.objects.filter(student__in=student_queryset(actor=actor), status=status)
    if class_group:
        qs = qs.filter(student__class_group_id=class_group)
    return (
        qs.select_related("student__class_group", "responsible")
        .prefetch_related("types")
        .order_by("level", "student__class_group__name", "student__student_number")
    )


def case_get(*, actor: RoleAssignment | None, pk: int) -> Case:
    return Case.objects.select_related("student").get(
        pk=pk, student__in=student_queryset(actor=actor)
    )


@dataclass(frozen=True)
class ShownSignal:
    type_name: str
    level: int
    explanation: str
    restricted: bool


def latest_signals(
    *, actor: RoleAssignment, student_ids: list[int]
) -> dict[int, list[ShownSignal]]:
    """Each student's signals from their latest run; restricted ones say only that they exist."""
    allowed = field_access(actor.role, actor.department_kind)
    rows = (
        Signal.objects.filter(student_id__in=student_ids)
        .select_related("difficulty_type")
        .order_by("student_id", "-run_id", "level")
    )
    latest_run: dict[int, int] = {}
    shown: dict[int, list[ShownSignal]] = defaultdict(list)
    for signal in rows:
        run = latest_run.setdefault(signal.student_id, signal.run_id)
        if signal.run_id != run:
            continue
        restricted = bool(signal.sensitivity) and signal.sensitivity not in allowed
        shown[signal.student_id].append(ShownSignal(
            type_name=signal.difficulty_type.name, level=signal.level,
            explanation="" if restricted else signal.explanation, restricted=restricted,
        ))  # fmt: skip
    return shown


def run_list(*, actor: RoleAssignment | None) -> QuerySet[IdentificationRun]:
    if actor is None or actor.institution_id is None:
        return IdentificationRun.objects.none()
    return IdentificationRun.objects.filter(institution_id=actor.institution_id).select_related(
        "started_by", "school", "risk_model"
    )


def risk_model_list(*, actor: RoleAssignment | None) -> QuerySet[RiskModel]:
    if actor is None or actor.institution_id is None:
        return RiskModel.objects.none()
    return RiskModel.objects.filter(institution_id=actor.institution_id).select_related(
        "trained_by", "approved_by"
    )


def risk_model_active(*, institution_id: int) -> RiskModel | None:
    return RiskModel.objects.filter(
        institution_id=institution_id, status=RiskModel.Status.APPROVED
    ).first()


def risk_model_artifact(model: RiskModel) -> ml.ModelArtifact:
    """The stored model itself (a small zip: the booster text and its manifest)."""
    with model.artifact.open("rb") as handle:
        return artifact_from_zip(handle.read())


def staff_types() -> QuerySet[DifficultyType]:
    """The difficulty types a person may assign (a rule, a manual addition): all but the
    risk model's own."""
    return DifficultyType.objects.exclude(code=MODEL_TYPE)


# What a student may name as their difficulty: not the model's internal flag (a student never
# sees model scores), and not "long-term unemployed after leaving school", which an enrolled
# applicant cannot be.
NOT_SELF_APPLICABLE = frozenset({MODEL_TYPE, "long_term_unemployed"})


def self_application_types() -> QuerySet[DifficultyType]:
    """The difficulty types a student may choose from, in the office's seeded order: those a
    person may assign (`staff_types`) less the ones an applicant cannot name."""
    return staff_types().exclude(code__in=NOT_SELF_APPLICABLE).order_by("pk")


def rule_list(*, actor: RoleAssignment | None) -> QuerySet[Rule]:
    """The institution's rules, current versions first, each name's history after it."""
    if actor is None or actor.institution_id is None:
        return Rule.objects.none()
    return (
        Rule.objects.filter(institution_id=actor.institution_id)
        .select_related("difficulty_type", "author")
        .order_by("-is_active", "difficulty_type__code", "level", "name", "-version")
    )


@dataclass(frozen=True)
class RulePreview:
    """What a rule would flag today among the enrolled students the actor may see."""

    population: int
    hits: int
    by_cohort: list[tuple[int, int]]
    by_school: list[tuple[str, int]]
    sample: list[tuple[Student, str]]
    explanations_shown: bool
    sensitivity: Sensitivity | None  # of the fields the rule reads


def rule_preview(
    *, actor: RoleAssignment, condition: dict[str, Any], as_of: dt.date, sample_size: int = 20
) -> RulePreview:
    """Evaluate `condition` over a fresh snapshot (the same engine a run uses). A rule that
    reads fields the actor may not open (psychological, health, family finance) previews as
    a count only: who it flags, and where, would tell what those fields hold."""
    population = student_queryset(actor=actor).filter(status=Student.Status.ENROLLED)
    frame = feature_frame(population, as_of=as_of)
    hits = frame[rule_engine.evaluate(condition, frame)]
    sensitivity = rule_engine.sensitivity_of(condition)
    shown = can_open(actor, sensitivity)
    if not shown:
        return RulePreview(population=len(frame), hits=len(hits), by_cohort=[], by_school=[],
                           sample=[], explanations_shown=False, sensitivity=sensitivity)  # fmt: skip
    hit = set(hits.index.tolist())
    cohorts: dict[int, int] = defaultdict(int)
    schools: dict[str, int] = defaultdict(int)
    numbers: list[tuple[str, int]] = []
    rows = population.values_list("pk", "cohort", "school__name", "student_number")
    for pk, cohort, school, number in rows.iterator():
        if pk in hit:
            cohorts[cohort] += 1
            schools[school] += 1
            numbers.append((number, pk))
    first = [pk for _number, pk in heapq.nsmallest(sample_size, numbers)]
    students = Student.objects.filter(pk__in=first).select_related("class_group")
    texts = rule_engine.explain_frame(condition, hits.loc[first]) if first else None
    return RulePreview(
        population=len(frame), hits=len(hit), by_cohort=sorted(cohorts.items()),
        by_school=sorted(schools.items(), key=lambda item: -item[1]),
        sample=[(s, str(texts[s.pk]) if texts is not None else "")
                for s in sorted(students, key=lambda s: s.student_number)],
        explanations_shown=True, sensitivity=sensitivity,
    )  # fmt: skip
