"""What assistance asks of a person now, as counts with the page that lists them.

The workbench (analytics, a later layer) shows these next to identification's to-dos; this
module only counts, through the same selectors as the pages, so a tile and its page agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions, selectors, subsidy_selectors
from jingzhun.org.models import RoleAssignment


@dataclass(frozen=True)
class Todo:
    label: str
    value: int
    url: str


def todos_for(actor: RoleAssignment | None) -> list[Todo]:
    if actor is None:
        return []
    todos = []
    if permissions.can_plan(actor):
        plan_list = reverse("assistance:plan-list")
        todos += [
            Todo(_("Cases waiting for a plan"), selectors.cases_without_plan(actor=actor).count(), plan_list),
            Todo(_("Plans not approved after %(n)s days") % {"n": selectors.STALL_DAYS},
                 selectors.stalled_plans(actor=actor).count(), plan_list),
        ]  # fmt: skip
    if permissions.can_approve(actor):
        queue = selectors.approval_queue(actor=actor, filters=selectors.ApprovalFilters())
        todos.append(
            Todo(_("Plans to approve"), queue.count(), reverse("assistance:approval-queue"))
        )
    if permissions.department_only(actor):
        base = reverse("assistance:action-queue")
        open_actions = selectors.action_queue(actor=actor, filters=selectors.QueueFilters())
        overdue = selectors.action_queue(actor=actor, filters=selectors.QueueFilters(due="overdue"))
        todos += [
            Todo(_("Open actions of my department"), open_actions.count(), base),
            Todo(_("Overdue actions"), overdue.count(), f"{base}?{urlencode({'due': 'overdue'})}"),
        ]
    return todos + _subsidy_todos(actor)


def _subsidy_todos(actor: RoleAssignment) -> list[Todo]:
    """Applications waiting for the actor's approval step (or payment, for finance)."""
    todos = []
    base = reverse("assistance:subsidy-queue")
    waiting = (
        [subsidy_selectors.default_status(actor)] if permissions.can_decide_subsidies(actor) else []
    )
    if permissions.is_finance(actor):
        waiting.append("finance_approved")
    for status in waiting:
        if status == subsidy_selectors.ALL:
            continue
        count = subsidy_selectors.application_queue(
            actor=actor, filters=subsidy_selectors.SubsidyFilters(status=status)).count()  # fmt: skip
        label = (
            _("Subsidy payments to record")
            if status == "finance_approved"
            else _("Subsidy applications to approve")
        )
        todos.append(Todo(label, count, f"{base}?{urlencode({'status': status})}"))
    return todos
