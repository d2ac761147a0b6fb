"""What assistance tells people, through the one notification service.

Kinds are declared in `AssistanceConfig.ready`. Titles name the measure and the student's
name only (group robots post titles): never a difficulty type or a counselling detail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jingzhun.assistance.models import Action, AssistancePlan, SubsidyApplication
from jingzhun.assistance.sensitivity import measure_sensitivity
from jingzhun.notifications.services import notify
from jingzhun.org.models import RoleAssignment, User
from jingzhun.org.roles import DepartmentKind, Role

ACTION_CLOSED = "assistance.action_closed"
ACTION_OVERDUE = "assistance.action_overdue"
ACTIONS_DUE = "assistance.actions_due"
PLAN_SUBMITTED = "assistance.plan_submitted"
PLAN_RETURNED = "assistance.plan_returned"
PLAN_APPROVED = "assistance.plan_approved"
SUBSIDY_MOVED = "assistance.subsidy_moved"
SUBSIDY_WAITING = "assistance.subsidy_waiting"
KINDS = {
    ACTION_CLOSED: _("Assistance action closed"),
    ACTION_OVERDUE: _("Assistance action overdue"),
    ACTIONS_DUE: _("Assistance actions due soon"),
    PLAN_SUBMITTED: _("Plan waiting for approval"),
    PLAN_RETURNED: _("Plan returned"),
    PLAN_APPROVED: _("Plan approved"),
    SUBSIDY_MOVED: _("Subsidy application moved"),
    SUBSIDY_WAITING: _("Subsidy application waiting"),
}

_CLOSED_TITLES: dict[str, Any] = {
    Action.Status.DONE: _("%(measure)s for %(student)s is done"),
    Action.Status.FAILED: _("%(measure)s for %(student)s could not be done"),
    Action.Status.CANCELLED: _("%(measure)s for %(student)s was cancelled"),
}


def _titled(action: Action) -> str:
    """The measure as a notification may name it: never one that reveals sensitive fields."""
    if measure_sensitivity(action.measure.department_kind, action.department.kind):
        return str(_("an assistance action"))
    return action.measure.name


def action_closed(action: Action) -> None:
    """The case owner (responsible person) learns how the action ended, and why."""
    owner = action.plan.case.responsible
    if owner is None:
        return
    names = {"measure": _titled(action), "student": action.student.name}
    body = _("Outcome: %(outcome)s. %(note)s") % {
        "outcome": action.get_outcome_display(), "note": action.close_note}  # fmt: skip
    notify(
        recipients=[owner], kind=ACTION_CLOSED, title=str(_CLOSED_TITLES[action.status]) % names,
        body=str(body), url=reverse("assistance:action-detail", args=[action.pk]),
        dedupe_key=f"{ACTION_CLOSED}:{action.pk}",
    )  # fmt: skip


def action_overdue(action: Action, *, recipients: Iterable[User]) -> None:
    title = _("Overdue: %(measure)s for %(student)s (due %(due)s)") % {
        "measure": _titled(action), "student": action.student.name,
        "due": action.due_date.isoformat()}  # fmt: skip
    notify(
        recipients=recipients, kind=ACTION_OVERDUE, title=str(title),
        url=reverse("assistance:action-detail", args=[action.pk]),
        dedupe_key=f"{ACTION_OVERDUE}:{action.pk}",
    )  # fmt: skip


def actions_due(
    person: User, *, count: int, first: list[Action], today: dt.date, days: int
) -> None:
    """The assignee's daily reminder of what falls due soon, with a link to those actions."""
    title = ngettext(
        "%(n)s assistance action is due within %(days)s days",
        "%(n)s assistance actions are due within %(days)s days", count,
    ) % {"n": count, "days": days}  # fmt: skip
    lines = [f"{_titled(a)} · {a.student.name} · {a.due_date.isoformat()}" for a in first]
    if count > len(first):
        lines.append(str(_("and %(n)s more") % {"n": count - len(first)}))
    url = (
        reverse("assistance:action-queue")
        + "?"
        + urlencode({"due": "week", "assignee": str(person.pk)})
    )
    notify(
        recipients=[person], kind=ACTIONS_DUE, title=str(title), body="\n".join(lines), url=url,
        dedupe_key=f"{ACTIONS_DUE}:{person.pk}:{today.isoformat()}",
    )  # fmt: skip


