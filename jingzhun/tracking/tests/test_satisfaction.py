"""Ratings: once per completed action of one's own, changeable for seven days; feedback;
the aggregates assessment reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from conftest import College
from jingzhun.assistance.models import Action
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.tracking.satisfaction import selectors, services
from jingzhun.tracking.satisfaction.models import ActionRating, StudentFeedback
from jingzhun.tracking.tests.publication_helpers import completed_action, student_b_login

pytestmark = pytest.mark.django_db


def test_a_student_rates_their_completed_action_once_then_changes_it(college: College):
    action = completed_action(college)
    student = college.personas["student_a"]

    rating = services.action_rate(actor=student, action_id=action.pk, score=4, comment="很及时")
    services.action_rate(actor=student, action_id=action.pk, score=5, comment="")

    rating.refresh_from_db()
    assert (rating.score, rating.comment, rating.student) == (5, "", college.student_a)
    assert ActionRating.objects.count() == 1
    actions = list(
        AuditLog.objects.filter(object_type="tracking.actionrating").values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["create", "update"]


def test_the_rating_closes_after_seven_days(college: College):
    action = completed_action(college)
    student = college.personas["student_a"]
    rating = services.action_rate(actor=student, action_id=action.pk, score=2)
    later = rating.created_at + dt.timedelta(days=services.RATING_EDIT_DAYS, minutes=1)

    with pytest.raises(DomainError) as refused:
        services.action_rate(actor=student, action_id=action.pk, score=5, now=later)

    assert refused.value.code == "rating.closed"
    rating.refresh_from_db()
    assert rating.score == 2


def test_only_own_completed_actions_can_be_rated(college: College):
    own = completed_action(college)
    other = completed_action(college, student_b=True)
    open_action = Action.objects.filter(student=college.student_a).exclude(pk=own.pk).first()
    assert open_action is not None and open_action.is_open
    student = college.personas["student_a"]

    for action_id in (other.pk, open_action.pk, 10**9):
        with pytest.raises(DomainError) as refused:
            services.action_rate(actor=student, action_id=action_id, score=5)
        assert refused.value.code == "rating.not_ratable"
    with pytest.raises(DomainError) as refused:
        services.action_rate(actor=college.personas["aid_staff"], action_id=own.pk, score=5)
    assert refused.value.code == "publication.not_allowed"
    assert not ActionRating.objects.exists()


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_outside_one_to_five_is_refused(college: College, score: int):
    action = completed_action(college)
    with pytest.raises(DomainError) as refused:
        services.action_rate(actor=college.personas["student_a"], action_id=action.pk, score=score)
    assert refused.value.field == "score"
    assert not ActionRating.objects.exists()


def test_the_plan_page_knows_what_may_still_be_rated(college: College):
    action = completed_action(college)
    actions = list(Action.objects.filter(student=college.student_a))

    before = selectors.ratings_for_plan(student_id=college.student_a.pk, actions=actions)
    rating = services.action_rate(actor=college.personas["student_a"], action_id=action.pk, score=3)
    ActionRating.objects.filter(pk=rating.pk).update(
        created_at=timezone.now() - dt.timedelta(days=8)
    )
    after = selectors.ratings_for_plan(student_id=college.student_a.pk, actions=actions)

    assert list(before) == [action.pk]  # only the completed one
    assert (before[action.pk].rating, before[action.pk].editable) == (None, True)
    rated = after[action.pk]
    assert rated.rating is not None
    assert (rated.rating.score, rated.editable) == (3, False)


def test_aggregates_by_department_measure_and_action(college: College):
    mine = completed_action(college)
    theirs = completed_action(college, student_b=True)
    services.action_rate(actor=college.personas["student_a"], action_id=mine.pk, score=5)
    services.action_rate(actor=student_b_login(college), action_id=theirs.pk, score=2)
    institution_id = college.institution.pk

    (department,) = selectors.satisfaction_by_department(institution_id=institution_id)
    (measure,) = selectors.satisfaction_by_measure(institution_id=institution_id)
    by_action = selectors.satisfaction_by_action(institution_id=institution_id)
    none_later = selectors.satisfaction_by_department(
        institution_id=institution_id, since=timezone.localdate() + dt.timedelta(days=1)
    )

    assert (department.label, department.ratings, department.average) == ("学生资助中心", 2, 3.5)
    assert department.satisfied_share == 0.5
    assert (measure.ratings, measure.average) == (2, 3.5)
    assert by_action == {mine.pk: 5, theirs.pk: 2}
    assert none_later == []
    assert (
        selectors.satisfaction_by_department(
            institution_id=college.personas["outsider"].institution_id or 0
        )
        == []
    )


def test_feedback_is_submitted_then_handled_with_a_reply(college: College):
    feedback = services.feedback_submit(
        actor=college.personas["student_a"], topic="policy", text="网签流程第三步看不懂"
    )
    officer = college.personas["employment_officer"]
    assert selectors.feedback_counts(actor=officer) == {"new": 1, "handled": 0, "all": 1}

    services.feedback_handle(actor=officer, feedback=feedback, reply="已补充截图说明")

    feedback.refresh_from_db()
    assert (feedback.status, feedback.reply, feedback.handled_by) == (
        "handled",
        "已补充截图说明",
        officer.user,
    )
    with pytest.raises(DomainError) as twice:
        services.feedback_handle(actor=officer, feedback=feedback, reply="")
    assert twice.value.code == "publication.bad_transition"
    assert selectors.feedback_list(actor=college.personas["outsider"]).count() == 0
    with pytest.raises(DomainError):
        services.feedback_handle(actor=college.personas["leader"], feedback=feedback, reply="")


@pytest.mark.parametrize(
    ("topic", "text", "field"), [("policy", "短", "text"), ("nope", "足够长的反馈", "topic")]
)
def test_feedback_is_checked(college: College, topic: str, text: str, field: str):
    with pytest.raises(DomainError) as refused:
        services.feedback_submit(actor=college.personas["student_a"], topic=topic, text=text)
    assert refused.value.field == field
    assert not StudentFeedback.objects.exists()
