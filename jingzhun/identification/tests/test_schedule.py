"""Per-term runs: when they fall due, once per term, and the run page's settings."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from jingzhun.core.errors import DomainError
from jingzhun.data.periods import DEFAULT_CALENDAR
from jingzhun.identification import services
from jingzhun.identification.models import IdentificationRun, RunSchedule


@pytest.mark.parametrize(
    ("term", "start"),
    [("2026-2027-1", dt.date(2026, 9, 1)), ("2026-2027-2", dt.date(2027, 2, 1))],
)
def test_term_start(term, start):
    assert DEFAULT_CALENDAR.term_start(term) == start


@pytest.mark.parametrize(
    ("today", "due"),
    [(dt.date(2026, 9, 1), dt.date(2026, 9, 15)), (dt.date(2026, 9, 15), dt.date(2026, 9, 15)),
     (dt.date(2026, 11, 26), dt.date(2027, 2, 15)), (dt.date(2027, 7, 1), dt.date(2027, 9, 15))],
)  # fmt: skip
def test_next_due(today, due):
    assert services.next_due(RunSchedule(days_after_term_start=14), today) == due


@pytest.mark.django_db
def test_scheduled_run_starts_once_per_term_when_due(college, django_capture_on_commit_callbacks):
    officer = college.personas["employment_officer"]
    services.schedule_set(
        actor=officer, enabled=True, days_after_term_start=14, model_capacity=0.05
    )
    assert services.scheduled_runs_start(today=dt.date(2026, 9, 14)) == []  # not yet due
    with django_capture_on_commit_callbacks() as callbacks:
        (run,) = services.scheduled_runs_start(today=dt.date(2026, 9, 15))
    assert len(callbacks) == 1  # the worker is asked to execute it
    assert (run.term, run.scheduled, run.as_of, run.started_by, run.model_capacity) == (
        "2026-2027-1", True, dt.date(2026, 9, 15), officer.user, 0.05)  # fmt: skip
    assert services.scheduled_runs_start(today=dt.date(2026, 9, 16)) == []  # once per term
    (spring,) = services.scheduled_runs_start(today=dt.date(2027, 3, 1))
    assert spring.term == "2026-2027-2"
    manual = services.run_start(actor=officer, as_of=dt.date(2027, 3, 2))
    assert not manual.scheduled and IdentificationRun.objects.count() == 3


@pytest.mark.django_db
def test_disabled_schedule_starts_nothing_and_the_command_says_so(college):
    services.schedule_set(actor=college.personas["employment_officer"], enabled=False,
                          days_after_term_start=0, model_capacity=0.1)  # fmt: skip
    out = StringIO()
    call_command("schedule_identification", "--today", "2026-10-01", stdout=out)
    assert not IdentificationRun.objects.exists()
    assert out.getvalue().strip() in {"No scheduled run is due.", "没有到期的定期识别。"}


@pytest.mark.django_db
def test_command_starts_the_due_run(college):
    services.schedule_set(actor=college.personas["employment_officer"], enabled=True,
                          days_after_term_start=0, model_capacity=0.1)  # fmt: skip
    out = StringIO()
    call_command("schedule_identification", "--today", "2026-10-01", stdout=out)
    run = IdentificationRun.objects.get()
    assert f" {run.pk} " in out.getvalue() and "2026-2027-1" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("capacity", [0.0, 0.005, 0.6])
def test_capacity_outside_what_a_run_allows_is_refused(college, capacity):
    with pytest.raises(DomainError) as raised:
        services.run_start(actor=college.personas["employment_officer"], as_of=dt.date(2026, 10, 1),
                           model_capacity=capacity)  # fmt: skip
    assert raised.value.code == "run.bad_capacity"
    assert not IdentificationRun.objects.exists()


@pytest.mark.django_db
def test_run_page_sets_capacity_and_schedule(client, college):
    client.force_login(college.user("employment_officer"))
    client.post(reverse("identification:run-list"), {"capacity": "15", "cohort": ""})
    assert IdentificationRun.objects.get().model_capacity == pytest.approx(0.15)
    refused = client.post(reverse("identification:run-list"), {"capacity": "90"}, follow=True)
    assert IdentificationRun.objects.count() == 1
    assert "50%" in refused.content.decode()
    typo = client.post(reverse("identification:run-list"), {"cohort": "2O27"}, follow=True)
    assert IdentificationRun.objects.count() == 1  # not a run over the whole institution
    assert "届别是毕业年份，例如 2027。" in typo.content.decode()
    bad_school = client.post(reverse("identification:run-list"), {"school": "x"})
    assert bad_school.status_code == 404
    client.post(
        reverse("identification:run-schedule"), {"enabled": "on", "days": "21", "capacity": "8"}
    )
    schedule = RunSchedule.objects.get()
    assert (
        schedule.enabled,
        schedule.days_after_term_start,
        schedule.owner,
        schedule.dismissal_days,
    ) == (
        True,
        21,
        college.user("employment_officer"),
        None,  # a dismissal holds until the next term
    )
    assert schedule.model_capacity == pytest.approx(0.08)
    page = client.get(reverse("identification:run-list")).content.decode()
    assert 'data-testid="schedule-form"' in page and 'id="schedule-enabled" checked' in page


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "saved"), [("30", 30), ("0", 0), ("", None)])
def test_the_schedule_sets_how_long_a_dismissal_holds(college, client, raw, saved):
    client.force_login(college.user("employment_officer"))
    client.post(reverse("identification:run-schedule"),
                {"enabled": "on", "days": "14", "capacity": "10", "dismissal_days": raw})  # fmt: skip
    assert RunSchedule.objects.get().dismissal_days == saved


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["366", "-1", "²", "abc"])
def test_a_dismissal_hold_out_of_range_saves_nothing(college, client, raw):
    client.force_login(college.user("employment_officer"))
    client.post(reverse("identification:run-schedule"),
                {"enabled": "on", "days": "14", "capacity": "10", "dismissal_days": raw})  # fmt: skip
    assert not RunSchedule.objects.exists()
