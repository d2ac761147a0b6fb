"""Approving many submitted plans at once (a school officer's 批量审批), set-based: the same
status moves, history events and audit rows as `plans.plan_approve` plan by plan, and the
approved versions' items routed in a few statements (`routing.actions_route_many`).

All or none: the plans are locked and checked first (the approver's own school, submitted);
if any is refused, nothing is written and the refusals come back per student. A plan that was
revised after an earlier approval already has actions: it is reconciled plan by plan
(`actions_sync_for_plan`), as a single approval does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance import notices, permissions
from jingzhun.assistance.models import Action, AssistancePlan, PlanEvent, PlanVersion
from jingzhun.assistance.services.actions import actions_sync_for_plan
from jingzhun.assistance.services.drafting import chunks
from jingzhun.assistance.services.routing import actions_route_many
from jingzhun.assistance.transitions import PLAN_TABLE
from jingzhun.core.audit import AuditEntry, audit_log_many
from jingzhun.core.bulk import insert_columns, write_cache
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment, User

# One request approves this many at most; the page offers the plans of one page or filter.
APPROVE_MAX = 2000
APPROVED = AssistancePlan.Status.APPROVED
CHANGED = ["approved_at", "approved_by", "approved_version", "return_reason", "status"]


@dataclass(frozen=True)
class Refusal:
    plan_id: int
    student: str  # name and student number, or "—" for a plan that no longer exists
    message: str


@dataclass(frozen=True)
class ApproveManyResult:
    approved: int
    routed: int = 0  # actions created
    refusals: list[Refusal] = field(default_factory=list)


class _Refused(Exception):
    pass


def plans_approve_many(
    *, actor: RoleAssignment, plan_ids: Iterable[int], request: HttpRequest | None = None
) -> ApproveManyResult:
    permissions.require(permissions.can_approve(actor))
    ids = sorted(set(plan_ids))
    if not ids:
        return ApproveManyResult(0)
    if len(ids) > APPROVE_MAX:
        return ApproveManyResult(0, 0, [Refusal(0, "—", _("At most %(max)s plans at once.")
                                                % {"max": APPROVE_MAX})])  # fmt: skip
    try:
        with transaction.atomic(), write_cache():
            plans, accounts, refusals = _checked(actor, ids)
            if refusals:
                raise _Refused
            approved_at = _approve(actor, plans, request=request)
            routed = _route(actor, [pk for pk, _name in plans])
            notices.plans_approved(User.objects.filter(pk__in=accounts), approved_at=approved_at)
    except _Refused:
        return ApproveManyResult(0, 0, refusals)
    return ApproveManyResult(len(plans), routed)


def _checked(
    actor: RoleAssignment, ids: list[int]
) -> tuple[list[tuple[int, str]], list[int], list[Refusal]]:
    """The plans to approve (locked) as (id, student) with their students' accounts, or the
    refusals, in the order `plan_approve` checks: the approver's school, then the move."""
    plans: list[tuple[int, str]] = []
    accounts: list[int] = []
    refusals: list[Refusal] = []
    for chunk in chunks(ids):
        rows = list(
            AssistancePlan.objects.select_for_update(of=("self",)).filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", "status", "student__school_id", "student__name", "student__student_number",
                         "student__user_id")
        )  # fmt: skip
        if len(rows) != len(chunk):
            refusals.append(Refusal(0, "—", _("Some of these plans no longer exist.")))
        for pk, status, school_id, name, number, account in rows:
            student = f"{name}（{number}）"
            if school_id != actor.school_id:
                refusals.append(Refusal(pk, student, _("This student is not of your school.")))
                continue
            try:
                PLAN_TABLE.check(status, APPROVED)
            except DomainError as exc:
                refusals.append(Refusal(pk, student, exc.message))
                continue
            plans.append((pk, student))
            if account is not None:
                accounts.append(account)
    return plans, accounts, refusals


def _approve(
    actor: RoleAssignment, plans: list[tuple[int, str]], *, request: HttpRequest | None
) -> dt.datetime:
    """Move the plans to approved; returns the approval's time."""
    now = timezone.now()
    newest = PlanVersion.objects.filter(plan=OuterRef("pk")).order_by("-number")
    label = APPROVED.label
    for chunk in chunks([pk for pk, _student in plans]):
        AssistancePlan.objects.filter(pk__in=chunk).update(
            status=APPROVED, approved_at=now, approved_by=actor.user, return_reason="",
            approved_version=Subquery(newest.values("pk")[:1]), updated_at=now,
        )  # fmt: skip
        # Ascending, so each plan's newest version number is the one the dict keeps.
        numbers = dict(
            PlanVersion.objects.filter(plan_id__in=chunk).order_by("plan_id", "number")
            .values_list("plan_id", "number")
        )  # fmt: skip
        insert_columns(PlanEvent, {"plan_id": list(chunk), "version": [numbers.get(pk) for pk in chunk]},
                       constants={"actor_id": actor.user_id, "from_status": AssistancePlan.Status.SUBMITTED,
                                  "to_status": APPROVED, "note": ""})  # fmt: skip
    audit_log_many(
        actor=actor.user, action=AuditLog.Action.UPDATE, request=request, role=actor.role,
        fields=CHANGED,
        entries=(AuditEntry(AssistancePlan._meta.label_lower, pk, f"{student} · {label}", {"to": APPROVED})
                 for pk, student in plans),
    )  # fmt: skip
    return now


def _route(actor: RoleAssignment, plan_ids: list[int]) -> int:
    """First approvals are routed set-based; re-approvals after a revision reconcile."""
    routed_before: set[int] = set()
    for chunk in chunks(plan_ids):
        routed_before |= set(
            Action.objects.filter(plan_id__in=chunk).values_list("plan_id", flat=True).distinct()
        )
    created = actions_route_many(
        plan_ids=[pk for pk in plan_ids if pk not in routed_before], by=actor.user
    )
    for plan in AssistancePlan.objects.filter(pk__in=sorted(routed_before)).select_related(
        "approved_version", "student"
    ):
        assert plan.approved_version is not None  # set just above
        created += len(
            actions_sync_for_plan(plan=plan, version=plan.approved_version, by=actor.user)
        )
    return created
