"""The daily run: one notification per owner, the command idempotent; people acknowledge and
close within their scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog, Job
from jingzhun.identification.models import Case
from jingzhun.notifications.models import Notification
from jingzhun.students.models import Student
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert, AlertCheckRun
from jingzhun.tracking.alerts.services import (
    CHECK_JOB,
    NOTICE_KIND,
    alert_acknowledge,
    alert_checks_execute,
    alert_close,
    alerts_bulk_acknowledge,
)
from jingzhun.tracking.tests.alert_helpers import reconcile

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 7, 20)


def _two_kinds_for_counsellor(college):
    """Student A: key-level case without plan; student B: another one for the same owner."""
    confirmed_case(college, level=1)
    confirmed_case(college, student=college.student_b, level=1, signal=False)
    # Not in their final year: no push-threshold alerts beside the two of one kind.
    Student.objects.filter(pk__in=[college.student_a.pk, college.student_b.pk]).update(cohort=2030)


def test_one_notification_per_owner_per_run_with_counts(college):
    _two_kinds_for_counsellor(college)
    run = AlertCheckRun.objects.create(day=timezone.localdate())

    alert_checks_execute(run_id=run.pk)
    alert_checks_execute(run_id=run.pk)  # a retried job tells no one twice

    [notice] = Notification.objects.filter(kind=NOTICE_KIND)
    assert notice.recipient == college.user("counsellor_a")
    assert notice.url == "/tracking/alerts/?owner=me"
    # Two alerts of one kind: the count in the title, one line per kind in the body.
    assert "2" in notice.title
    assert notice.body.endswith(": 2") and "\n" not in notice.body
    run.refresh_from_db()
    assert run.counts[checks.HIGH_RISK_NO_PLAN] == {"opened": 0, "kept": 2, "closed": 0}
    assert run.finished_at is not None


def test_the_command_enqueues_once_a_day(college, capsys):
    call_command("check_alerts", "--day", "2027-07-20")
    call_command("check_alerts", "--day", "2027-07-20")

    assert AlertCheckRun.objects.count() == 1
    assert Job.objects.filter(kind=CHECK_JOB).count() == 1
    assert "already" in capsys.readouterr().out

    Job.objects.filter(kind=CHECK_JOB).update(status=Job.Status.SUCCEEDED)
    call_command("check_alerts", "--day", "2027-07-20")
    assert Job.objects.filter(kind=CHECK_JOB).count() == 1
    call_command("check_alerts", "--day", "2027-07-20", "--again")
    assert Job.objects.filter(kind=CHECK_JOB).count() == 2


def _alert(college) -> Alert:
    confirmed_case(college, level=1)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    return Alert.objects.get()


def test_acknowledge_then_close_with_a_note_records_who_and_when(college):
    alert = _alert(college)
    counsellor = college.personas["counsellor_a"]

    alert_acknowledge(actor=counsellor, alert_id=alert.pk)
    alert_close(actor=counsellor, alert_id=alert.pk, note="已电话联系，周五前制定方案")

    alert.refresh_from_db()
    assert alert.state == Alert.State.CLOSED
    assert alert.acknowledged_by == alert.closed_by == counsellor.user
    assert alert.note == "已电话联系，周五前制定方案"
    assert (
        AuditLog.objects.filter(object_type="tracking.alert", object_id=str(alert.pk)).count() == 2
    )


def test_closing_needs_a_note_and_a_closed_alert_stays_closed(college):
    alert = _alert(college)
    counsellor = college.personas["counsellor_a"]

    with pytest.raises(DomainError) as no_note:
        alert_close(actor=counsellor, alert_id=alert.pk, note=" ")
    alert_close(actor=counsellor, alert_id=alert.pk, note="ok")
    with pytest.raises(DomainError) as again:
        alert_acknowledge(actor=counsellor, alert_id=alert.pk)

    assert no_note.value.code == "alert.note_required"
    assert again.value.code == "alert.bad_transition"


def test_out_of_scope_and_leadership_cannot_touch_an_alert(college):
    alert = _alert(college)
    Case.objects.update(student=college.student_b)
    Alert.objects.update(student=college.student_b)

    with pytest.raises(Alert.DoesNotExist):
        alert_acknowledge(actor=college.personas["counsellor_a"], alert_id=alert.pk)
    with pytest.raises(DomainError):
        alert_acknowledge(actor=college.personas["leader"], alert_id=alert.pk)
    assert Alert.objects.get().state == Alert.State.OPEN


def test_bulk_acknowledge_moves_only_open_alerts_in_scope(college):
    _two_kinds_for_counsellor(college)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    ids = list(Alert.objects.order_by("pk").values_list("pk", flat=True))

    n = alerts_bulk_acknowledge(actor=college.personas["counsellor_a"], alert_ids=ids)

    assert n == 1  # student B is not of counsellor A's classes
    states = dict(Alert.objects.values_list("student_id", "state"))
    assert states == {college.student_a.pk: "acknowledged", college.student_b.pk: "open"}


def test_the_task_runs_the_checks_as_a_long_job(college):
    from jingzhun.tracking.alerts.services import alert_checks_start
    from jingzhun.tracking.alerts.tasks import alert_checks_task

    confirmed_case(college, level=1)
    run = alert_checks_start(day=timezone.localdate())
    assert run is not None

    alert_checks_task.call(run.pk)

    job = Job.objects.get(kind=CHECK_JOB, subject_id=run.pk)
    assert (job.status, job.attempts, job.error) == (Job.Status.SUCCEEDED, 1, "")
    assert Alert.objects.filter(kind=checks.HIGH_RISK_NO_PLAN).count() == 1
