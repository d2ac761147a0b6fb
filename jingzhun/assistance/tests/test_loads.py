"""The open-action counts (`ActionLoad`) that the queue's total and workload panel read stay
equal to counting the actions, whatever writes them; lost triggers are recreated and recounted."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Coalesce

from jingzhun.assistance.loads import loads_install, trigger_names
from jingzhun.assistance.models import Action, ActionLoad
from jingzhun.assistance.services import actions
from jingzhun.assistance.services.drafting import plans_draft_many
from jingzhun.assistance.services.routing import actions_route_many
from jingzhun.assistance.tests.helpers import department_staff, school_officer_b
from jingzhun.assistance.tests.test_actions import approved_plan
from jingzhun.assistance.tests.test_set_based import waiting_cases

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple[int, int, dt.date], int]:
    rows = (
        Action.objects.filter(status__in=["todo", "doing"])
        .values_list("department_id", Coalesce("assignee_id", 0), "due_date")
        .annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    return {(d, a, due): n for d, a, due, n in rows}


def kept() -> dict[tuple[int, int, dt.date], int]:
    return {
        (load.department_id, load.assignee_key, load.due_date): load.open_actions
        for load in ActionLoad.objects.exclude(open_actions=0)
    }


def test_the_counts_follow_every_kind_of_write(college):
    plan = approved_plan(college, student=college.student_b, owner="employment_officer",
                         approver=school_officer_b(college))  # fmt: skip
    assert kept() == counted() and sum(counted().values()) == 4
    staff = college.personas["aid_staff"]
    aid = plan.actions.get(measure__code="aid")
    actions.action_start(actor=staff, action=aid)
    actions.action_close(actor=staff, action=aid, status="done", outcome="helped", note="已发放")
    other = department_staff(college, username="T0024")
    actions.action_reassign(
        actor=staff, action=plan.actions.get(measure__code="job_subsidy"), assignee=other.user
    )
    assert kept() == counted() and sum(counted().values()) == 3
    Action.objects.filter(measure__code="job_push").update(
        due_date=dt.date(2026, 1, 1)
    )  # a bulk update
    assert kept() == counted()
    office = college.personas["employment_officer"]
    drafted = plans_draft_many(actor=office, case_ids=[c.pk for c in waiting_cases(college)])
    actions_route_many(plan_ids=drafted.plan_ids, by=office.user)  # a set-based insert
    assert kept() == counted() and sum(counted().values()) > 20
    Action.objects.filter(plan=plan).delete()  # a bulk delete
    assert kept() == counted()


def test_lost_triggers_are_recreated_and_the_counts_recounted(college):
    approved_plan(college)
    with connection.cursor() as cursor:
        for name in trigger_names():
            extra = " ON assistance_action" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER {name}{extra}")
    Action.objects.filter(measure__code="aid").update(status="cancelled")  # not counted now
    assert kept() != counted()

    assert loads_install() is True
    assert kept() == counted()
    assert loads_install() is False  # nothing missing: nothing done


def test_the_rebuild_command_recounts(college):
    from django.core.management import call_command

    approved_plan(college)
    ActionLoad.objects.update(open_actions=99)  # drifted, e.g. restored from a partial backup
    call_command("rebuild_action_loads", stdout=io.StringIO())
    assert kept() == counted()
