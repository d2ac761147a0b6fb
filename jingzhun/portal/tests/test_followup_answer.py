"""A graduate answers their open follow-up in the portal: tracking's service records it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jingzhun.students.models import Student
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followups.models import FollowUp

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


def test_the_graduate_says_they_are_placed_and_the_next_follow_up_is_scheduled(
    college, client, monkeypatch
):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    Student.objects.filter(pk=college.student_a.pk).update(cohort=2026, status="graduated")
    followup = FollowUp.objects.create(student=college.student_a, kind="unplaced",
                                       anchor_on=dt.date(2026, 6, 30), due_on=dt.date(2026, 11, 20))  # fmt: skip
    client.force_login(college.user("student_a"))
    url = reverse("portal:followup")
    assert client.get(url).context["followup"] == followup

    missing = client.post(url, {"outcome": "placed"})
    assert missing.status_code == 200 and FollowUp.objects.get(pk=followup.pk).status == "open"
    response = client.post(url, {"outcome": "placed", "placed_where": "郑州某软件公司"})

    assert response.status_code == 302
    followup.refresh_from_db()
    assert (followup.status, followup.by_student, followup.outcome, followup.done_on) == (
        "done",
        True,
        "placed",
        TODAY,
    )
    following = FollowUp.objects.get(student=college.student_a, status="open")
    assert (following.kind, following.due_on) == ("newly_placed", dt.date(2026, 12, 26))
    assert ContactAttempt.objects.count() == 0
    assert client.get(url).context["followup"] == following


def test_nothing_to_answer_without_an_open_follow_up(college, client):
    client.force_login(college.user("student_a"))

    response = client.get(reverse("portal:followup"))

    assert response.context["followup"] is None
    assert 'data-testid="no-followup"' in response.content.decode()
