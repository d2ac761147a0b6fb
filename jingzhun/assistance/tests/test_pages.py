"""The assistance pages through the client: each step confirms what it did, the queues page
with their totals in a constant number of queries, and the case file shows the loop."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jingzhun.assistance.models import Action, AssistancePlan, Measure
from jingzhun.assistance.services import plans
from jingzhun.assistance.tests.helpers import confirmed_case, department_staff
from jingzhun.assistance.timeline import entries_for
from jingzhun.org.roles import DepartmentKind
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_the_loop_through_the_pages(college, client):
    case = confirmed_case(college)
    client.force_login(college.user("counsellor_a"))
    listing = client.get(reverse("assistance:plan-list"))
    assert listing.status_code == 200 and "王小明" in listing.content.decode()

    drafted = client.post(reverse("assistance:plan-draft", args=[case.pk]), follow=True)
    plan = AssistancePlan.objects.get()
    assert _messages(drafted) == [
        "已按措施方案为王小明生成帮扶计划草稿：共 6 项措施。该帮扶对象已进入帮扶中。"
    ]
    aid = Measure.objects.get(code="aid")
    edited = client.post(reverse("assistance:plan-edit", args=[plan.pk]),
                         {"measure": [str(aid.pk), ""], "deadline_days": ["7", "30"],
                          "department_kind": ["", ""], "item_note": ["先办", ""], "note": "精简"}, follow=True)  # fmt: skip
    assert _messages(edited) == ["已保存为第 2 版，共 1 项措施。"]
    submitted = client.post(reverse("assistance:plan-step", args=[plan.pk, "submit"]), follow=True)
    assert _messages(submitted) == ["王小明的帮扶计划已提交学院审批。"]

    client.force_login(college.user("school_officer_a"))
    queue = client.get(reverse("assistance:approval-queue"))
    assert queue.context["page"].paginator.count == 1
    approved = client.post(reverse("assistance:plan-step", args=[plan.pk, "approve"]), follow=True)
    assert _messages(approved) == ["王小明的帮扶计划已审批通过：1 项帮扶任务已派发到各部门。"]

    action = Action.objects.get()
    client.force_login(college.user("aid_staff"))
    work = client.get(reverse("assistance:action-queue"))
    assert work.context["page"].paginator.count == 1
    assert [(w.user.pk, w.open) for w in work.context["workload"]] == [
        (college.user("aid_staff").pk, 1)
    ]
    closed = client.post(reverse("assistance:action-step", args=[action.pk, "close"]),
                         {"status": "done", "outcome": "helped", "note": "已发放助学金"}, follow=True)  # fmt: skip
    assert _messages(closed) == ["王小明的奖助学金与困难资助已办结（已完成），已通知帮扶责任人。"]

    client.force_login(college.user("counsellor_a"))
    page = client.get(reverse("assistance:plan-detail", args=[plan.pk])).content.decode()
    assert "已帮扶：已发放助学金" in page

    client.force_login(college.user("student_a"))
    mine = client.get(reverse("portal:plan"))
    assert mine.context["plan"] == plan
    thanked = client.post(reverse("portal:plan-acknowledge", args=[plan.pk]), follow=True)
    assert _messages(thanked) == ["谢谢，你已确认知晓自己的帮扶计划。"]
    plan.refresh_from_db()
    assert plan.status == AssistancePlan.Status.ACKNOWLEDGED


def test_a_refused_step_says_why_and_changes_nothing(college, client):
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=confirmed_case(college))
    client.force_login(college.user("school_officer_a"))
    response = client.post(reverse("assistance:plan-step", args=[plan.pk, "approve"]), follow=True)
    assert _messages(response) == ["处于“草稿”的计划不能变为“已审批”。"]
    plan.refresh_from_db()
    assert plan.status == "draft"


def _approved(college, student, owner="employment_officer"):
    from jingzhun.assistance.tests.helpers import school_officer_b

    actor = college.personas[owner]
    plan = plans.plan_draft(actor=actor, case=confirmed_case(college, student=student, responsible=owner,
                                                             types=("economic",), signal=False))  # fmt: skip
    plans.plan_submit(actor=actor, plan=plan)
    approver = (
        college.personas["school_officer_a"]
        if student.school_id == college.school_a.pk
        else school_officer_b(college)
    )
    return plans.plan_approve(actor=approver, plan=plan)


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_department_queue_reads_the_same_number_of_queries_for_more_rows(college, client):
    department_staff(college, username="T0024")
    _approved(college, college.student_a)
    client.force_login(college.user("aid_staff"))
    url = reverse("assistance:action-queue")
    few = _queries(client, url)
    for _ in range(3):
        _approved(college, StudentFactory.create(class_group=college.class_a))
    assert Action.objects.filter(department__kind=DepartmentKind.AID).count() == 8
    assert _queries(client, url) == few


def test_the_approval_queue_reads_the_same_number_of_queries_for_more_rows(college, client):
    owner = college.personas["employment_officer"]
    for student in [
        college.student_a,
        *StudentFactory.create_batch(1, class_group=college.class_a),
    ]:
        plan = plans.plan_draft(actor=owner, case=confirmed_case(college, student=student,
                                responsible="employment_officer", signal=False))  # fmt: skip
        plans.plan_submit(actor=owner, plan=plan)
    client.force_login(college.user("school_officer_a"))
    url = reverse("assistance:approval-queue")
    few = _queries(client, url)
    for student in StudentFactory.create_batch(3, class_group=college.class_a):
        plan = plans.plan_draft(actor=owner, case=confirmed_case(college, student=student,
                                responsible="employment_officer", signal=False))  # fmt: skip
        plans.plan_submit(actor=owner, plan=plan)
    assert _queries(client, url) == few


def test_the_case_file_shows_the_plan_and_actions_to_each_reader_as_they_may_see_it(college):
    plan = _approved(college, college.student_a, owner="counsellor_a")
    from jingzhun.assistance.services import actions

    aid = plan.actions.get(measure__code="aid")
    actions.action_close(actor=college.personas["aid_staff"], action=aid, status="done", outcome="helped",
                         note="已发放")  # fmt: skip

    def titles(persona):
        return [
            e.title for e in entries_for(actor=college.personas[persona], student=college.student_a)
        ]

    owner = titles("counsellor_a")
    assert "按措施方案制定帮扶计划" in owner and "帮扶计划审批通过" in owner
    assert "奖助学金与困难资助：已完成" in owner
    assert "精准岗位推送已派发至招生就业处" in owner
    aid_view = titles("aid_staff")
    assert "帮扶计划审批通过" not in aid_view
    assert "奖助学金与困难资助：已完成" in aid_view
    assert not any("精准岗位推送" in t for t in aid_view)
    assert titles("student_a") == ["你的帮扶计划已审批通过", "奖助学金与困难资助：已完成"]
    assert titles("outsider") == []


def test_the_student_file_timeline_tab_shows_the_plan(college, client):
    plan = _approved(college, college.student_a, owner="counsellor_a")
    client.force_login(college.user("counsellor_a"))
    url = reverse("students:detail-tab", args=[college.student_a.pk, "timeline"])
    page = client.get(url).content.decode()
    assert "帮扶计划审批通过" in page
    assert reverse("assistance:plan-detail", args=[plan.pk]) in page


def test_the_plan_list_and_plan_page_read_a_constant_number_of_queries(college, client):
    owner = college.personas["counsellor_a"]
    confirmed_case(college, signal=False)
    plan = plans.plan_draft(
        actor=owner, case=confirmed_case(college, student=StudentFactory.create(class_group=college.class_a),
                                         signal=False))  # fmt: skip
    client.force_login(owner.user)
    listing, detail = (
        reverse("assistance:plan-list"),
        reverse("assistance:plan-detail", args=[plan.pk]),
    )
    few = (_queries(client, listing), _queries(client, detail))
    for student in StudentFactory.create_batch(3, class_group=college.class_a):
        confirmed_case(college, student=student, signal=False)
    aid = Measure.objects.get(code="aid")
    for days in (5, 6, 7):
        plans.plan_edit(actor=owner, plan=plan, items=[plans.ItemInput(aid.pk, days)])
    assert (_queries(client, listing), _queries(client, detail)) == few


def test_the_owner_reopens_an_approved_plan_from_its_page(college, client):
    plan = _approved(college, college.student_a, owner="counsellor_a")
    client.force_login(college.user("counsellor_a"))
    page = client.get(reverse("assistance:plan-detail", args=[plan.pk])).content.decode()
    assert 'data-testid="plan-revise"' in page
    response = client.post(reverse("assistance:plan-step", args=[plan.pk, "revise"]),
                           {"reason": "学生已签约，调整措施"}, follow=True)  # fmt: skip
    assert [str(m) for m in response.context["messages"]] == [
        "王小明的帮扶计划已回到草稿状态：请修改后重新提交审批。"
    ]
    titles = [
        e.title
        for e in entries_for(actor=college.personas["counsellor_a"], student=college.student_a)
    ]
    assert "帮扶计划重新修订" in titles
    client.force_login(college.user("school_officer_a"))
    assert 'data-testid="plan-revise"' not in client.get(
        reverse("assistance:plan-detail", args=[plan.pk])).content.decode()  # fmt: skip


@pytest.mark.parametrize("persona", ["counsellor_a", "school_officer_a", "leader", "aid_staff"])
def test_the_way_back_from_an_action_and_a_plan_opens_for_each_reader(college, client, persona):
    """The crumb above an action or a plan leads to a page its reader may open: a case owner
    reads no department queue, the leadership group no plan list."""
    plan = _approved(college, college.student_a, owner="counsellor_a")
    action = Action.objects.filter(plan=plan).earliest("pk")
    client.force_login(college.user(persona))
    for url in (reverse("assistance:action-detail", args=[action.pk]),
                reverse("assistance:plan-detail", args=[plan.pk])):  # fmt: skip
        page = client.get(url)
        if page.status_code == 404:  # a page this reader does not open at all
            continue
        crumbs = re.findall(r'<nav class="small mb-2"><a href="([^"]+)"', page.content.decode())
        for crumb in crumbs:
            assert client.get(crumb).status_code == 200, (url, crumb)


def test_my_plans_are_paged_filtered_and_counted(college, client):
    """The employment office owns every plan of the college: its list pages them with the
    total and a status filter instead of stopping silently after the first hundred."""
    from jingzhun.assistance import plan_views

    owner = college.personas["employment_officer"]
    students = StudentFactory.create_batch(plan_views.PAGE + 1, class_group=college.class_a)
    for student in students:
        plans.plan_draft(actor=owner, case=confirmed_case(college, student=student, responsible="employment_officer",
                                                          types=("economic",), signal=False))  # fmt: skip
    submitted = plans.plan_submit(actor=owner, plan=AssistancePlan.objects.earliest("pk"))
    client.force_login(owner.user)

    first = client.get(reverse("assistance:plan-list"))
    assert first.context["plans"].paginator.count == plan_views.PAGE + 1
    assert len(first.context["plans"].object_list) == plan_views.PAGE
    assert "共 31 份计划" in first.content.decode()
    assert "plans_page=2" in first.content.decode()

    second = client.get(reverse("assistance:plan-list"), {"plans_page": 2})
    assert len(second.context["plans"].object_list) == 1

    only = client.get(reverse("assistance:plan-list"), {"plan_status": "submitted"})
    assert [p.pk for p in only.context["plans"].object_list] == [submitted.pk]
    assert "共 1 份计划" in only.content.decode()


def test_the_close_form_says_which_outcomes_fit_and_a_mismatch_is_refused(college, client):
    plan = _approved(college, college.student_a, owner="counsellor_a")
    action = Action.objects.filter(plan=plan, department__kind=DepartmentKind.AID).earliest("pk")
    client.force_login(college.user("aid_staff"))
    url = reverse("assistance:action-detail", args=[action.pk])
    assert "已完成：已帮扶；无法完成：学生拒绝、联系不上学生" in client.get(url).content.decode()
    refused = client.post(reverse("assistance:action-step", args=[action.pk, "close"]),
                          {"status": "done", "outcome": "unreachable", "note": "打了三次电话"}, follow=True)  # fmt: skip
    assert len(_messages(refused)) == 1 and "已帮扶" in _messages(refused)[0]
    action.refresh_from_db()
    assert action.is_open


def test_the_waiting_cases_filter_by_class_level_and_number_and_draft_all_drafts_those(
    college, client
):
    """The list of cases waiting for a plan is filtered like every list, and "draft plans for
    all" drafts the cases the filters show, not every waiting case."""
    other = StudentFactory.create(class_group=college.class_a, student_number="2024019999")
    confirmed_case(college, types=("economic",), level=2, signal=False)
    urgent = confirmed_case(college, student=other, types=("economic",), level=1, signal=False)
    client.force_login(college.user("counsellor_a"))

    everything = client.get(reverse("assistance:plan-list"))
    assert everything.context["page"].paginator.count == 2
    level_one = client.get(reverse("assistance:plan-list"), {"level": 1})
    assert [r["case"].pk for r in level_one.context["rows"]] == [urgent.pk]
    by_number = client.get(reverse("assistance:plan-list"), {"q": "20240199"})
    assert [r["case"].pk for r in by_number.context["rows"]] == [urgent.pk]
    by_class = client.get(reverse("assistance:plan-list"), {"class_group": college.class_a.pk})
    assert by_class.context["page"].paginator.count == 2
    assert 'name="level" value="1"' in level_one.content.decode()  # kept by "draft plans for all"

    drafted = client.post(reverse("assistance:plan-draft-all"), {"level": "1"})
    assert drafted["Location"] == reverse("assistance:plan-list") + "?level=1"
    assert list(AssistancePlan.objects.values_list("case_id", flat=True)) == [urgent.pk]
