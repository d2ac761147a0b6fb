"""The assistance stage's lines of a student's case file: the plan's versions and steps, and
each action from routing to its outcome.

Department staff read only their own department's actions (not the plan, which may name
other help); the student reads their plan once approved and how each action ended, without
staff notes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions, records, subsidy_selectors
from jingzhun.assistance.models import (
    Action,
    ActionEvent,
    AssistancePlan,
    PlanEvent,
    PlanVersion,
    SubsidyEvent,
)
from jingzhun.assistance.sensitivity import label_items
from jingzhun.assistance.transitions import ACTION_TABLE, SUBSIDY_TABLE
from jingzhun.core.timeline import TimelineEntry
from jingzhun.identification.case_selectors import openable
from jingzhun.org.models import RoleAssignment, User
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

STAGE = "assistance"


def _name(user: User | None) -> str:
    return (user.display_name or user.username) if user is not None else ""


def entries_for(*, actor: RoleAssignment | None, student: Student) -> list[TimelineEntry]:
    if actor is None or not student_queryset(actor=actor).filter(pk=student.pk).exists():
        return []
    if actor.role == Role.STUDENT:
        return _student_entries(student) + _subsidy_entries(actor, student)
    actions = Action.objects.filter(student=student).select_related("measure", "department")
    allowed = openable(actor)
    if permissions.department_only(actor):
        own = actions.filter(department_id=actor.department_id or 0)
        return _action_entries(own, linked=True, allowed=allowed) + _record_entries(
            actor, own, linked=True
        )
    readers = permissions.can_plan(actor) or permissions.can_approve(actor)
    linked = readers or actor.role in permissions.OVERSIGHT_ROLES
    return (
        _plan_entries(student, linked=linked, allowed=allowed)
        + _action_entries(actions, linked=linked, allowed=allowed)
        + _record_entries(actor, actions, linked=linked)
        + _subsidy_entries(actor, student)
    )


def _subsidy_entries(actor: RoleAssignment, student: Student) -> list[TimelineEntry]:
    """Each step of the student's subsidy applications, for those who read them (staff: the
    page is linked; the student: their own, without staff notes)."""
    own = actor.role == Role.STUDENT
    events = SubsidyEvent.objects.filter(
        application__in=subsidy_selectors.applications_of(actor=actor, student=student)
    ).select_related("application__policy", "actor")
    return [
        TimelineEntry(
            when=e.at, stage=STAGE, kind="subsidy_event",
            title=_("%(policy)s: %(status)s") % {"policy": e.application.policy.name,
                                                 "status": SUBSIDY_TABLE.label(e.to_status)},
            detail="" if own and e.to_status not in ("returned", "rejected") else e.note,
            actor_name="" if own else _name(e.actor),
            link="" if own else reverse("assistance:subsidy-detail", args=[e.application_id]),
        )
        for e in events
    ]  # fmt: skip


def _record_entries(
    actor: RoleAssignment, actions: QuerySet[Action], *, linked: bool
) -> list[TimelineEntry]:
    """Records of the actions: confidential ones only as the fact for readers without access
    (their content read here is audited by `records.shown`)."""
    entries = []
    for record in records.records_of_actions(actor=actor, actions=actions):
        link = reverse("assistance:action-detail", args=[record.action_id]) if linked else ""
        entries.append(TimelineEntry(
            when=records.when(record),
            stage=STAGE, kind="record", title=records.title(record), detail=record.shown_content,
            actor_name="" if record.restricted else _name(record.author),
            sensitivity=record.sensitivity, restricted=record.restricted, link=link,
        ))  # fmt: skip
    return entries


def _plan_title(event: PlanEvent) -> str:
    if not event.from_status:
        return _("Plan drafted from the playbooks")
    if event.to_status == AssistancePlan.Status.DRAFT:
        if event.from_status == AssistancePlan.Status.SUBMITTED:
            return _("Plan returned by the school")
        return _("Plan reopened for revision")
    titles: dict[str, Any] = {
        AssistancePlan.Status.SUBMITTED: _("Plan submitted for approval"),
        AssistancePlan.Status.APPROVED: _("Plan approved"),
        AssistancePlan.Status.ACKNOWLEDGED: _("Plan acknowledged by the student"),
    }
    return str(titles.get(event.to_status, event.to_status))


def _plan_entries(
    student: Student, *, linked: bool, allowed: frozenset[str]
) -> list[TimelineEntry]:
    entries = []
    plans = AssistancePlan.objects.filter(student=student)
    for event in PlanEvent.objects.filter(plan__in=plans).select_related("actor"):
        link = reverse("assistance:plan-detail", args=[event.plan_id]) if linked else ""
        entries.append(TimelineEntry(
            when=event.at, stage=STAGE, kind="plan_event", title=_plan_title(event),
            detail=event.note, actor_name=_name(event.actor), link=link,
        ))  # fmt: skip
    versions = PlanVersion.objects.filter(plan__in=plans, number__gt=1).select_related("author")
    for version in versions.prefetch_related("items__measure"):
        entries.append(TimelineEntry(
            when=version.created_at, stage=STAGE, kind="plan_version",
            title=_("Plan version %(n)s saved") % {"n": version.number},
            detail="、".join(i.shown_name for i in label_items(version.items.all(), allowed=allowed)),
            actor_name=_name(version.author),
            link=reverse("assistance:plan-detail", args=[version.plan_id]) if linked else "",
        ))  # fmt: skip
    return entries


def _action_title(action: Action, event: ActionEvent) -> str:
    names = {"measure": action.shown_name, "department": action.shown_department}
    if not event.from_status:
        return _("%(measure)s routed to %(department)s") % names
    if event.from_status == event.to_status:
        return _("%(measure)s: %(note)s") % {**names, "note": event.note}
    return _("%(measure)s: %(status)s") % {**names, "status": ACTION_TABLE.label(event.to_status)}


def _action_entries(
    actions: QuerySet[Action], *, linked: bool, allowed: frozenset[str]
) -> list[TimelineEntry]:
    entries = []
    for action in label_items(actions.prefetch_related("events__actor"), allowed=allowed):
        for event in action.events.all():
            closing = event.to_status != event.from_status and event.to_status in (
                "done",
                "failed",
                "cancelled",
            )
            detail = f"{action.get_outcome_display()}：{event.note}" if closing else ""
            entries.append(TimelineEntry(
                when=event.at, stage=STAGE, kind="action_event", title=_action_title(action, event),
                detail=detail, actor_name=_name(event.actor),
                link=reverse("assistance:action-detail", args=[action.pk]) if linked else "",
            ))  # fmt: skip
    return entries


def _student_entries(student: Student) -> list[TimelineEntry]:
    entries = []
    for plan in AssistancePlan.objects.filter(student=student):
        if plan.approved_at:
            entries.append(TimelineEntry(when=plan.approved_at, stage=STAGE, kind="plan_event",
                                         title=_("Your assistance plan was approved")))  # fmt: skip
        if plan.acknowledged_at:
            entries.append(TimelineEntry(when=plan.acknowledged_at, stage=STAGE, kind="plan_event",
                                         title=_("You confirmed you have read your plan")))  # fmt: skip
    closed = Action.objects.filter(student=student, closed_at__isnull=False).select_related(
        "measure"
    )
    for action in closed:
        assert action.closed_at is not None
        entries.append(TimelineEntry(
            when=action.closed_at, stage=STAGE, kind="action_event",
            title=_("%(measure)s: %(status)s") % {"measure": action.measure.name,
                                                 "status": ACTION_TABLE.label(action.status)},
        ))  # fmt: skip
    return entries
