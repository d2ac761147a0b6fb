"""The last-contact annotation that alerts, destination checks and the unknown-outcome rule share."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.assistance.models import AssistanceRecord
from jingzhun.students.models import Student
from jingzhun.tracking.contacts import ContactAttempt, with_last_contact

pytestmark = pytest.mark.django_db


def _attempt(student, day, *, reached=True):
    return ContactAttempt.objects.create(
        student=student, attempted_on=day, channel=ContactAttempt.Channel.PHONE, reached=reached
    )


def _record(student, day):
    return AssistanceRecord.objects.create(
        student=student, kind=AssistanceRecord.Kind.TALK, occurred_on=day, content="谈心谈话"
    )


def _last(student):
    annotated = with_last_contact(Student.objects.filter(pk=student.pk)).get()
    return getattr(annotated, "last_contact_on")  # noqa: B009  (an annotation mypy cannot see)


def test_never_contacted_is_none(college):
    assert _last(college.student_a) is None


def test_an_unanswered_attempt_is_not_a_contact(college):
    _attempt(college.student_a, dt.date(2026, 10, 1), reached=False)
    assert _last(college.student_a) is None


@pytest.mark.parametrize(
    ("attempts", "records", "expected"),
    [
        ([dt.date(2026, 10, 1)], [], dt.date(2026, 10, 1)),
        ([], [dt.date(2026, 9, 3)], dt.date(2026, 9, 3)),
        ([dt.date(2026, 10, 1)], [dt.date(2026, 11, 2)], dt.date(2026, 11, 2)),
        ([dt.date(2026, 11, 5), dt.date(2026, 8, 1)], [dt.date(2026, 11, 2)], dt.date(2026, 11, 5)),
    ],
)
def test_the_newest_of_attempts_and_records_wins(college, attempts, records, expected):
    for day in attempts:
        _attempt(college.student_a, day)
    for day in records:
        _record(college.student_a, day)
    _attempt(college.student_b, dt.date(2026, 12, 1))  # another student's contact is not counted
    assert _last(college.student_a) == expected
