"""Targeted pushes: who may push to whom, what may be pushed, batches all or nothing, the
student's answers and their history, and the count against the threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import College
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.jobs import push_selectors
from jingzhun.jobs.errors import JobsErrorCode
from jingzhun.jobs.models import Employer, JobPush, JobPushEvent, PushPolicy
from jingzhun.jobs.push_responses import RESPONSE_TABLE, answers_after
from jingzhun.jobs.push_services import (
    PUSH_KIND,
    push_mark_viewed,
    push_respond,
    push_send,
    push_send_many,
    push_threshold_set,
)
from jingzhun.jobs.tests.helpers import posting, student_b_login
from jingzhun.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _refused(code: str, call, *args, **kwargs) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


def test_a_counsellor_pushes_a_posting_to_a_student_of_her_class(college: College):
    case = confirmed_case(college)
    job = posting(college)
    actor = college.personas["counsellor_a"]

    push = push_send(actor=actor, posting=job, student=college.student_a, note="适合你")

    assert (push.student, push.posting, push.case, push.pushed_by) == (
        college.student_a, job, case, actor.user)  # fmt: skip
    assert (push.response, push.pushed_role, push.note) == ("sent", "counsellor", "适合你")
    assert list(push.events.values_list("from_response", "to_response")) == [("", "sent")]
    audit = AuditLog.objects.get(action=AuditLog.Action.CREATE, object_id=str(push.pk))
    assert audit.detail == {"posting": job.pk, "student": college.student_a.pk}
    (note,) = Notification.objects.filter(kind=PUSH_KIND)
    assert note.recipient == college.user("student_a")
    assert note.url == reverse("portal:push-detail", args=[push.pk])
    assert "Python开发" in note.title and "郑州甲科技有限公司" in note.title


def test_pushing_the_same_posting_twice_is_refused_and_writes_nothing(college: College):
    job = posting(college)
    actor = college.personas["employment_officer"]
    push_send(actor=actor, posting=job, student=college.student_a)

    error = _refused(JobsErrorCode.PUSH_DUPLICATE, push_send, actor=college.personas["counsellor_a"],
                     posting=job, student=college.student_a)  # fmt: skip

    assert "Python开发" in error.message and "王小明" in error.message
    assert JobPush.objects.count() == 1
    assert Notification.objects.filter(kind=PUSH_KIND).count() == 1


@pytest.mark.parametrize("problem", ["blacklisted", "expired"])
def test_blacklisted_employers_and_expired_postings_cannot_be_pushed(
    college: College, problem: str
):
    job = posting(college)
    if problem == "blacklisted":
        Employer.objects.filter(pk=job.employer_id).update(vetting=Employer.Vetting.BLACKLISTED)
    else:
        job.deadline = timezone.localdate() - dt.timedelta(days=1)
        job.save(update_fields=["deadline"])

    _refused(JobsErrorCode.PUSH_NOT_OFFERABLE, push_send, actor=college.personas["employment_officer"],
             posting=job, student=college.student_a)  # fmt: skip

    assert not JobPush.objects.exists() and not Notification.objects.exists()


@pytest.mark.parametrize(
    ("persona", "student", "code"),
    [
        ("counsellor_a", "student_b", JobsErrorCode.PUSH_OUT_OF_SCOPE),
        ("school_officer_a", "student_b", JobsErrorCode.PUSH_OUT_OF_SCOPE),
        ("mentor_a", "student_b", JobsErrorCode.PUSH_OUT_OF_SCOPE),
        ("outsider", "student_a", JobsErrorCode.PUSH_OUT_OF_SCOPE),
        ("leader", "student_a", JobsErrorCode.NOT_ALLOWED),
        ("aid_staff", "student_a", JobsErrorCode.NOT_ALLOWED),
        ("student_a", "student_a", JobsErrorCode.NOT_ALLOWED),
    ],
)
def test_only_pushers_may_push_and_only_to_their_students(
    college: College, persona: str, student: str, code: str
):
    job = posting(college)
    _refused(code, push_send, actor=college.personas[persona], posting=job,
             student=getattr(college, student))  # fmt: skip
    assert not JobPush.objects.exists()


@pytest.mark.parametrize(
    "persona", ["employment_officer", "school_officer_a", "counsellor_a", "mentor_a"]
)
def test_every_pusher_reaches_student_a(college: College, persona: str):
    push = push_send(
        actor=college.personas[persona], posting=posting(college), student=college.student_a
    )
    assert push.case is None  # no open case: the push still counts
    assert push_selectors.push_counts([college.student_a.pk]) == {college.student_a.pk: 1}


def test_a_mentor_pushes_only_to_own_mentees_even_with_a_wider_scope(college: College):
    mentor = college.personas["mentor_a"]
    mentor.data_scope = "institution"
    mentor.save(update_fields=["data_scope"])
    _refused(JobsErrorCode.PUSH_OUT_OF_SCOPE, push_send, actor=mentor, posting=posting(college),
             student=college.student_b)  # fmt: skip


def test_a_batch_skips_what_each_student_already_has_and_reports_it(college: College):
    office = college.personas["employment_officer"]
    first, second = posting(college, "Python开发"), posting(college, "测试工程师")
    push_send(actor=office, posting=first, student=college.student_b)
    Notification.objects.all().delete()

    summary = push_send_many(actor=office, postings=[first, second],
                             students=[college.student_a, college.student_b], note="请查看")  # fmt: skip

    assert (summary.pushed, summary.skipped) == (3, 1)
    by_student = {r.student.pk: r for r in summary.results}
    assert by_student[college.student_a.pk].pushed == [first, second]
    assert by_student[college.student_b.pk].pushed == [second]
    skipped = [(p, str(reason)) for p, reason in by_student[college.student_b.pk].skipped]
    assert skipped == [(first, "已推送过")]  # already sent
    assert JobPush.objects.count() == 4
    # One notification per student with a login (student B has none), for both postings.
    (note,) = Notification.objects.filter(kind=PUSH_KIND)
    assert note.recipient == college.user("student_a") and note.url == reverse("portal:push-list")


def test_a_batch_with_one_student_out_of_scope_pushes_nothing(college: College):
    error = _refused(JobsErrorCode.PUSH_OUT_OF_SCOPE, push_send_many,
                     actor=college.personas["school_officer_a"], postings=[posting(college)],
                     students=[college.student_a, college.student_b])  # fmt: skip
    assert "李小红" in error.message and "王小明" not in error.message
    assert not JobPush.objects.exists() and not Notification.objects.exists()


def test_a_batch_with_one_expired_posting_pushes_nothing(college: College):
    expired = posting(college, "过期岗位", deadline=timezone.localdate() - dt.timedelta(days=1))
    _refused(JobsErrorCode.PUSH_NOT_OFFERABLE, push_send_many,
             actor=college.personas["employment_officer"], postings=[posting(college), expired],
             students=[college.student_a])  # fmt: skip
    assert not JobPush.objects.exists()


def test_a_student_answers_their_push_and_the_history_keeps_every_step(college: College):
    push = push_send(actor=college.personas["counsellor_a"], posting=posting(college),
                     student=college.student_a)  # fmt: skip
    me = college.personas["student_a"]

    push = push_mark_viewed(actor=me, push=push)
    first_view = push.viewed_at
    push = push_mark_viewed(actor=me, push=push)  # opening again changes nothing
    push = push_respond(actor=me, push=push, response="interested")
    push = push_respond(actor=me, push=push, response="applied")
    push = push_respond(
        actor=me, push=push, response="declined", reason="other", note="已签约其他单位"
    )

    push.refresh_from_db()
    assert (push.response, push.decline_reason, push.decline_note) == (
        "declined",
        "other",
        "已签约其他单位",
    )
    assert push.viewed_at == first_view and push.responded_at is not None
    events = JobPushEvent.objects.filter(push=push)
    assert list(events.values_list("from_response", "to_response")) == [
        ("", "sent"), ("sent", "viewed"), ("viewed", "interested"),
        ("interested", "applied"), ("applied", "declined"),
    ]  # fmt: skip
    assert [e.actor for e in events] == [college.user("counsellor_a")] + [me.user] * 4
    # The reason's label (in the site's language) and the student's words.
    assert events.last().note.endswith("：已签约其他单位")  # type: ignore[union-attr]
    assert (
        AuditLog.objects.filter(action=AuditLog.Action.UPDATE, object_id=str(push.pk)).count() == 4
    )


def test_answers_go_forward_only_and_declining_needs_a_reason(college: College):
    push = push_send(actor=college.personas["counsellor_a"], posting=posting(college),
                     student=college.student_a)  # fmt: skip
    me = college.personas["student_a"]
    push = push_respond(actor=me, push=push, response="interview")  # skipping steps is fine

    _refused(JobsErrorCode.PUSH_BAD_RESPONSE, push_respond, actor=me, push=push, response="applied")
    _refused(JobsErrorCode.PUSH_BAD_RESPONSE, push_respond, actor=me, push=push, response="viewed")
    _refused(
        JobsErrorCode.PUSH_REASON_REQUIRED, push_respond, actor=me, push=push, response="declined"
    )
    _refused(JobsErrorCode.PUSH_REASON_REQUIRED, push_respond, actor=me, push=push,
             response="declined", reason="other")  # fmt: skip
    push.refresh_from_db()
    assert push.response == "interview" and push.events.count() == 2


def test_only_the_student_answers_their_own_push(college: College):
    push = push_send(actor=college.personas["counsellor_a"], posting=posting(college),
                     student=college.student_a)  # fmt: skip
    other = student_b_login(college)
    for actor in (other, college.personas["counsellor_a"], college.personas["employment_officer"]):
        _refused(
            JobsErrorCode.NOT_ALLOWED, push_respond, actor=actor, push=push, response="applied"
        )
        _refused(JobsErrorCode.NOT_ALLOWED, push_mark_viewed, actor=actor, push=push)
    push.refresh_from_db()
    assert (push.response, push.viewed_at) == ("sent", None)


@pytest.mark.parametrize(
    ("current", "answers"),
    [
        ("sent", ["interested", "applied", "interview", "offer", "declined"]),
        ("interested", ["applied", "interview", "offer", "declined"]),
        ("offer", ["declined"]),
        ("declined", ["interested", "applied"]),
    ],
)
def test_the_portal_offers_the_answers_the_table_allows(current: str, answers: list[str]):
    assert answers_after(current) == answers
    assert all(RESPONSE_TABLE.can_move(current, a) for a in answers)


# The threshold -----------------------------------------------------------------------------


def test_counts_are_per_student_and_checked_against_the_default_threshold_of_three(
    college: College,
):
    office = college.personas["employment_officer"]
    jobs = [posting(college, f"岗位{n}") for n in range(3)]
    push_send_many(actor=office, postings=jobs, students=[college.student_a])
    push_send_many(actor=office, postings=jobs[:2], students=[college.student_b])

    ids = [college.student_a.pk, college.student_b.pk]
    assert push_selectors.push_counts(ids) == {college.student_a.pk: 3, college.student_b.pk: 2}
    counts = push_selectors.push_counts_against_threshold(
        ids, institution_id=college.institution.pk
    )
    assert [(str(counts[pk]), counts[pk].met) for pk in ids] == [("3/3", True), ("2/3", False)]
    assert push_selectors.push_counts([]) == {}


def test_an_institution_may_set_five_and_the_setting_applies_elsewhere(college: College, settings):
    push_threshold_set(actor=college.personas["employment_officer"], threshold=5)
    policy = PushPolicy.objects.get()
    assert (policy.institution, policy.threshold) == (college.institution, 5)
    assert push_selectors.push_threshold(institution_id=college.institution.pk) == 5
    outsider = college.personas["outsider"].institution_id
    assert push_selectors.push_threshold(institution_id=outsider) == 3
    settings.PUSH_THRESHOLD = 4
    assert push_selectors.push_threshold(institution_id=outsider) == 4
    assert push_selectors.meets_threshold(4, 5) is False and push_selectors.meets_threshold(5, 5)

    push_threshold_set(actor=college.personas["employment_officer"], threshold=None)
    assert not PushPolicy.objects.exists()
    audit = AuditLog.objects.filter(detail__what="push_threshold").order_by("pk")
    assert [a.detail["threshold"] for a in audit] == [[None, 5], [5, None]]


@pytest.mark.parametrize(("persona", "value", "code"), [
    ("counsellor_a", 5, JobsErrorCode.NOT_ALLOWED),
    ("employment_officer", 0, JobsErrorCode.PUSH_BAD_THRESHOLD),
    ("employment_officer", 51, JobsErrorCode.PUSH_BAD_THRESHOLD),
])  # fmt: skip
def test_the_threshold_is_set_by_the_office_within_bounds(college: College, persona, value, code):
    _refused(code, push_threshold_set, actor=college.personas[persona], threshold=value)
    assert not PushPolicy.objects.exists()
