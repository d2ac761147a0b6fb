"""Recording a follow-up: the contact attempt, the outcome, the next date — or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.services import Answer, followup_answer, followup_record
from jingzhun.tracking.tests.helpers import TODAY, graduate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]
D = dt.date


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def _due(student, **fields) -> FollowUp:
    values = {
        "kind": "unplaced",
        "anchor_on": D(2026, 6, 30),
        "round": 1,
        "due_on": D(2026, 11, 20),
    }
    return FollowUp.objects.create(student=student, **(values | fields))


def test_a_reached_graduate_still_seeking_gets_the_next_follow_up_in_30_days(college):
    student = graduate(college)
    followup = _due(student)
    counsellor = college.personas["counsellor_a"]

    done = followup_record(actor=counsellor, followup=followup, answer=Answer(
        done_on=TODAY, channel="phone", reached=True, outcome="still_seeking", note="在投简历"))  # fmt: skip

    assert (done.status, done.outcome, done.next_on, done.author) == (
        "done",
        "still_seeking",
        D(2026, 12, 26),
        counsellor.user,
    )
    contact = ContactAttempt.objects.get(student=student)
    assert (contact.attempted_on, contact.channel, contact.reached, done.contact) == (
        TODAY,
        "phone",
        True,
        contact,
    )
    (following,) = FollowUp.objects.filter(student=student, status="open")
    assert (following.kind, following.round, following.due_on) == ("unplaced", 2, D(2026, 12, 26))
    audit = AuditLog.objects.get(object_type="tracking.followup", object_id=str(followup.pk))
    assert audit.detail == {"outcome": "still_seeking", "reached": True, "next": following.pk}


def test_an_unreached_graduate_is_recorded_as_not_reachable(college):
    student = graduate(college)
    followup = _due(student)

    done = followup_record(actor=college.personas["counsellor_a"], followup=followup,
                           answer=Answer(done_on=TODAY, channel="phone", reached=False, outcome=""))  # fmt: skip

    assert done.outcome == "unreachable"
    assert ContactAttempt.objects.get(student=student).reached is False


def test_placed_starts_the_newly_placed_series_from_the_day_told(college):
    student = graduate(college)
    followup = _due(student)

    followup_record(actor=college.personas["counsellor_a"], followup=followup, answer=Answer(
        done_on=D(2026, 11, 25), channel="wechat", outcome="placed", placed_where="郑州某物流公司"))  # fmt: skip

    (following,) = FollowUp.objects.filter(student=student, status="open")
    assert (following.kind, following.anchor_on, following.round, following.due_on) == (
        "newly_placed",
        D(2026, 11, 25),
        1,
        D(2026, 12, 25),
    )


def test_a_chosen_next_date_wins_and_declined_schedules_nothing(college):
    first, second = graduate(college), graduate(college)
    counsellor = college.personas["counsellor_a"]
    followup_record(actor=counsellor, followup=_due(first), answer=Answer(
        done_on=TODAY, channel="phone", outcome="other", next_on=D(2026, 12, 3)))  # fmt: skip
    followup_record(actor=counsellor, followup=_due(second), answer=Answer(
        done_on=TODAY, channel="phone", outcome="declined"))  # fmt: skip

    assert FollowUp.objects.get(student=first, status="open").due_on == D(2026, 12, 3)
    assert not FollowUp.objects.filter(student=second, status="open").exists()


@pytest.mark.parametrize(
    ("answer", "field"),
    [
        (Answer(done_on=None, channel="phone", outcome="other"), "done_on"),
        (Answer(done_on=D(2026, 11, 27), channel="phone", outcome="other"), "done_on"),
        (Answer(done_on=TODAY, channel="pigeon", outcome="other"), "channel"),
        (Answer(done_on=TODAY, channel="phone", outcome=""), "outcome"),
        (Answer(done_on=TODAY, channel="phone", outcome="unreachable"), "outcome"),
        (Answer(done_on=TODAY, channel="phone", outcome="placed"), "placed_where"),
        (Answer(done_on=TODAY, channel="phone", outcome="other", next_on=D(2027, 1, 5)), "next_on"),
    ],
)
def test_bad_input_writes_nothing(college, answer, field):
    followup = _due(graduate(college))

    with pytest.raises(DomainError) as error:
        followup_record(actor=college.personas["counsellor_a"], followup=followup, answer=answer)

    assert error.value.field == field
    assert ContactAttempt.objects.count() == 0
    assert FollowUp.objects.get(pk=followup.pk).status == "open"
    assert FollowUp.objects.count() == 1


def test_out_of_scope_and_recorded_twice_are_refused(college):
    other = graduate(college, klass=college.class_b)
    followup = _due(graduate(college))
    answer = Answer(done_on=TODAY, channel="phone", outcome="other")
    with pytest.raises(DomainError):
        followup_record(actor=college.personas["counsellor_a"], followup=_due(other), answer=answer)
    with pytest.raises(DomainError):
        followup_record(actor=college.personas["aid_staff"], followup=followup, answer=answer)
    followup_record(actor=college.personas["counsellor_a"], followup=followup, answer=answer)
    with pytest.raises(DomainError, match=r"followup\.not_open"):
        followup_record(actor=college.personas["counsellor_a"], followup=followup, answer=answer)
    assert ContactAttempt.objects.count() == 1


def test_the_student_answers_their_own_follow_up_without_a_contact_attempt(college):
    student = college.student_a
    type(student).objects.filter(pk=student.pk).update(cohort=2026, status="graduated")
    _due(student)

    done = followup_answer(actor=college.personas["student_a"], outcome="further_study",
                           placed_where="某职业技术大学（专升本）")  # fmt: skip

    assert (done.by_student, done.outcome, done.done_on, done.channel) == (
        True,
        "further_study",
        TODAY,
        "",
    )
    assert ContactAttempt.objects.count() == 0
