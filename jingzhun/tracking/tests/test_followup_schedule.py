"""Scheduling follow-ups: who gets one, when it is due, and that running twice adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.schedule import followups_schedule
from jingzhun.tracking.tests.helpers import TODAY, graduate

pytestmark = pytest.mark.django_db
D = dt.date


def _open(student) -> list[tuple[str, int, dt.date]]:
    return list(
        FollowUp.objects.filter(student=student, status="open").values_list(
            "kind", "round", "due_on"
        )
    )


def test_unplaced_and_newly_placed_graduates_get_their_first_follow_up(college):
    unplaced = graduate(college)  # no destination at all
    waiting = graduate(college, code="70", recorded_on=D(2026, 7, 10))  # 待就业
    newly = graduate(college, code="11", recorded_on=D(2026, 10, 1))  # placed after leaving
    early = graduate(college, code="10", recorded_on=D(2026, 4, 1))  # placed before leaving
    older = graduate(college, cohort=2025)  # beyond the six-month window
    current = graduate(college, cohort=2027)  # still in school

    result = followups_schedule(today=TODAY)

    assert result.created == 3
    assert _open(unplaced) == [("unplaced", 1, D(2026, 7, 30))]  # graduation + 30 days
    assert _open(waiting) == [("unplaced", 1, D(2026, 7, 30))]
    assert _open(newly) == [("newly_placed", 1, D(2026, 10, 31))]  # placement + 30
    assert _open(early) == _open(older) == _open(current) == []


def test_running_again_adds_nothing(college):
    graduate(college)
    graduate(college, code="11", recorded_on=D(2026, 10, 1))
    followups_schedule(today=TODAY)
    before = list(FollowUp.objects.values_list("pk", "due_on", "status"))

    again = followups_schedule(today=TODAY)

    assert again.created == again.cancelled == 0
    assert list(FollowUp.objects.values_list("pk", "due_on", "status")) == before


def test_the_next_unplaced_follow_up_counts_from_the_last_one_done(college, settings):
    settings.JINGZHUN_FOLLOWUP_UNPLACED_DAYS = 20
    student = graduate(college)
    FollowUp.objects.create(student=student, kind="unplaced", anchor_on=D(2026, 6, 30), round=1,
                            due_on=D(2026, 7, 20), status="done", done_on=D(2026, 7, 22),
                            outcome="still_seeking")  # fmt: skip

    followups_schedule(today=TODAY)

    assert _open(student) == [("unplaced", 2, D(2026, 8, 11))]


def test_newly_placed_rounds_follow_the_intervals_and_then_stop(college):
    student = graduate(college, code="11", recorded_on=D(2026, 7, 15))
    for number, due in ((1, D(2026, 8, 14)), (2, D(2026, 10, 13))):
        FollowUp.objects.create(student=student, kind="newly_placed", anchor_on=D(2026, 7, 15),
                                round=number, due_on=due, status="done", done_on=due,
                                outcome="placed", placed_where="甲公司")  # fmt: skip

    assert followups_schedule(today=TODAY).created == 0
    assert _open(student) == []


def test_declined_help_stops_follow_ups(college):
    student = graduate(college)
    FollowUp.objects.create(student=student, kind="unplaced", anchor_on=D(2026, 6, 30), round=1,
                            due_on=D(2026, 7, 30), status="done", done_on=D(2026, 7, 30),
                            outcome="declined")  # fmt: skip

    assert followups_schedule(today=TODAY).created == 0


def test_a_follow_up_due_after_the_window_is_not_added(college):
    student = graduate(college)
    FollowUp.objects.create(student=student, kind="unplaced", anchor_on=D(2026, 6, 30), round=4,
                            due_on=D(2026, 12, 1), status="done", done_on=D(2026, 12, 10),
                            outcome="still_seeking")  # fmt: skip

    followups_schedule(today=D(2026, 12, 12))  # the next would be Jan 9, after Dec 30

    assert _open(student) == []


def test_open_follow_ups_close_when_placed_or_out_of_the_window(college, settings):
    settings.JINGZHUN_FOLLOWUP_WINDOW_MONTHS = 18
    placed = graduate(college, code="10", recorded_on=D(2026, 4, 1))
    leaving = graduate(college, cohort=2025)
    for student, anchor in ((placed, D(2026, 6, 30)), (leaving, D(2025, 6, 30))):
        FollowUp.objects.create(student=student, kind="unplaced", anchor_on=anchor, round=1,
                                due_on=anchor + dt.timedelta(days=30))  # fmt: skip
    settings.JINGZHUN_FOLLOWUP_WINDOW_MONTHS = 6

    result = followups_schedule(today=TODAY)

    assert result.cancelled == 2
    assert set(FollowUp.objects.values_list("status", flat=True)) == {"cancelled"}


def test_the_command_only_enqueues_and_the_task_schedules(college):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from jingzhun.tracking.followups.tasks import schedule_followups_task

    graduate(college)
    call_command("schedule_followups", "--today", "2026-11-26")

    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == (
        "jingzhun.tracking.followups.tasks.schedule_followups_task",
        ["2026-11-26"],
    )
    assert not FollowUp.objects.exists()
    assert schedule_followups_task.call("2026-11-26") == 1
    assert schedule_followups_task.call("2026-11-26") == 0
