"""The 回访 list (scope, filters, counts, a fixed number of queries) and recording from it;
follow-ups and handover on the case file's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.timeline import entries_for
from jingzhun.tracking.handover.services import (
    Reply,
    handover_create,
    handover_reply,
    handover_send,
)
from jingzhun.tracking.lifecycle import STAGE_LABELS, Stage
from jingzhun.tracking.tests.helpers import TODAY, graduate

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)


def _due(student, due: dt.date, **fields) -> FollowUp:
    return FollowUp.objects.create(student=student, kind="unplaced", anchor_on=D(2026, 6, 30),
                                   due_on=due, **fields)  # fmt: skip


def test_the_list_shows_the_counsellors_own_graduates_with_counts(
    college, client, django_assert_max_num_queries
):
    overdue = _due(graduate(college, name="甲"), D(2026, 11, 1))
    _due(graduate(college, name="乙"), D(2026, 11, 30))
    _due(graduate(college, name="丙"), D(2026, 12, 20))
    _due(graduate(college, name="外班", klass=college.class_b), D(2026, 11, 1))
    client.force_login(college.user("counsellor_a"))

    with django_assert_max_num_queries(14):
        response = client.get(reverse("tracking:followup-list"))

    assert response.context["counts"] == {"overdue": 1, "week": 1, "later": 1, "done": 0}
    assert [f.student.name for f in response.context["page"].object_list] == ["甲", "乙", "丙"]
    overdue_only = client.get(reverse("tracking:followup-list"), {"when": "overdue"})
    assert [f.pk for f in overdue_only.context["page"].object_list] == [overdue.pk]


def test_query_count_does_not_grow_with_rows(college, client, django_assert_num_queries):
    client.force_login(college.user("employment_officer"))
    _due(graduate(college), D(2026, 11, 1))
    url = reverse("tracking:followup-list")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(5):
        _due(graduate(college), D(2026, 11, 2))
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_recording_from_the_list_returns_to_it_with_the_follow_up_done(college, client):
    student = graduate(college, name="张三")
    followup = _due(student, D(2026, 11, 20))
    client.force_login(college.user("counsellor_a"))
    back = reverse("tracking:followup-list") + "?when=overdue"

    response = client.post(reverse("tracking:followup-record", args=[followup.pk]), {
        "done_on": "2026-11-26", "channel": "phone", "reached": "yes", "outcome": "still_seeking",
        "note": "正在准备考公", "next": back,
    })  # fmt: skip

    assert response.status_code == 302 and response["Location"] == back
    followup.refresh_from_db()
    assert (followup.status, followup.next_on) == ("done", D(2026, 12, 26))
    assert ContactAttempt.objects.filter(student=student, reached=True).count() == 1


def test_a_bad_answer_shows_the_form_again_and_writes_nothing(college, client):
    followup = _due(graduate(college), D(2026, 11, 20))
    client.force_login(college.user("counsellor_a"))

    response = client.post(reverse("tracking:followup-record", args=[followup.pk]), {
        "done_on": "2026-11-26", "channel": "phone", "reached": "yes", "outcome": "placed"})  # fmt: skip

    assert response.status_code == 200 and response.context["error_field"] == "placed_where"
    assert FollowUp.objects.get(pk=followup.pk).status == "open"
    assert ContactAttempt.objects.count() == 0


def test_follow_ups_and_the_handover_are_on_the_timeline(college):
    student = graduate(college, hukou_region_code="410102")
    _due(student, D(2026, 8, 1), status="done", done_on=D(2026, 8, 2), outcome="still_seeking",
         note="仍在求职", author=college.user("counsellor_a"))  # fmt: skip
    _due(student, D(2026, 12, 1), round=2)
    office = college.personas["employment_officer"]
    batch = handover_send(
        actor=office, batch=handover_create(actor=office, cohort=2026, place="4101")
    )
    handover_reply(actor=office, entry=batch.entries.get(), reply=Reply("contacted", note="已登记"))

    kinds = [e.kind for e in entries_for(actor=office, student=student)]
    counsellor = entries_for(actor=college.personas["counsellor_a"], student=student)

    assert sorted(kinds) == ["followup", "followup_due", "handover", "handover", "handover_reply"]
    assert sorted(e.kind for e in counsellor) == ["followup", "followup_due"]  # no handover
    done = next(e for e in counsellor if e.kind == "followup")
    assert (done.detail, done.actor_name) == ("仍在求职", "张辅导员")


def test_the_case_file_shows_the_lifecycle_stage(college, client):
    student = graduate(college)
    client.force_login(college.user("counsellor_a"))

    response = client.get(reverse("students:detail", args=[student.pk]))

    assert response.context["stage"] == STAGE_LABELS[Stage.AFTER_LEAVING]
    assert 'data-testid="lifecycle-stage"' in response.content.decode()
