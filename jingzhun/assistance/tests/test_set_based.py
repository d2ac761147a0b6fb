"""Drafting and routing many cases at once, set-based: the same plans, items, actions,
assignees, history and audit rows as the per-case path, balanced across the batch, safe to
run again; and nothing written when a case is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from jingzhun.assistance.models import (
    Action,
    ActionEvent,
    AssistancePlan,
    PlanEvent,
    PlanItem,
    PlanVersion,
)
from jingzhun.assistance.services import actions, plans
from jingzhun.assistance.services.catalogue import catalogue_ensure
from jingzhun.assistance.services.drafting import plans_draft_many
from jingzhun.assistance.services.routing import actions_route_many
from jingzhun.assistance.tests.helpers import confirmed_case, department_staff
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case, CaseEvent
from jingzhun.org.models import DepartmentRoute
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

TYPES = [("economic", "psychological"), ("economic",), ("employability", "motivation"),
         ("academic", "economic"), ("economic", "employability"), ("psychological",)]  # fmt: skip


def waiting_cases(college: Any) -> list[Case]:
    """Six confirmed cases of different types and levels, one already in assistance."""
    students = [college.student_a, *StudentFactory.create_batch(5, class_group=college.class_a)]
    cases = [confirmed_case(college, student=s, types=t, level=1 + n % 3, signal=n % 2 == 0)
             for n, (s, t) in enumerate(zip(students, TYPES, strict=True))]  # fmt: skip
    Case.objects.filter(pk=cases[-1].pk).update(status=Case.Status.IN_ASSISTANCE)
    return cases


def snapshot() -> dict[str, Any]:
    """Everything both paths write, without ids and timestamps."""
    versions = {v.plan_id: v for v in PlanVersion.objects.all()}
    measure_of = dict(PlanItem.objects.values_list("pk", "measure__code"))
    return {
        "plans": sorted(
            (p.case_id, p.student_id, p.status,
             versions[p.pk].number, versions[p.pk].author_id, versions[p.pk].note,
             {k: v for k, v in versions[p.pk].inputs.items() if k != "frozen_at"},
             [(i.measure.code, i.order, i.department_kind, i.deadline_days, i.note)
              for i in versions[p.pk].items.select_related("measure").order_by("order")])
            for p in AssistancePlan.objects.all()
        ),
        "actions": sorted(
            (a.plan.case_id, measure_of[a.item_id], a.department_id, a.assignee_id, a.status, a.due_date)
            for a in Action.objects.select_related("plan")
        ),
        "cases": sorted(Case.objects.values_list("pk", "status")),
        "case_events": sorted(CaseEvent.objects.filter(to_status="in_assistance")
                              .values_list("case_id", "actor_id", "from_status", "note")),
        "plan_events": sorted(PlanEvent.objects.values_list("plan__case_id", "actor_id", "from_status",
                                                            "to_status", "version", "note")),
        "action_events": sorted(ActionEvent.objects.values_list("action__plan__case_id", "action__measure__code",
                                                                "actor_id", "from_status", "to_status", "note")),
        "routes": sorted((r.department_id, r.student_id, r.is_open, measure_of[Action.objects.get(pk=r.source_id).item_id])
                         for r in DepartmentRoute.objects.filter(source="assistance.action")),
        "audit": sorted((a.object_type, a.action, a.actor_id, a.actor_role, a.fields, sorted(a.detail.items()))
                        for a in AuditLog.objects.filter(object_type__in=["assistance.assistanceplan",
                                                                          "identification.case"])),
    }  # fmt: skip


def test_set_based_drafting_and_routing_write_what_the_per_case_path_writes(college):
    office = college.personas["employment_officer"]
    department_staff(college, username="T0024")  # a second aid worker: routing must balance
    department_staff(college, username="T0025")
    cases = waiting_cases(college)
    catalogue_ensure(institution_id=college.institution.pk)
    AuditLog.objects.all().delete()
    with transaction.atomic():
        for case in sorted(cases, key=lambda c: c.pk):
            plan = plans.plan_draft(actor=office, case=Case.objects.get(pk=case.pk))
            version = plan.current_version
            assert version is not None
            actions.actions_create_for_plan(plan=plan, version=version, by=office.user)
        per_case = snapshot()
        transaction.set_rollback(True)

    drafted = plans_draft_many(actor=office, case_ids=[c.pk for c in cases])
    routed = actions_route_many(plan_ids=drafted.plan_ids, by=office.user)

    assert (drafted.drafted, drafted.skipped, drafted.refusals) == (6, 0, [])
    assert routed == Action.objects.count() == len(per_case["actions"]) > 12
    assert snapshot() == per_case
    aid = Action.objects.filter(department=college.departments["aid"]).values_list(
        "assignee_id", flat=True
    )
    assert len(set(aid)) == 3  # spread over the three aid workers, not all to the first


def test_running_again_skips_what_was_drafted_and_routed(college):
    office = college.personas["employment_officer"]
    cases = waiting_cases(college)
    first = plans_draft_many(actor=office, case_ids=[c.pk for c in cases])
    actions_route_many(plan_ids=first.plan_ids, by=office.user)
    counts = (AssistancePlan.objects.count(), Action.objects.count(), AuditLog.objects.count())

    again = plans_draft_many(actor=office, case_ids=[c.pk for c in cases])

    assert (again.drafted, again.skipped, again.refusals) == (0, 6, [])
    assert actions_route_many(plan_ids=first.plan_ids, by=office.user) == 0
    assert (
        AssistancePlan.objects.count(),
        Action.objects.count(),
        AuditLog.objects.count(),
    ) == counts


def test_one_refused_case_keeps_every_case_as_it_was(college):
    office = college.personas["employment_officer"]
    cases = waiting_cases(college)
    Case.objects.filter(pk=cases[1].pk).update(status=Case.Status.DISMISSED)
    audits = AuditLog.objects.count()

    result = plans_draft_many(actor=office, case_ids=[c.pk for c in cases])

    student = cases[1].student
    assert result.drafted == 0
    assert [(r.case_id, r.student) for r in result.refusals] == [
        (cases[1].pk, f"{student.name}（{student.student_number}）")
    ]
    assert not AssistancePlan.objects.exists()
    assert (
        Case.objects.filter(status=Case.Status.IN_ASSISTANCE).count() == 1
    )  # the one already there
    assert AuditLog.objects.count() == audits


def test_a_counsellor_drafts_only_the_cases_they_are_responsible_for(college):
    ours = confirmed_case(college, signal=False)
    other = StudentFactory.create(class_group=college.class_a)
    theirs = confirmed_case(college, student=other, responsible="school_officer_a", signal=False)

    result = plans_draft_many(actor=college.personas["counsellor_a"], case_ids=[ours.pk, theirs.pk])

    assert [r.case_id for r in result.refusals] == [theirs.pk]
    assert not AssistancePlan.objects.exists()
