"""Alerts in the demo college: the daily checks run over the seeded data, after the little
arranging that gives each implemented kind something to find.

The demo is seeded in one sitting, so nothing in it is old yet: a few worked cases and
approved plans are dated back (no contact for a month, plans unacknowledged for ten days), a
key-level case waits for a plan, one open action is made overdue, and an earlier run (last
term) with milder signals is added for a few flagged students so the latest run shows them
worsening. The graduates-without-destination check runs as of 30 days before the final-year
cohort's deadline (31 August), because the demo may be opened in any month; the next real
daily check closes those alerts outside the window, as it would in a college."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jingzhun.assistance.models import Action, AssistancePlan
from jingzhun.assistance.transitions import ACTION_OPEN
from jingzhun.identification.models import Case, IdentificationRun, Level, Signal
from jingzhun.org.models import Institution
from jingzhun.students.models import Student
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert, AlertCheckRun
from jingzhun.tracking.alerts.services import alerts_notify_owners, alerts_reconcile
from jingzhun.tracking.batches.stages import final_cohort

WORSENING_STUDENTS = 8
ARRANGED = 3  # cases or plans dated back per kind


def _arrange(institution: Institution, today: dt.date) -> None:
    students = Student.objects.filter(institution=institution)
    worked = Case.objects.filter(student__in=students, status__in=checks.WORKED)
    long_ago = timezone.now() - dt.timedelta(days=settings.ALERT_NO_CONTACT_DAYS + 30)
    back = list(worked.order_by("pk").values_list("pk", flat=True)[: ARRANGED * 3])
    Case.objects.filter(pk__in=back).update(created_at=long_ago)
    if not worked.filter(level=Level.KEY, assistance_plan__isnull=True).exists():
        waiting = worked.filter(assistance_plan__isnull=True).order_by("pk").first()
        if waiting is not None:
            Case.objects.filter(pk=waiting.pk).update(level=Level.KEY)
    approved = AssistancePlan.objects.filter(
        student__in=students, status=AssistancePlan.Status.APPROVED
    )
    ack_late = timezone.now() - dt.timedelta(days=settings.ALERT_PLAN_ACK_DAYS + 3)
    AssistancePlan.objects.filter(
        pk__in=list(approved.values_list("pk", flat=True)[:ARRANGED])
    ).update(approved_at=ack_late)
    open_actions = Action.objects.filter(student__in=students, status__in=ACTION_OPEN)
    if not open_actions.filter(due_date__lt=today).exists():
        first = open_actions.order_by("pk").first()
        if first is not None:
            Action.objects.filter(pk=first.pk).update(due_date=today - dt.timedelta(days=5))
    _earlier_run(institution)


def _earlier_run(institution: Institution) -> None:
    """Last term's run: the same reasons one level milder for a few of the latest flags."""
    latest = (
        IdentificationRun.objects.filter(institution=institution, status=IdentificationRun.Status.FINISHED)
        .order_by("-as_of", "-pk").first()
    )  # fmt: skip
    if (
        latest is None
        or IdentificationRun.objects.filter(
            institution=institution,
            status=IdentificationRun.Status.FINISHED,
            as_of__lt=latest.as_of,
        ).exists()
    ):
        return
    earlier = IdentificationRun.objects.create(
        institution=institution, as_of=latest.as_of - dt.timedelta(days=180),
        status=IdentificationRun.Status.FINISHED, started_by=latest.started_by, term="",
    )  # fmt: skip
    severe = latest.signals.filter(level__lt=Level.GENERAL).order_by("student_id", "pk")
    students = list(dict.fromkeys(severe.values_list("student_id", flat=True)))[:WORSENING_STUDENTS]
    Signal.objects.bulk_create(
        Signal(run=earlier, student_id=s.student_id, rule_id=s.rule_id, difficulty_type_id=s.difficulty_type_id,
               level=Level.GENERAL, explanation=s.explanation, sensitivity=s.sensitivity)
        for s in latest.signals.filter(student_id__in=students)
    )  # fmt: skip


def seed_alerts_demo(*, institution_code: str) -> Counter[str] | None:
    """Open the demo's alerts once; None when they are there already (or no demo college)."""
    institution = Institution.objects.filter(code=institution_code).first()
    if institution is None or Alert.objects.filter(student__institution=institution).exists():
        return None
    today = timezone.localdate()
    with transaction.atomic():
        _arrange(institution, today)
    window_day = checks.deadline_of(dt.date(final_cohort(today), 1, 1)) - dt.timedelta(days=30)
    results = [
        alerts_reconcile(kind=kind, today=window_day if kind.code == checks.DESTINATION_DEADLINE else today)
        for kind in checks.implemented()
    ]  # fmt: skip
    run, _ = AlertCheckRun.objects.get_or_create(day=today)
    run.counts = {r.kind: r.counts() for r in results}
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    alerts_notify_owners(run=run, results=results)
    return Counter({r.kind: r.opened for r in results})
