"""Each check opens its alerts, a re-run opens nothing twice, and an alert closes itself
when its cause goes away."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.assistance.models import Action, AssistancePlan
from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.identification.models import Case, IdentificationRun, Signal
from jingzhun.identification.services import difficulty_types_ensure
from jingzhun.students.models import DestinationCode, GraduateDestination, Student
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.tests.alert_helpers import approved_plan, reconcile, unclosed

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 7, 20)


def test_high_risk_without_plan_opens_dedupes_and_closes(college):
    case = confirmed_case(college, level=1)
    confirmed_case(college, student=college.student_b, level=2, responsible="employment_officer")

    first = reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    second = reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)

    [alert] = unclosed(checks.HIGH_RISK_NO_PLAN)
    assert (alert.student_id, alert.owner_id, alert.severity, alert.state) == (
        college.student_a.pk,
        college.user("counsellor_a").pk,
        Alert.Severity.HIGH,
        Alert.State.OPEN,
    )
    assert alert.dedupe_key == f"high_risk_no_plan:{case.pk}"
    assert (first.opened, first.kept, first.closed) == (1, 0, 0)
    assert (second.opened, second.kept, second.closed) == (0, 1, 0)
    assert dict(first.new_by_owner) == {college.user("counsellor_a").pk: 1}

    AssistancePlan.objects.create(case=case, student=college.student_a)
    third = reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)

    alert.refresh_from_db()
    assert (third.closed, alert.state, alert.closed_by) == (1, Alert.State.CLOSED, None)
    assert alert.closed_at is not None


def test_action_overdue_belongs_to_the_assignee_and_closes_when_done(college):
    plan = approved_plan(college)
    action = plan.actions.get(measure__code="aid")
    Action.objects.filter(plan=plan).exclude(pk=action.pk).update(due_date=TODAY)
    Action.objects.filter(pk=action.pk).update(due_date=TODAY - dt.timedelta(days=20))

    reconcile(checks.ACTION_OVERDUE, TODAY)
    reconcile(checks.ACTION_OVERDUE, TODAY)

    [alert] = unclosed(checks.ACTION_OVERDUE)
    assert alert.owner_id == action.assignee_id
    assert alert.severity == Alert.Severity.HIGH  # 20 days ≥ ACTION_LATE_DAYS
    assert alert.details == {"action": action.pk, "due_date": "2027-06-30", "days_late": 20}

    Action.objects.filter(pk=action.pk).update(status=Action.Status.DONE)
    assert reconcile(checks.ACTION_OVERDUE, TODAY).closed == 1
    assert unclosed(checks.ACTION_OVERDUE) == []


def test_no_contact_counts_attempts_and_waits_for_a_new_case(settings, college):
    settings.ALERT_NO_CONTACT_DAYS = 30
    today = timezone.localdate()
    case = confirmed_case(college)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - dt.timedelta(days=400))
    confirmed_case(college, student=college.student_b, responsible="employment_officer")
    last = today - dt.timedelta(days=40)
    ContactAttempt.objects.create(student=college.student_a, attempted_on=last, channel="phone",
                                  reached=True)  # fmt: skip
    ContactAttempt.objects.create(
        student=college.student_a, attempted_on=today, channel="phone", reached=False
    )  # fmt: skip  (not reached: not a contact)

    reconcile(checks.NO_CONTACT, today)
    reconcile(checks.NO_CONTACT, today)

    [alert] = unclosed(checks.NO_CONTACT)  # student B's case is newer than 30 days
    assert (alert.student_id, alert.owner_id, alert.severity) == (
        college.student_a.pk,
        college.user("counsellor_a").pk,
        Alert.Severity.MEDIUM,
    )
    assert alert.details == {"last_contact_on": last.isoformat(), "days": 30}

    ContactAttempt.objects.create(student=college.student_a, attempted_on=today,
                                  channel="wechat", reached=True)  # fmt: skip
    assert reconcile(checks.NO_CONTACT, today).closed == 1


def test_destination_deadline_only_in_the_window_and_closes_on_registration(settings, college):
    settings.ALERT_DESTINATION_WINDOW_DAYS = 60
    Student.objects.filter(pk__in=[college.student_a.pk, college.student_b.pk]).update(cohort=2027)

    assert reconcile(checks.DESTINATION_DEADLINE, dt.date(2027, 6, 1)).opened == 0
    result = reconcile(checks.DESTINATION_DEADLINE, TODAY)

    alerts = unclosed(checks.DESTINATION_DEADLINE)
    assert result.opened == 2
    by_student = {a.student_id: a for a in alerts}
    # Student A's owner is the class counsellor (no case); class B has no counsellor.
    assert by_student[college.student_a.pk].owner_id == college.user("counsellor_a").pk
    assert by_student[college.student_b.pk].owner_id is None
    assert by_student[college.student_a.pk].details == {"deadline": "2027-08-31", "days_left": 42}

    code = DestinationCode.objects.get_or_create(
        code="11", defaults={"name": "签劳动合同形式就业"}
    )[0]
    GraduateDestination.objects.create(student=college.student_a, code=code, recorded_on=TODAY)
    again = reconcile(checks.DESTINATION_DEADLINE, TODAY)
    assert (again.kept, again.closed) == (1, 1)


def _run(college, as_of: dt.date) -> IdentificationRun:
    return IdentificationRun.objects.create(
        institution=college.institution, as_of=as_of, status=IdentificationRun.Status.FINISHED,
        started_by=college.user("employment_officer"),
    )  # fmt: skip


def test_signals_worsening_compares_the_two_latest_runs(college):
    types = difficulty_types_ensure()
    before, now = _run(college, dt.date(2027, 3, 1)), _run(college, dt.date(2027, 6, 1))
    for run, student, level in [(before, college.student_a, 3), (now, college.student_a, 1),
                                (now, college.student_a, 2), (before, college.student_b, 2),
                                (now, college.student_b, 2)]:  # fmt: skip
        Signal.objects.create(run=run, student=student, difficulty_type=types["academic"],
                              level=level, explanation="x")  # fmt: skip

    reconcile(checks.SIGNALS_WORSENING, TODAY)

    [alert] = unclosed(checks.SIGNALS_WORSENING)
    assert alert.student_id == college.student_a.pk
    assert alert.owner_id == college.user("counsellor_a").pk
    assert alert.severity == Alert.Severity.HIGH
    assert alert.details == {"level_before": 3, "level_now": 1, "runs": [before.pk, now.pk]}

    better = _run(college, dt.date(2027, 7, 1))
    Signal.objects.create(run=better, student=college.student_a, difficulty_type=types["academic"],
                          level=2, explanation="x")  # fmt: skip
    assert reconcile(checks.SIGNALS_WORSENING, TODAY).closed == 1


def test_plan_unacknowledged_after_the_days_and_closes_on_acknowledgement(settings, college):
    settings.ALERT_PLAN_ACK_DAYS = 7
    plan = approved_plan(college)
    AssistancePlan.objects.filter(pk=plan.pk).update(
        approved_at=timezone.now() - dt.timedelta(days=8)
    )
    today = timezone.localdate()

    reconcile(checks.PLAN_UNACKNOWLEDGED, today)
    reconcile(checks.PLAN_UNACKNOWLEDGED, today)

    [alert] = unclosed(checks.PLAN_UNACKNOWLEDGED)
    assert (alert.owner_id, alert.severity) == (college.user("counsellor_a").pk, Alert.Severity.LOW)

    AssistancePlan.objects.filter(pk=plan.pk).update(status=AssistancePlan.Status.ACKNOWLEDGED)
    assert reconcile(checks.PLAN_UNACKNOWLEDGED, today).closed == 1


def test_an_acknowledged_alert_stays_acknowledged_while_its_cause_lasts(college):
    confirmed_case(college, level=1)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    Alert.objects.update(state=Alert.State.ACKNOWLEDGED)

    result = reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)

    assert (result.opened, result.kept) == (0, 1)
    assert [a.state for a in unclosed(checks.HIGH_RISK_NO_PLAN)] == [Alert.State.ACKNOWLEDGED]


def test_every_kind_has_its_check():
    assert all(kind.implemented for kind in checks.KINDS.values())
    assert {checks.PUSHES_BELOW_THRESHOLD, checks.DESTINATION_QUALITY} <= set(checks.KINDS)


def test_pushes_below_the_threshold_open_for_final_year_cases_and_close_at_three(college):
    from jingzhun.jobs.models import PushPolicy
    from jingzhun.jobs.push_services import push_send_many
    from jingzhun.jobs.tests.helpers import posting

    Student.objects.filter(pk=college.student_a.pk).update(cohort=2027)
    Student.objects.filter(pk=college.student_b.pk).update(cohort=2028)  # not yet final year
    case = confirmed_case(college)
    confirmed_case(college, student=college.student_b, responsible="employment_officer")
    office = college.personas["employment_officer"]

    reconcile(checks.PUSHES_BELOW_THRESHOLD, TODAY)
    [alert] = unclosed(checks.PUSHES_BELOW_THRESHOLD)
    assert (alert.student_id, alert.owner_id, alert.severity) == (
        college.student_a.pk, college.user("counsellor_a").pk, Alert.Severity.HIGH,
    )  # fmt: skip
    assert alert.details == {"case": case.pk, "pushes": 0, "threshold": 3}

    push_send_many(actor=office, postings=[posting(college, f"岗位{n}") for n in range(2)],
                   students=[college.student_a])  # fmt: skip
    kept = reconcile(checks.PUSHES_BELOW_THRESHOLD, TODAY)
    assert (kept.opened, kept.kept, kept.closed) == (0, 1, 0)

    push_send_many(actor=office, postings=[posting(college, "岗位2")], students=[college.student_a])
    assert reconcile(checks.PUSHES_BELOW_THRESHOLD, TODAY).closed == 1
    assert unclosed(checks.PUSHES_BELOW_THRESHOLD) == []

    # A province that asks for five reopens it (a new alert: the old one stays closed).
    PushPolicy.objects.create(institution=college.institution, threshold=5)
    assert reconcile(checks.PUSHES_BELOW_THRESHOLD, TODAY).opened == 1
    [alert] = unclosed(checks.PUSHES_BELOW_THRESHOLD)
    assert (alert.severity, alert.details["pushes"], alert.details["threshold"]) == (
        Alert.Severity.MEDIUM, 3, 5,
    )  # fmt: skip


def test_a_destination_failing_a_check_opens_an_alert_until_it_is_fixed(college, settings):
    from jingzhun.tracking.tests.destination_helpers import open_window, register

    open_window(settings, college.student_a)
    # Recorded by the counsellor with nobody's contact with the student on record.
    registration = register(college, persona="counsellor_a")

    reconcile(checks.DESTINATION_QUALITY, TODAY)
    [alert] = unclosed(checks.DESTINATION_QUALITY)
    assert (alert.student_id, alert.owner_id, alert.severity) == (
        college.student_a.pk, college.user("counsellor_a").pk, Alert.Severity.MEDIUM,
    )  # fmt: skip
    assert alert.details == {"registration": registration.pk, "rules": ["no_contact"]}
    assert reconcile(checks.DESTINATION_QUALITY, TODAY).opened == 0

    ContactAttempt.objects.create(student=college.student_a, attempted_on=timezone.localdate(),
                                  channel=ContactAttempt.Channel.PHONE, reached=True)  # fmt: skip
    assert reconcile(checks.DESTINATION_QUALITY, TODAY).closed == 1
    assert unclosed(checks.DESTINATION_QUALITY) == []
