"""The data-quality selector (去向核查): the live registrations in scope with the checks they
fail. The facts come from a fixed handful of grouped queries, whatever the number of rows;
`checks` decides. Nothing here changes a record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jingzhun.jobs.models import Employer
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.tracking.contacts import with_last_contact
from jingzhun.tracking.destinations import checks
from jingzhun.tracking.destinations.models import DestinationEvidence, DestinationRegistration
from jingzhun.tracking.destinations.reference import Evidence
from jingzhun.tracking.destinations.selectors import LIVE, registration_queryset
from jingzhun.tracking.destinations.wages import minimum_wage


@dataclass(frozen=True)
class QualityFilters:
    cohort: int | None = None
    school: int | None = None
    rule: str = ""


@dataclass(frozen=True)
class Issue:
    registration: DestinationRegistration
    rules: list[checks.Rule]
    facts: checks.Facts


def _evidence(ids: list[int], today: dt.date) -> dict[int, tuple[set[str], set[str], bool]]:
    found: dict[int, tuple[set[str], set[str], bool]] = defaultdict(lambda: (set(), set(), False))
    rows = DestinationEvidence.objects.filter(registration_id__in=ids).values_list(
        "registration_id", "kind", "valid_until", "original_name"
    )
    for reg, kind, valid_until, name in rows:
        kinds, expired, internship = found[reg]
        kinds.add(kind)
        if valid_until is not None and valid_until < today:
            expired.add(kind)
        internship = internship or kind == Evidence.INTERNSHIP_CERTIFICATE or "实习" in name
        found[reg] = (kinds, expired, internship)
    return found


def _shares(
    institution_id: int, cohort_ids: set[int]
) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[int, tuple[int, int]]]:
    """Placed and self-reported (75/76) live registrations per (cohort, school) and per cohort,
    over the whole institution: a school is compared with the institution, not the viewer's scope."""
    live = DestinationRegistration.objects.filter(
        student__institution_id=institution_id, student__cohort__in=cohort_ids, status__in=LIVE
    ).exclude(code__category="not_placed")
    # Codes 75 and 76 and their refinements, by the category the code table gives them.
    self_reported = Q(code__category__in=("self_employed", "freelance"))
    rows = live.values("student__cohort", "student__school_id").annotate(
        placed=Count("student", distinct=True),
        own=Count("student", filter=self_reported, distinct=True),
    )
    per_school = {
        (r["student__cohort"], r["student__school_id"]): (r["placed"], r["own"]) for r in rows
    }
    per_cohort: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for (cohort, _school), (placed, own) in per_school.items():
        total = per_cohort[cohort]
        per_cohort[cohort] = (total[0] + placed, total[1] + own)
    return per_school, per_cohort


def _credit_uses(
    institution_id: int, codes: set[str]
) -> tuple[dict[tuple[int, str], int], set[str]]:
    rows = (
        DestinationRegistration.objects.filter(
            student__institution_id=institution_id, credit_code__in=codes, status__in=LIVE
        )
        .values("student__cohort", "credit_code")
        .annotate(n=Count("student", distinct=True))
    )
    uses = {(r["student__cohort"], r["credit_code"]): r["n"] for r in rows}
    vetted = set(
        Employer.objects.filter(
            institution_id=institution_id, credit_code__in=codes, vetting=Employer.Vetting.VERIFIED
        ).values_list("credit_code", flat=True)
    )
    return uses, vetted


def quality_issues(*, actor: RoleAssignment, filters: QualityFilters) -> list[Issue]:
    """The live registrations in the actor's scope that fail a check, oldest first."""
    if actor.institution_id is None:
        return []
    qs = registration_queryset(actor=actor).filter(status__in=LIVE)
    if filters.cohort:
        qs = qs.filter(student__cohort=filters.cohort)
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    return _issues(qs, institution_id=actor.institution_id, rule=filters.rule)


def institution_quality_issues(*, institution_id: int) -> list[Issue]:
    """Every failing live registration of one institution, whoever looks: the daily alert
    check's view (the alert goes to the student's owner, whose scope holds the student)."""
    qs = DestinationRegistration.objects.filter(
        student__institution_id=institution_id, status__in=LIVE
    )
    return _issues(qs, institution_id=institution_id, rule="")


def _issues(
    qs: QuerySet[DestinationRegistration], *, institution_id: int, rule: str
) -> list[Issue]:
    rows = list(
        qs.select_related("student__school", "student__class_group", "code").order_by(
            "created_at", "pk"
        )
    )
    if not rows:
        return []
    today = timezone.localdate()
    evidence = _evidence([r.pk for r in rows], today)
    per_school, per_cohort = _shares(institution_id, {r.student.cohort for r in rows})
    uses, vetted = _credit_uses(institution_id, {r.credit_code for r in rows if r.credit_code})
    contacted = set(
        with_last_contact(Student.objects.filter(pk__in={r.student_id for r in rows}))
        .filter(last_contact_on__isnull=False)  # type: ignore[misc]  # the annotation
        .values_list("pk", flat=True)
    )
    rules = [checks.RULES_BY_ID[rule]] if rule in checks.RULES_BY_ID else list(checks.RULES)
    issues = []
    for row in rows:
        kinds, expired, internship = evidence.get(row.pk, (set(), set(), False))
        placed, own = per_school.get((row.student.cohort, row.student.school_id), (0, 0))
        all_placed, all_own = per_cohort.get(row.student.cohort, (0, 0))
        facts = checks.Facts(
            code=row.code_id, monthly_wage=row.monthly_wage,
            minimum_wage=minimum_wage(row.region_code, settings.MINIMUM_WAGE_OVERRIDES) if row.region_code else None,
            evidence_kinds=frozenset(kinds), expired_kinds=frozenset(expired),
            credit_code=row.credit_code, credit_code_uses=uses.get((row.student.cohort, row.credit_code), 0),
            employer_vetted=row.credit_code in vetted,
            school_share=own / placed if placed else 0.0, school_placed=placed,
            institution_share=all_own / all_placed if all_placed else 0.0,
            internship_evidence=internship, contacts=1 if row.student_id in contacted else 0,
            by_staff=row.source == DestinationRegistration.Source.STAFF,
        )  # fmt: skip
        failed = checks.failing(facts, rules)
        if failed:
            issues.append(Issue(registration=row, rules=failed, facts=facts))
    return issues
