"""Helpers of the alert and batch tests: an approved plan of student A with its actions."""

from __future__ import annotations

from typing import Any

from jingzhun.assistance.models import AssistancePlan
from jingzhun.assistance.services import plans
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert


def approved_plan(college: Any, **case_kwargs: Any) -> AssistancePlan:
    case = confirmed_case(college, **case_kwargs)
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=case)
    plans.plan_submit(actor=owner, plan=plan)
    return plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)


def unclosed(kind: str) -> list[Alert]:
    return list(Alert.objects.filter(kind=kind).exclude(state=Alert.State.CLOSED).order_by("pk"))


def reconcile(kind: str, today: Any) -> Any:
    from jingzhun.tracking.alerts.services import alerts_reconcile

    return alerts_reconcile(kind=checks.kind_of(kind), today=today)
