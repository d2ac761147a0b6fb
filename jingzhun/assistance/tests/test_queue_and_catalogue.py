"""The department queue's filters and workload, the catalogue's edits, and the menu."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import Action, Measure
from jingzhun.assistance.selectors import QueueFilters, action_queue, workload
from jingzhun.assistance.services import catalogue, plans
from jingzhun.assistance.tests.helpers import confirmed_case, department_staff, school_officer_b
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.roles import DepartmentKind

pytestmark = pytest.mark.django_db


def _approve(college, student, owner, approver):
    actor = college.personas[owner] if isinstance(owner, str) else owner
    case = confirmed_case(
        college, student=student, types=("economic",), responsible=owner, signal=False
    )
    plan = plans.plan_draft(actor=actor, case=case)
    plans.plan_submit(actor=actor, plan=plan)
    return plans.plan_approve(actor=approver, plan=plan)


@pytest.fixture
def queue(college):
    """Student A (school A) and student B (school B) each with an approved economic plan."""
    _approve(college, college.student_a, "counsellor_a", college.personas["school_officer_a"])
    _approve(college, college.student_b, "employment_officer", school_officer_b(college))
    return college.personas["aid_staff"]


def _codes(actor, **filters):
    rows = action_queue(actor=actor, filters=QueueFilters(**filters))
    return sorted((a.student.student_number, a.measure.code) for a in rows)


def test_the_queue_filters_by_measure_school_status_due_and_person(college, queue):
    aid = Measure.objects.get(code="aid")
    assert _codes(queue) == [("2024010001", "aid"), ("2024010001", "job_subsidy"),
                             ("2024020001", "aid"), ("2024020001", "job_subsidy")]  # fmt: skip
    assert _codes(queue, measure=aid.pk) == [("2024010001", "aid"), ("2024020001", "aid")]
    assert _codes(queue, school=college.school_b.pk) == [
        ("2024020001", "aid"),
        ("2024020001", "job_subsidy"),
    ]
    late = Action.objects.get(student=college.student_b, measure=aid)
    Action.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    assert _codes(queue, due="overdue") == [("2024020001", "aid")]
    assert _codes(queue, due="week") == []
    Action.objects.filter(pk=late.pk).update(status="done")
    assert _codes(queue, status="done") == [("2024020001", "aid")]
    assert len(_codes(queue, status="all")) == 4 and len(_codes(queue)) == 3
    assert _codes(queue, assignee=college.user("psych_staff").pk) == []
    # Another department's staff and the office's filter by department.
    assert _codes(college.personas["psych_staff"]) == []
    office = _codes(
        college.personas["employment_officer"],
        department=college.departments[DepartmentKind.AID].pk,
    )
    assert office == _codes(queue)


def test_workload_counts_open_and_overdue_per_member(college, queue):
    second = department_staff(college, username="T0024")
    Action.objects.filter(measure__code="aid").update(
        due_date=timezone.localdate() - dt.timedelta(days=1)
    )
    rows = workload(department_id=college.departments[DepartmentKind.AID].pk)
    assert [(w.user.pk, w.open, w.overdue) for w in rows] == [
        (queue.user_id, 4, 2),
        (second.user_id, 0, 0),
    ]


def test_bulk_reassign_page_reports_all_or_nothing(college, queue, client):
    second = department_staff(college, username="T0024")
    url = reverse("assistance:action-bulk-reassign")
    every = [str(pk) for pk in Action.objects.values_list("pk", flat=True)]  # the office's too
    aid = [
        str(pk) for pk in Action.objects.filter(department__kind="aid").values_list("pk", flat=True)
    ]
    client.force_login(college.user("aid_staff"))

    def said(data):
        return [str(m) for m in client.post(url, data, follow=True).context["messages"]]

    assert said({"actions": every, "assignee": second.user_id}) == [
        "未做任何转派：该帮扶任务派发给了其他部门。"
    ]
    assert set(
        Action.objects.filter(department__kind="aid").values_list("assignee_id", flat=True)
    ) == {queue.user_id}
    assert said({"actions": aid, "assignee": second.user_id}) == ["已将 4 项任务转派给T0024老师。"]
    assert said({"actions": aid, "assignee": college.user("psych_staff").pk}) == [
        "未做任何转派：心理中心老师不是学生资助中心的工作人员。"
    ]
    assert set(
        Action.objects.filter(department__kind="aid").values_list("assignee_id", flat=True)
    ) == {second.user_id}


def test_the_office_edits_the_catalogue_and_others_cannot(college):
    office = college.personas["employment_officer"]
    catalogue.catalogue_ensure(institution_id=college.institution.pk)
    assert Measure.objects.filter(institution=college.institution).count() == 12
    fields = catalogue.MeasureFields(name="职业测评", department_kind="employment", default_days=14,
                                     unit_cost=Decimal("50"), survey_category="guidance")  # fmt: skip
    created = catalogue.measure_save(actor=office, measure=None, code="assessment", fields=fields)
    assert (created.code, created.unit_cost, created.order) == ("assessment", Decimal("50"), 12)
    assert AuditLog.objects.filter(object_type="assistance.measure", action="create").count() == 1
    for bad, field in [(fields.__class__(**{**fields.__dict__, "default_days": 0}), "default_days"),
                       (fields.__class__(**{**fields.__dict__, "survey_category": "x"}), "survey_category"),
                       (fields.__class__(**{**fields.__dict__, "unit_cost": Decimal("-1")}), "unit_cost")]:  # fmt: skip
        with pytest.raises(DomainError) as refused:
            catalogue.measure_save(actor=office, measure=created, fields=bad)
        assert refused.value.field == field
    with pytest.raises(DomainError) as refused:
        catalogue.measure_save(actor=office, measure=None, code="assessment", fields=fields)
    assert refused.value.field == "code"
    with pytest.raises(DomainError) as refused:
        catalogue.measure_save(
            actor=college.personas["counsellor_a"], measure=created, fields=fields
        )
    assert refused.value.code == AssistanceErrorCode.NOT_ALLOWED
    with pytest.raises(DomainError) as refused:
        catalogue.measure_save(actor=college.personas["outsider"], measure=created, fields=fields)
    assert refused.value.code == AssistanceErrorCode.OUT_OF_SCOPE
    assert catalogue.catalogue_ensure(institution_id=college.institution.pk) == 0


@pytest.mark.parametrize(
    ("back", "location"),
    [
        ("?measure=3&due=overdue", "/assistance/queue/?measure=3&due=overdue"),
        ("?x=1\r\nSet-Cookie: a=b", "/assistance/queue/"),
        ("//elsewhere.example/", "/assistance/queue/"),
    ],
)
def test_bulk_reassign_returns_to_the_filtered_queue_only(college, client, back, location):
    client.force_login(college.user("aid_staff"))
    response = client.post(reverse("assistance:action-bulk-reassign"), {"back": back})
    assert response["Location"] == location


def test_the_office_edits_measures_and_playbooks_in_the_console(college, client):
    from jingzhun.assistance.models import Playbook
    from jingzhun.identification.services import difficulty_types_ensure

    client.force_login(college.user("employment_officer"))
    listing = client.get(reverse("assistance:measure-list"))
    assert len(listing.context["measures"]) == 12 and len(listing.context["playbooks"]) == 27
    added = client.post(reverse("assistance:measure-new"), {
        "code": "assessment", "name": "职业测评", "department_kind": "employment", "default_days": "14",
        "unit_cost": "50", "survey_category": "guidance", "is_active": "1"}, follow=True)  # fmt: skip
    assert [str(m) for m in added.context["messages"]] == ["帮扶措施“职业测评”已保存。"]
    measure = Measure.objects.get(code="assessment")
    economic = difficulty_types_ensure()["economic"]
    url = reverse("assistance:playbook-edit", args=[economic.pk, 1])
    assert client.get(url).status_code == 200
    saved = client.post(
        url, {"measure": [str(measure.pk), ""], "deadline_days": ["5", "30"]}, follow=True
    )
    assert [str(m) for m in saved.context["messages"]] == [
        "措施方案已保存为第 2 版；此前生成的帮扶计划仍按原版本。"
    ]
    current = Playbook.objects.get(difficulty_type=economic, level=1, is_current=True)
    assert current.version == 2
    assert [(i.measure.code, i.deadline_days) for i in current.items.all()] == [("assessment", 5)]


def test_the_office_names_a_department_head_who_then_gets_the_escalations(college, client):
    from jingzhun.assistance.models import DepartmentHead
    from jingzhun.assistance.services.actions import department_heads

    aid = college.departments["aid"]
    staff = college.user("aid_staff")
    client.force_login(college.user("employment_officer"))
    page = client.get(reverse("assistance:department-heads"))
    assert [d.code for d, _head, _staff in page.context["rows"]] == [
        "ACADEMIC",
        "AID",
        "EMPLOYME",
        "PSYCH",
    ]
    rows = {d.pk: (head, [u.pk for u in members]) for d, head, members in page.context["rows"]}
    assert rows[aid.pk] == (None, [staff.pk])

    response = client.post(
        reverse("assistance:department-head-set", args=[aid.pk]), {"user": staff.pk}
    )

    assert response.status_code == 302
    assert list(DepartmentHead.objects.values_list("department_id", "user_id")) == [
        (aid.pk, staff.pk)
    ]
    assert department_heads(aid.pk) == [staff]
    entry = AuditLog.objects.get(object_type="org.department", object_id=str(aid.pk))
    assert (entry.fields, entry.detail) == (["head"], {"from": None, "to": staff.pk})


def test_a_head_must_be_staff_of_the_department(college, client):
    from jingzhun.assistance.models import DepartmentHead

    client.force_login(college.user("employment_officer"))
    client.post(reverse("assistance:department-head-set", args=[college.departments["aid"].pk]),
                {"user": college.user("psych_staff").pk})  # fmt: skip
    assert not DepartmentHead.objects.exists()


def test_the_playbook_editor_keeps_and_changes_each_steps_owning_department(college, client):
    """A playbook names the owning department of each step; saving it in the console must
    not put every step back to its measure's own department."""
    from jingzhun.assistance.models import Playbook
    from jingzhun.assistance.services import catalogue
    from jingzhun.identification.services import difficulty_types_ensure

    office = college.personas["employment_officer"]
    economic = difficulty_types_ensure()["economic"]
    catalogue.catalogue_ensure(institution_id=college.institution.pk)
    guidance, aid = Measure.objects.get(code="career_guidance"), Measure.objects.get(code="aid")
    catalogue.playbook_save(actor=office, difficulty_type=economic, level=2, steps=[
        catalogue.StepInput(guidance.pk, 10, DepartmentKind.ACADEMIC), catalogue.StepInput(aid.pk, 7)])  # fmt: skip
    client.force_login(office.user)
    url = reverse("assistance:playbook-edit", args=[economic.pk, 2])

    page = client.get(url).content.decode()
    assert f'<option value="{DepartmentKind.ACADEMIC}" selected>' in page

    client.post(url, {"measure": [str(guidance.pk), str(aid.pk), ""], "deadline_days": ["10", "7", "30"],
                      "department_kind": [DepartmentKind.ACADEMIC, DepartmentKind.EMPLOYMENT, ""]})  # fmt: skip
    current = Playbook.objects.get(difficulty_type=economic, level=2, is_current=True)
    assert [(i.measure.code, i.department_kind) for i in current.items.all()] == [
        ("career_guidance", DepartmentKind.ACADEMIC), ("aid", DepartmentKind.EMPLOYMENT)]  # fmt: skip
    listing = client.get(reverse("assistance:measure-list")).content.decode()
    assert "职业生涯与创业指导（教务处 · 10）" in listing


