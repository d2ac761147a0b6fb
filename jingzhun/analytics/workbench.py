"""The per-role workbench (工作台): counts that link to filtered lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from jingzhun.analytics.permissions import OVERVIEW_ROLES
from jingzhun.assistance.workbench import todos_for
from jingzhun.identification import stats
from jingzhun.identification.models import Case
from jingzhun.identification.permissions import can_review
from jingzhun.identification.selectors import case_list
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.alerts.workbench import alert_todos


@dataclass(frozen=True)
class Tile:
    label: str
    value: int
    url: str


def cohort_tiles(actor: RoleAssignment | None) -> list[Tile]:
    """Enrolled and graduated students in scope, per cohort, newest first."""
    if actor is None or actor.role == Role.STUDENT:
        return []
    rows = (
        student_queryset(actor=actor).values("cohort").annotate(n=Count("pk")).order_by("-cohort")
    )
    base = reverse("students:list")
    return [
        Tile(
            label=str(row["cohort"]),
            value=row["n"],
            url=f"{base}?{urlencode({'cohort': row['cohort']})}",
        )
        for row in rows
    ]


def todo_tiles(actor: RoleAssignment | None) -> list[Tile]:
    """What needs this person now: candidates to review and exits to decide
    (identification), then plans to draft or approve and department actions (assistance)."""
    assistance = [Tile(label=str(t.label), value=t.value, url=t.url) for t in todos_for(actor)]
    assistance += [Tile(label=str(t.label), value=t.value, url=t.url) for t in alert_todos(actor)]
    if not can_review(actor):
        return assistance
    review = reverse("identification:review")
    return [
        Tile(
            label=str(_("Candidates to review")), value=case_list(actor=actor).count(), url=review
        ),
        Tile(
            label=str(_("Exits proposed")),
            value=case_list(actor=actor, status=Case.Status.EXIT_PROPOSED).count(),
            # The review queue holds candidates only: exits are decided from the case list.
            url=f"{reverse('casefile:case-list')}?status={Case.Status.EXIT_PROPOSED}",
        ),
        *assistance,
    ]


def overview_tiles(actor: RoleAssignment | None) -> list[Tile]:
    """The overview's key numbers for the roles that have it, each opening the overview
    counted the same way: flagged, open cases, confirmed, in assistance (two queries)."""
    if actor is None or actor.role not in OVERVIEW_ROLES:
        return []
    students = student_queryset(actor=actor)
    by_status = {
        row[stats.Dimension.STATUS]: row["n"]
        for row in stats.case_counts(
            students=students, by=(stats.Dimension.STATUS,), statuses=stats.OPEN
        )
    }
    overview = reverse("analytics:overview")

    def tile(label: Any, value: int, status: str = "") -> Tile:
        url = f"{overview}?{urlencode({'status': status})}" if status else overview
        return Tile(label=str(label), value=value, url=url)

    return [
        tile(_("Flagged"), stats.flagged_total(students=students)),
        tile(_("Open cases"), sum(by_status.values())),
        tile(_("Confirmed"), by_status.get(Case.Status.CONFIRMED, 0), Case.Status.CONFIRMED),
        tile(
            _("In assistance"),
            by_status.get(Case.Status.IN_ASSISTANCE, 0),
            Case.Status.IN_ASSISTANCE,
        ),
    ]


def workbench_for(actor: RoleAssignment | None) -> dict[str, Any]:
    own: Student | None = None
    if actor is not None and actor.role == Role.STUDENT:
        own = student_queryset(actor=actor).select_related("class_group", "major").first()
    return {
        "todo": todo_tiles(actor),
        "overview": overview_tiles(actor),
        "cohorts": cohort_tiles(actor),
        "own_student": own,
    }
