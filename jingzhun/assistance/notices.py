"""What assistance tells people, through the one notification service.

Kinds are declared in `AssistanceConfig.ready`. Titles name the measure and the student's
name only (group robots post titles): never a difficulty type or a counselling detail.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jingzhun.assistance.models import Action
from jingzhun.assistance.sensitivity import measure_sensitivity
from jingzhun.notifications.services import notify
from jingzhun.org.models import User

ACTION_CLOSED = "assistance.action_closed"
ACTION_OVERDUE = "assistance.action_overdue"
KINDS = {
    ACTION_CLOSED: _("Assistance action closed"),
    ACTION_OVERDUE: _("Assistance action overdue"),
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
