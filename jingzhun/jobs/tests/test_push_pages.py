"""Push pages through the client: from a student's recommendations, from a posting to a
filtered batch (the preview count is what gets pushed), the push list, the threshold, the
figures in the case list and the department queue, the timeline and the student's portal."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import constants
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import College
from jingzhun.assistance.models import Action
from jingzhun.assistance.services import plans
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.jobs.models import JobPush, PushPolicy
from jingzhun.jobs.push_services import push_respond, push_send, push_send_many
from jingzhun.jobs.tests.helpers import posting, student_b_login
from jingzhun.jobs.timeline import entries_for
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _levels(response: Any) -> list[int]:
    return [m.level for m in response.context["messages"]]


def test_pushing_checked_recommendations_to_a_student(college: College, client):
    first, second, third = (posting(college, t) for t in ("Python开发", "测试工程师", "运维工程师"))
    push_send(
        actor=college.personas["employment_officer"], posting=third, student=college.student_a
    )
    client.force_login(college.user("counsellor_a"))
    url = reverse("jobs:student-push", args=[college.student_a.pk])

    done = client.post(
        url, {"posting": [first.pk, second.pk, third.pk], "note": "优先投递"}, follow=True
    )

    assert done.redirect_chain[-1][0] == reverse(
        "jobs:student-recommendations", args=[college.student_a.pk]
    )
    assert _levels(done) == [constants.SUCCESS, constants.WARNING]  # 2 sent, 1 skipped
    assert set(JobPush.objects.values_list("posting_id", "note")) == {
        (first.pk, "优先投递"), (second.pk, "优先投递"), (third.pk, "")}  # fmt: skip
    page = done.content.decode()
    assert 'data-testid="push-count" data-met="yes">3/3<' in page
    assert page.count('data-testid="pushed"') == 3  # every shown posting is marked as sent


def test_pushing_nothing_or_a_student_out_of_scope(college: College, client):
    job = posting(college)
    client.force_login(college.user("counsellor_a"))
    nothing = client.post(reverse("jobs:student-push", args=[college.student_a.pk]), follow=True)
    assert _levels(nothing) == [constants.ERROR]
    hidden = client.post(
        reverse("jobs:student-push", args=[college.student_b.pk]), {"posting": [job.pk]}
    )
    assert hidden.status_code == 404
    assert not JobPush.objects.exists()


def _batch_college(college: College) -> None:
    """Cases for student A (level 2) and a second student of class A (level 1); student B's
    case is in school B."""
    confirmed_case(college)
    other = StudentFactory.create(
        class_group=college.class_a, student_number="2024010002", name="赵小刚"
    )
    confirmed_case(college, student=other, level=1, signal=False)
    confirmed_case(college, student=college.student_b, responsible="school_officer_a", signal=False)


def test_a_posting_is_pushed_to_the_previewed_batch(college: College, client):
    _batch_college(college)
    job = posting(college)
    client.force_login(college.user("employment_officer"))
    url = reverse("jobs:posting-push", args=[job.pk])

    everyone = client.get(url)
    assert everyone.context["total"] == 3
    school_a = client.get(url, {"school": college.school_a.pk})
    assert school_a.context["total"] == 2
    level_one = client.get(url, {"school": college.school_a.pk, "level": 1})
    assert [s.name for s, _count, _pushed in level_one.context["rows"]] == ["赵小刚"]

    stale = client.post(url, {"school": college.school_a.pk, "expected": 3}, follow=True)
    assert _levels(stale) == [constants.ERROR] and not JobPush.objects.exists()

    sent = client.post(
        url, {"school": college.school_a.pk, "expected": 2, "note": "请投递"}, follow=True
    )
    assert _levels(sent) == [constants.SUCCESS]
    assert sorted(JobPush.objects.values_list("student__name", flat=True)) == ["王小明", "赵小刚"]
    assert sent.redirect_chain[-1][0] == f"{url}?school={college.school_a.pk}"
    again = client.get(url, {"school": college.school_a.pk})
    assert [pushed for _s, _c, pushed in again.context["rows"]] == [True, True]


def test_a_counsellor_batch_reaches_only_her_classes(college: College, client):
    _batch_college(college)
    job = posting(college)
    client.force_login(college.user("counsellor_a"))
    preview = client.get(reverse("jobs:posting-push", args=[job.pk]))
    assert preview.context["total"] == 2
    assert '<strong data-testid="preview-count">2</strong>' in preview.content.decode()


def test_the_push_list_filters_and_counts_in_a_constant_number_of_queries(
    college: College, client, django_assert_num_queries: Any
):
    office = college.personas["employment_officer"]
    jobs = [posting(college, f"岗位{n}") for n in range(4)]
    push_send_many(actor=office, postings=jobs, students=[college.student_a, college.student_b])
    push = JobPush.objects.filter(student=college.student_a).order_by("pk").first()
    assert push is not None
    push_respond(actor=college.personas["student_a"], push=push, response="applied")
    client.force_login(office.user)
    url = reverse("jobs:push-list")

    with CaptureQueriesContext(connection) as fewer:
        client.get(url)
    push_send_many(actor=office, postings=[posting(college, f"岗位{n}") for n in range(4, 8)],
                   students=[college.student_a, college.student_b])  # fmt: skip
    with django_assert_num_queries(len(fewer.captured_queries)):  # no query per row
        listing = client.get(url)
    assert listing.context["page"].paginator.count == 16
    counts = {value: n for value, _label, n in listing.context["responses"]}
    assert (counts["sent"], counts["applied"], counts["declined"]) == (15, 1, 0)
    assert client.get(url, {"response": "applied"}).context["page"].paginator.count == 1
    assert client.get(url, {"school": college.school_b.pk}).context["page"].paginator.count == 8
    assert client.get(url, {"posting": jobs[0].pk}).context["page"].paginator.count == 2
    assert (
        client.get(url, {"date_from": "2000-01-01", "date_to": "2000-12-31"})
        .context["page"]
        .paginator.count
        == 0
    )

    client.force_login(college.user("counsellor_a"))  # her classes only
    assert client.get(url).context["page"].paginator.count == 8


def test_the_office_sets_the_threshold_from_the_push_list(college: College, client):
    client.force_login(college.user("employment_officer"))
    saved = client.post(reverse("jobs:push-threshold"), {"threshold": "5"}, follow=True)
    assert _levels(saved) == [constants.SUCCESS] and saved.context["threshold"] == 5
    bad = client.post(reverse("jobs:push-threshold"), {"threshold": "x"}, follow=True)
    assert _levels(bad) == [constants.ERROR] and PushPolicy.objects.get().threshold == 5


# The figures in earlier stages' lists ---------------------------------------------------


def test_the_case_list_shows_each_students_pushes_against_the_threshold(college: College, client):
    confirmed_case(college)
    confirmed_case(college, student=college.student_b, responsible="school_officer_a", signal=False)
    office = college.personas["employment_officer"]
    push_send_many(actor=office, postings=[posting(college, f"岗位{n}") for n in range(3)],
                   students=[college.student_a])  # fmt: skip
    client.force_login(office.user)

    page = client.get(reverse("casefile:case-list")).content.decode()

    assert page.count('data-testid="figure-pushes"') == 2
    assert 'data-testid="figure-pushes" data-met="yes">3/3<' in page
    assert 'data-testid="figure-pushes" data-met="no">0/3<' in page

    PushPolicy.objects.create(institution=college.institution, threshold=5)
    page = client.get(reverse("casefile:case-list")).content.decode()
    assert 'data-met="no">3/5<' in page


def test_the_department_queue_shows_the_students_pushes(college: College, client):
    case = confirmed_case(college)
    owner = college.personas["counsellor_a"]
    plan = plans.plan_draft(actor=owner, case=case)
    plans.plan_submit(actor=owner, plan=plan)
    plans.plan_approve(actor=college.personas["school_officer_a"], plan=plan)
    push_send(actor=owner, posting=posting(college), student=college.student_a)
    client.force_login(college.user("aid_staff"))

    page = client.get(reverse("assistance:action-queue")).content.decode()

    aid = Action.objects.filter(department__kind="aid").count()
    assert aid >= 1 and page.count('data-testid="figure-pushes" data-met="no">1/3<') == aid


# The case file's timeline and the portal -----------------------------------------------


def test_pushes_and_answers_are_on_the_case_files_timeline(college: College, client):
    push = push_send(
        actor=college.personas["counsellor_a"], posting=posting(college), student=college.student_a
    )
    push_respond(
        actor=college.personas["student_a"], push=push, response="declined", reason="salary"
    )

    staff = [(e.stage, e.kind, e.link) for e in entries_for(actor=college.personas["school_officer_a"],
                                                            student=college.student_a)]  # fmt: skip
    detail = reverse("jobs:posting-detail", args=[push.posting_id])
    assert staff == [("jobs", "push", detail), ("jobs", "push_response", detail)]
    own = [
        e.link for e in entries_for(actor=college.personas["student_a"], student=college.student_a)
    ]
    assert own == [reverse("portal:push-detail", args=[push.pk])] * 2
    assert entries_for(actor=college.personas["aid_staff"], student=college.student_a) == []
    assert entries_for(actor=college.personas["counsellor_a"], student=college.student_b) == []

    client.force_login(college.user("counsellor_a"))  # the case file assembles them
    tab = client.get(reverse("students:detail-tab", args=[college.student_a.pk, "timeline"]))
    assert [(e.stage, e.kind) for e in tab.context["entries"] if e.stage == "jobs"] == [
        ("jobs", "push_response"), ("jobs", "push")]  # fmt: skip


def test_the_student_opens_answers_and_declines_in_the_portal(college: College, client):
    office = college.personas["employment_officer"]
    first, second = (
        posting(college, "Python开发"),
        posting(college, "测试工程师", salary=(None, None)),
    )
    push_send_many(actor=office, postings=[first, second], students=[college.student_a])
    mine = {p.posting_id: p for p in JobPush.objects.all()}
    client.force_login(college.user("student_a"))

    listing = client.get(reverse("portal:push-list"))
    assert listing.content.decode().count('data-testid="push-card"') == 2
    opened = client.get(reverse("portal:push-detail", args=[mine[first.pk].pk]))
    assert opened.status_code == 200 and 'data-response="viewed"' in opened.content.decode()

    answered = client.post(
        reverse("portal:push-respond", args=[mine[first.pk].pk]), {"response": "applied"}
    )
    assert answered["Location"] == f"{reverse('portal:push-list')}#push-{mine[first.pk].pk}"
    refused = client.post(reverse("portal:push-respond", args=[mine[second.pk].pk]),
                          {"response": "declined"}, follow=True)  # fmt: skip
    assert _levels(refused) == [constants.SUCCESS, constants.ERROR]  # the applied one, then this
    declined = client.post(reverse("portal:push-respond", args=[mine[second.pk].pk]),
                           {"response": "declined", "reason": "place", "from": "detail"})  # fmt: skip
    assert declined["Location"] == reverse("portal:push-detail", args=[mine[second.pk].pk])
    assert dict(JobPush.objects.values_list("posting_id", "response")) == {first.pk: "applied",
                                                                           second.pk: "declined"}  # fmt: skip
    assert JobPush.objects.get(posting=second).decline_reason == "place"


def test_another_student_can_neither_see_nor_answer_a_push(college: College, client):
    push = push_send(
        actor=college.personas["counsellor_a"], posting=posting(college), student=college.student_a
    )
    other = student_b_login(college)
    client.force_login(other.user)

    assert 'data-testid="push-card"' not in client.get(reverse("portal:push-list")).content.decode()
    assert client.get(reverse("portal:push-detail", args=[push.pk])).status_code == 404
    answer = client.post(reverse("portal:push-respond", args=[push.pk]), {"response": "applied"})
    assert answer.status_code == 404
    push.refresh_from_db()
    assert (push.response, push.viewed_at) == ("sent", None)