def plan_submitted(plan: AssistancePlan) -> None:
    """The officers of the student's school learn a plan waits for their approval."""
    officers = User.objects.filter(
        role_assignments__role=Role.SCHOOL_OFFICER,
        role_assignments__school_id=plan.student.school_id, is_active=True,
    ).distinct()  # fmt: skip
    notify(
        recipients=officers, kind=PLAN_SUBMITTED,
        title=str(_("The plan for %(student)s waits for approval") % {"student": plan.student.name}),
        url=reverse("assistance:plan-detail", args=[plan.pk]),
        dedupe_key=f"{PLAN_SUBMITTED}:{plan.pk}:{plan.updated_at.isoformat()}",
    )  # fmt: skip


def plan_returned(plan: AssistancePlan, *, reason: str) -> None:
    """The case owner learns the school sent the plan back, and why."""
    owner = plan.case.responsible
    if owner is None:
        return
    notify(
        recipients=[owner], kind=PLAN_RETURNED,
        title=str(_("The plan for %(student)s was returned") % {"student": plan.student.name}),
        body=str(_("Returned because: %(reason)s") % {"reason": reason}) if reason else "",
        url=reverse("assistance:plan-detail", args=[plan.pk]),
        dedupe_key=f"{PLAN_RETURNED}:{plan.pk}:{plan.updated_at.isoformat()}",
    )  # fmt: skip


def plans_approved(students: Iterable[User], *, approved_at: dt.datetime) -> None:
    """The students (their accounts) learn their plan was approved and are asked to read and
    acknowledge it in the portal: one notice each, in one call for a bulk approval. A student
    has one plan, so the approval's time tells one approval from the next."""
    notify(
        recipients=students, kind=PLAN_APPROVED,
        title=str(_("Your assistance plan was approved: please read and acknowledge it")),
        url=reverse("portal:plan"), dedupe_key=f"{PLAN_APPROVED}:{approved_at.isoformat()}",
    )  # fmt: skip


def subsidy_moved(application: SubsidyApplication) -> None:
    """The student learns each move of their application (in their portal). The policy is
    named in the body only: a group robot posts the title, and a subsidy of the priority
    groups says something about the family's finances."""
    student = application.student
    if student.user_id is None:
        return
    title = _("Your application is now: %(status)s") % {"status": application.get_status_display()}
    reason = application.reason if application.status in ("returned", "rejected") else ""
    body = " ".join(part for part in (application.policy.name, reason) if part)
    notify(
        recipients=User.objects.filter(pk=student.user_id), kind=SUBSIDY_MOVED, title=str(title),
        body=body, url=reverse("portal:subsidy-detail", args=[application.pk]),
        dedupe_key=f"{SUBSIDY_MOVED}:{application.pk}:{application.events.count()}",
    )  # fmt: skip


def _next_approvers(application: SubsidyApplication) -> Iterable[User]:
    roles = RoleAssignment.objects.filter(
        institution_id=application.policy.institution_id, is_active=True
    )
    status = application.status
    if status == SubsidyApplication.Status.SUBMITTED:
        roles = roles.filter(role=Role.SCHOOL_OFFICER, school_id=application.student.school_id)
    elif status == SubsidyApplication.Status.SCHOOL_APPROVED:
        roles = roles.filter(role=Role.EMPLOYMENT_OFFICE)
    elif status in (
        SubsidyApplication.Status.OFFICE_APPROVED,
        SubsidyApplication.Status.FINANCE_APPROVED,
    ):
        roles = roles.filter(role=Role.DEPARTMENT_STAFF, department__kind=DepartmentKind.AID)
    else:
        return User.objects.none()
    return User.objects.filter(pk__in=roles.values("user_id"), is_active=True)


def subsidy_waiting(application: SubsidyApplication) -> None:
    """Whoever takes the next step learns that an application waits for them."""
    approvers = list(_next_approvers(application))
    if not approvers:
        return
    # No student name: group robots post titles, and a subsidy of the priority groups says
    # something about the family's finances.
    title = _("A subsidy application waits for your step: %(policy)s") % {
        "policy": application.policy.name
    }
    notify(
        recipients=approvers, kind=SUBSIDY_WAITING, title=str(title),
        url=reverse("assistance:subsidy-detail", args=[application.pk]),
        dedupe_key=f"{SUBSIDY_WAITING}:{application.pk}:{application.events.count()}",
    )  # fmt: skip