def test_the_person_filter_shows_in_the_form_and_stays_with_the_other_filters(
    college, client, queue
):
    """A workload badge filters the queue by person: the form shows whose actions these are,
    so that changing the due date keeps the person and the filter can be taken off."""
    staff = college.user("aid_staff")
    client.force_login(staff)
    page = client.get(reverse("assistance:action-queue"), {"assignee": staff.pk})
    html = page.content.decode()
    start = html.index('data-testid="queue-filters"')
    form = html[start : html.index("</form>", start)]
    assert f'<option value="{staff.pk}" selected>' in form
    assert 'name="assignee"' in form


@pytest.mark.parametrize("cost", ["NaN", "sNaN", "Infinity", "abc", "-5"])
def test_a_unit_cost_that_is_no_amount_is_refused_with_a_message(college, client, cost):
    client.force_login(college.user("employment_officer"))
    response = client.post(reverse("assistance:measure-new"), {
        "code": "assessment", "name": "职业测评", "department_kind": "employment", "default_days": "14",
        "unit_cost": cost, "survey_category": "guidance", "is_active": "1"}, follow=True)  # fmt: skip
    assert response.status_code == 200
    assert [(m.level_tag, str(m)) for m in response.context["messages"]] == [
        ("error", "单位成本不能为负数。")
    ]
    assert not Measure.objects.filter(code="assessment").exists()
