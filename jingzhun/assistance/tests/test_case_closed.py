"""When identification closes a case (exit or dismissal), assistance withdraws its open
actions through the hook it registers; routing locks the departments it routes into."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jingzhun.assistance.models import Action, ActionEvent
from jingzhun.assistance.services import actions
from jingzhun.assistance.tests.test_actions import approved_plan
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case
from jingzhun.identification.services import case_exit
from jingzhun.org.models import DepartmentRoute

pytestmark = pytest.mark.django_db


def test_exiting_a_case_withdraws_its_open_actions_and_keeps_the_closed_ones(college):
    plan = approved_plan(college)
    done = plan.actions.get(measure__code="aid")
    Action.objects.filter(pk=done.pk).update(
        status=Action.Status.DONE, outcome=Action.Outcome.HELPED
    )
    office = college.personas["employment_officer"]

    case_exit(actor=office, case=plan.case, reason=Case.ExitReason.EMPLOYED)

    rows = sorted(plan.actions.values_list("measure__code", "status", "outcome"))
    assert rows == [("aid", "done", "helped"), ("job_push", "cancelled", "not_needed"),
                    ("job_subsidy", "cancelled", "not_needed"), ("mentoring", "cancelled", "not_needed")]  # fmt: skip
    withdrawn = plan.actions.exclude(pk=done.pk)
    assert all(a.close_note and a.closed_at for a in withdrawn)
    assert sorted(ActionEvent.objects.filter(action__in=withdrawn, to_status="cancelled")
                  .values_list("from_status", "actor_id")) == [("todo", office.user_id)] * 3  # fmt: skip
    assert (
        AuditLog.objects.filter(
            object_type="assistance.action", detail__case_closed=plan.case_id
        ).count()
        == 3
    )
    open_routes = DepartmentRoute.objects.filter(source="assistance.action", is_open=True)
    assert list(open_routes.values_list("source_id", flat=True)) == [
        done.pk
    ]  # closed by hand before


def test_a_refused_exit_withdraws_nothing(college):
    plan = approved_plan(college)
    with pytest.raises(DomainError):
        case_exit(
            actor=college.personas["aid_staff"], case=plan.case, reason=Case.ExitReason.EMPLOYED
        )
    assert set(plan.actions.values_list("status", flat=True)) == {"todo"}


def test_withdrawing_again_changes_nothing(college):
    plan = approved_plan(college)
    assert actions.actions_withdraw_for_case(case_id=plan.case_id, by=None) == 4
    assert actions.actions_withdraw_for_case(case_id=plan.case_id, by=None) == 0


def test_routing_locks_the_departments_it_routes_into(college):
    with CaptureQueriesContext(connection) as queries:
        approved_plan(college)
    locks = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "org_department"' in q["sql"] and "FOR UPDATE" in q["sql"]
    ]
    if connection.features.has_select_for_update:
        assert len(locks) == 1
    else:  # SQLite: writing transactions are serialized, there is no row lock to take
        assert locks == []
