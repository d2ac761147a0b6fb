"""The two alert kinds whose facts live in other areas: targeted pushes below the threshold
(jobs) and destinations failing a data-quality check (tracking's destinations). They fill the
slots `checks` declares; `setup.ready` registers them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from jingzhun.identification.models import Case
from jingzhun.jobs.models import JobPush, PushPolicy
from jingzhun.org.models import Institution
from jingzhun.students.models import Student
from jingzhun.tracking.alerts.checks import HIGH, MEDIUM, WORKED, Wanted, _owner, _rows
from jingzhun.tracking.destinations.checks import ERROR
from jingzhun.tracking.destinations.quality import institution_quality_issues

JOB_SEASON_MONTH = 9  # the final year (and its job season) starts in September


def graduating_cohort(today: dt.date) -> int:
    """The cohort in its final year on `today`: it graduates next summer from September on."""
    return today.year + 1 if today.month >= JOB_SEASON_MONTH else today.year


def check_pushes_below_threshold(today: dt.date) -> Iterable[Wanted]:
    """Final-year students with a worked case who have received fewer targeted pushes than
    their institution's threshold (`PushPolicy`, else `JINGZHUN_PUSH_THRESHOLD`). Severity is
    high with none at all. Owner: the case's responsible person."""
    pushes = (
        JobPush.objects.filter(student=OuterRef("student_id"))
        .values("student")
        .annotate(n=Count("pk"))
        .values("n")
    )
    threshold = PushPolicy.objects.filter(institution=OuterRef("student__institution_id")).values(
        "threshold"
    )[:1]
    qs = (
        Case.objects.filter(status__in=WORKED, student__cohort=graduating_cohort(today))
        .annotate(
            pushes=Coalesce(Subquery(pushes, output_field=IntegerField()), Value(0)),
            threshold=Coalesce(
                Subquery(threshold, output_field=IntegerField()), Value(settings.PUSH_THRESHOLD)
            ),
        )
        .filter(pushes__lt=F("threshold"))
        .values("pk", "student_id", "responsible_id", "pushes", "threshold")
    )

    def build(r: dict[str, Any]) -> Wanted:
        details = {"case": r["pk"], "pushes": r["pushes"], "threshold": r["threshold"]}
        severity = HIGH if r["pushes"] == 0 else MEDIUM
        return Wanted(r["pk"], r["student_id"], r["responsible_id"], severity, details)

    return _rows(qs, build)


def check_destination_quality(today: dt.date) -> Iterable[Wanted]:
    """Live destination registrations that fail a data-quality check (the 去向核查 list),
    one alert per registration naming the rules; high when a rule is an error. Owner: the
    case's responsible person, else the class counsellor."""
    wanted = []
    for institution_id in Institution.objects.values_list("pk", flat=True):
        issues = institution_quality_issues(institution_id=institution_id)
        if not issues:
            continue
        owners = dict(
            Student.objects.filter(pk__in={i.registration.student_id for i in issues})
            .annotate(owner=_owner())
            .values_list("pk", "owner")
        )
        for issue in issues:
            registration = issue.registration
            severity = HIGH if any(rule.severity == ERROR for rule in issue.rules) else MEDIUM
            details = {"registration": registration.pk, "rules": [r.id for r in issue.rules]}
            wanted.append(
                Wanted(registration.pk, registration.student_id,
                       owners.get(registration.student_id), severity, details)
            )  # fmt: skip
    return wanted
