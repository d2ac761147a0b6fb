"""Scoped reads for the dashboards: who is counted, and the counts of the overview."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jingzhun.analytics import overview as ov
from jingzhun.analytics.permissions import OVERVIEW_ROLES
from jingzhun.identification import stats
from jingzhun.identification.case_selectors import types_for_filter
from jingzhun.identification.models import Case, Level
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.org.selectors import school_list
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset


def is_provincial(actor: RoleAssignment | None) -> bool:
    return actor is not None and actor.role == Role.PROVINCIAL_SUPERVISOR


def population(*, actor: RoleAssignment | None) -> QuerySet[Student]:
    """The students the overview counts: the actor's scope; for the provincial supervisor
    every institution's, which that role only ever sees as suppressed aggregates."""
    if is_provincial(actor):
        return Student.objects.all()
    if actor is None or actor.role not in OVERVIEW_ROLES:
        return Student.objects.none()
    return student_queryset(actor=actor)


def case_list_url(params: ov.Params) -> str:
    """The case list filtered as `params` says. Until the case file's list exists, the review
    queue (which reads only its own filters) stands in."""
    try:
        base = reverse("casefile:case-list")
    except NoReverseMatch:
        base = reverse("identification:review")
    return f"{base}?{urlencode(params, doseq=True)}" if params else base


def _groups(actor: RoleAssignment) -> list[tuple[str, str]]:
    if is_provincial(actor):
        rows = Institution.objects.order_by("code").values_list("pk", "short_name", "name")
        return [(str(pk), short or name) for pk, short, name in rows]
    schools = school_list(actor=actor).order_by("code").values_list("pk", "name")
    return [(str(pk), name) for pk, name in schools]


def counted_statuses(status: str) -> tuple[str, ...]:
    """The statuses the breakdowns count for the page's `status` choice ("" is every open
    case, like the case list); an unknown value counts the open cases."""
    return (status,) if status in ov.PIPELINE else ov.OPEN


def overview_counts(*, actor: RoleAssignment, status: str = "") -> ov.Counts:
    """The counts of the overview: a fixed number of queries, whatever the number of schools,
    institutions or students."""
    students = population(actor=actor)
    counted = counted_statuses(status)
    group_by = stats.Dimension.INSTITUTION if is_provincial(actor) else stats.Dimension.SCHOOL
    dim = stats.Dimension

    def counts(*by: stats.Dimension) -> list[dict[str, Any]]:
        return stats.case_counts(students=students, by=by, statuses=counted)

    trend = (stats.trend_by_month if is_provincial(actor) else stats.trend_by_run)(
        students=students
    )
    all_statuses = stats.case_counts(students=students, by=(dim.STATUS,), statuses=None)
    return ov.Counts(
        flagged=stats.flagged_total(students=students),
        statuses=_by(all_statuses, dim.STATUS),
        counted=counted,
        status_param=status if status in ov.PIPELINE else "",
        groups=_groups(actor),
        group_totals=_by(counts(group_by), group_by),
        cells={(str(r[group_by]), _key(r[dim.TYPE])): r["n"] for r in counts(group_by, dim.TYPE)},
        types=[(str(pk), name) for pk, name in stats.difficulty_types()],
        levels=_by(counts(dim.LEVEL), dim.LEVEL),
        cohorts={r[dim.COHORT]: r["n"] for r in counts(dim.COHORT)},
        population=stats.population_by_cohort(students=students),
        trend=[(p.key, p.label, p.flagged, p.new_cases) for p in trend],
        filterable=frozenset(str(pk) for pk, _name in types_for_filter(actor)),
    )


def _key(value: object) -> str:
    return ov.UNSET if value is None else str(value)


def _by(rows: list[dict[str, Any]], dimension: str) -> dict[str, int]:
    return {_key(r[dimension]): r["n"] for r in rows}


def status_choices() -> list[tuple[str, str]]:
    """The page's choice of what to count: every open case, or one status."""
    return [("", _("All open cases")), *((str(v), str(label)) for v, label in Case.Status.choices)]


def overview_labels() -> ov.Labels:
    return ov.Labels(
        statuses={str(value): str(label) for value, label in Case.Status.choices},
        levels={str(value): str(label) for value, label in Level.choices}
        | {ov.UNSET: _("No level")},
        flagged=_("Flagged"),
        untyped=_("No type"),
    )


def overview_get(*, actor: RoleAssignment, status: str = "") -> ov.Overview:
    provincial = is_provincial(actor)
    return ov.build(
        overview_counts(actor=actor, status=status),
        overview_labels(),
        link=None if provincial else case_list_url,
        suppressed=provincial,
    )
