"""The registry of alert checks: each kind says what SHOULD be open now, for everyone at once.

A check is a set-based function `check(today) -> Iterable[Wanted]`: a few queries over the
whole population (joins, correlated subqueries, aggregates), never a query per student. The
reconcile service (`services.alerts_reconcile`) compares that set with the open alerts of the
kind: it opens the missing ones, leaves the rest, and closes those whose cause went away.

Adding a kind: write `def _check_x(today: dt.date) -> Iterable[Wanted]` and fill its slot in
`KINDS` (or `register(AlertKind(...))` from a later app's `AppConfig.ready`). A slot whose
`check` is None is listed on the page but never run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import F, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhun.assistance.models import Action, AssistancePlan
from jingzhun.assistance.transitions import ACTION_OPEN
from jingzhun.identification.models import Case, IdentificationRun, Level, Signal
from jingzhun.identification.transitions import OPEN as CASE_OPEN
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.models import GraduateDestination, Student
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.contacts import with_last_contact

HIGH, MEDIUM, LOW = Alert.Severity.HIGH, Alert.Severity.MEDIUM, Alert.Severity.LOW
# Cases someone is working on: confirmed, or in assistance.
WORKED = (Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE)
DEADLINE_MONTH_DAY = (8, 31)  # the cohort's destination deadline (毕业去向落实, 31 August)
ACTION_LATE_DAYS = 14  # an action this many days overdue is a high-severity alert


class Wanted(NamedTuple):
    """One alert that should be open: its subject makes the dedupe key with the kind."""

    subject: int
    student_id: int
    owner_id: int | None
    severity: int
    details: dict[str, Any]


Check = Callable[[dt.date], Iterable[Wanted]]


@dataclass(frozen=True)
class AlertKind:
    code: str
    label: Any
    check: Check | None
    description: Any = ""

    @property
    def implemented(self) -> bool:
        return self.check is not None

    def dedupe_key(self, subject: int) -> str:
        return f"{self.code}:{subject}"


def _case_owner(student_ref: str = "pk") -> Subquery:
    """The responsible person of the student's open case (None without one)."""
    return Subquery(
        Case.objects.filter(student=OuterRef(student_ref), status__in=CASE_OPEN)
        .order_by("-pk").values("responsible_id")[:1]
    )  # fmt: skip


def _counsellor(class_ref: str = "class_group_id") -> Subquery:
    """The first active counsellor of the student's class."""
    return Subquery(
        RoleAssignment.objects.filter(
            role=Role.COUNSELLOR, is_active=True, classes=OuterRef(class_ref)
        ).order_by("pk").values("user_id")[:1]
    )  # fmt: skip


def _owner(student_ref: str = "pk", class_ref: str = "class_group_id") -> Coalesce:
    return Coalesce(_case_owner(student_ref), _counsellor(class_ref))


def _rows(qs: QuerySet[Any], build: Callable[[dict[str, Any]], Wanted]) -> Iterator[Wanted]:
    for row in qs.iterator(chunk_size=5000):
        yield build(row)


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = timezone.localdate(value)
    return value.isoformat()


# --- high-risk with no plan ---------------------------------------------------------------


def check_high_risk_no_plan(today: dt.date) -> Iterable[Wanted]:
    """Confirmed cases at the key level (一级) that have no assistance plan yet."""
    qs = Case.objects.filter(
        status__in=WORKED, level=Level.KEY, assistance_plan__isnull=True
    ).values("pk", "student_id", "responsible_id", "updated_at")
    return _rows(qs, lambda r: Wanted(r["pk"], r["student_id"], r["responsible_id"], HIGH,
                                      {"case": r["pk"], "since": _iso(r["updated_at"])}))  # fmt: skip


# --- action overdue -----------------------------------------------------------------------


def check_action_overdue(today: dt.date) -> Iterable[Wanted]:
    """Open assistance actions past their due date; owned by the assignee."""
    qs = Action.objects.filter(status__in=ACTION_OPEN, due_date__lt=today).values(
        "pk", "student_id", "assignee_id", "due_date", "measure_id"
    )

    def build(r: dict[str, Any]) -> Wanted:
        late = (today - r["due_date"]).days
        severity = HIGH if late >= ACTION_LATE_DAYS else MEDIUM
        details = {"action": r["pk"], "due_date": _iso(r["due_date"]), "days_late": late}
        return Wanted(r["pk"], r["student_id"], r["assignee_id"], severity, details)

    return _rows(qs, build)


# --- no recorded contact ------------------------------------------------------------------


def check_no_contact(today: dt.date) -> Iterable[Wanted]:
    """Students of worked cases nobody has reached for `ALERT_NO_CONTACT_DAYS` days (a case
    opened more recently than that is not late yet). Owner: the case's responsible person."""
    days = settings.ALERT_NO_CONTACT_DAYS
    cutoff = today - dt.timedelta(days=days)
    opened_before = timezone.make_aware(dt.datetime.combine(cutoff, dt.time()))
    # One filter() call, so every `cases__` condition and the owner read share one join.
    qs: QuerySet[Any] = (
        with_last_contact(Student.objects.all())
        .filter(  # type: ignore[misc]  # (django-stubs cannot see the annotation)
Q(cases__status__in=WORKED)
                & (Q(last_contact_on__lt=cutoff)
                   | Q(last_contact_on__isnull=True, cases__created_at__lt=opened_before)))
        .values("pk", "last_contact_on", "cases__responsible_id")
    )  # fmt: skip

    def build(r: dict[str, Any]) -> Wanted:
        last = r["last_contact_on"]
        severity = HIGH if last is None or (today - last).days >= 2 * days else MEDIUM
        details = {"last_contact_on": _iso(last), "days": days}
        return Wanted(r["pk"], r["pk"], r["cases__responsible_id"], severity, details)

    return _rows(qs, build)


# --- graduates without destination near 31 August ------------------------------------------


def deadline_of(today: dt.date) -> dt.date:
    return dt.date(today.year, *DEADLINE_MONTH_DAY)


def check_destination_deadline(today: dt.date) -> Iterable[Wanted]:
    """This year's graduates with no registered destination, from
    `ALERT_DESTINATION_WINDOW_DAYS` before 31 August up to the day. Outside that window the
    set is empty (after the deadline, follow-ups take over), so the alerts close."""
    deadline = deadline_of(today)
    left = (deadline - today).days
    if not 0 <= left <= settings.ALERT_DESTINATION_WINDOW_DAYS:
        return []
    qs = (
        Student.objects.filter(
            cohort=today.year, status__in=(Student.Status.ENROLLED, Student.Status.GRADUATED)
        )
        .exclude(pk__in=GraduateDestination.objects.values("student_id"))
        .annotate(owner=_owner())
        .values("pk", "owner")
    )
    severity = HIGH if left <= 14 else MEDIUM
    details = {"deadline": deadline.isoformat(), "days_left": left}
    return _rows(qs, lambda r: Wanted(r["pk"], r["pk"], r["owner"], severity, details))


# --- signals worsening since the last run ---------------------------------------------------


def latest_two_runs() -> list[tuple[int, int]]:
    """(latest, previous) finished runs of each institution that has two."""
    pairs = []
    runs = IdentificationRun.objects.filter(status=IdentificationRun.Status.FINISHED)
    for institution_id in runs.values_list("institution_id", flat=True).distinct():
        ids = list(
            runs.filter(institution_id=institution_id)
            .order_by("-as_of", "-created_at", "-pk").values_list("pk", flat=True)[:2]
        )  # fmt: skip
        if len(ids) == 2:
            pairs.append((ids[0], ids[1]))
    return pairs


def check_signals_worsening(today: dt.date) -> Iterable[Wanted]:
    """Students flagged by both of the two latest runs whose most severe level got worse
    (a lower level number: 一级 is the most severe). Identification stores a signal per
    reason with its level, so the comparison is of the minimum level per run."""
    for latest, previous in latest_two_runs():
        before = (
            Signal.objects.filter(run_id=previous, student_id=OuterRef("student_id"))
            .values("student_id").annotate(m=Min("level")).values("m")[:1]
        )  # fmt: skip
        qs = (
            Signal.objects.filter(run_id=latest)
            .values("student_id")
            .annotate(now=Min("level"), before=Subquery(before),
                      owner=_owner("student_id", "student__class_group_id"))
            .filter(before__isnull=False, now__lt=F("before"))
            .values("student_id", "now", "before", "owner")
        )  # fmt: skip
        yield from _rows(qs, partial(_worsened, runs=[previous, latest]))


def _worsened(r: dict[str, Any], *, runs: list[int]) -> Wanted:
    severity = HIGH if r["now"] == Level.KEY else MEDIUM
    details = {"level_before": r["before"], "level_now": r["now"], "runs": runs}
    return Wanted(r["student_id"], r["student_id"], r["owner"], severity, details)


# --- plan unacknowledged --------------------------------------------------------------------


def check_plan_unacknowledged(today: dt.date) -> Iterable[Wanted]:
    """Approved plans the student has not acknowledged `ALERT_PLAN_ACK_DAYS` after approval.
    Owner: the case's responsible person (who reminds the student)."""
    days = settings.ALERT_PLAN_ACK_DAYS
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time()))
    qs = AssistancePlan.objects.filter(
        status=AssistancePlan.Status.APPROVED, approved_at__lt=cutoff
    ).values("pk", "student_id", "case__responsible_id", "approved_at")
    return _rows(qs, lambda r: Wanted(r["pk"], r["student_id"], r["case__responsible_id"], LOW,
                                      {"plan": r["pk"], "approved_on": _iso(r["approved_at"])}))  # fmt: skip


# --- the registry ---------------------------------------------------------------------------

HIGH_RISK_NO_PLAN = "high_risk_no_plan"
ACTION_OVERDUE = "action_overdue"
NO_CONTACT = "no_contact"
PUSHES_BELOW_THRESHOLD = "pushes_below_threshold"
DESTINATION_DEADLINE = "destination_deadline"
SIGNALS_WORSENING = "signals_worsening"
DESTINATION_QUALITY = "destination_quality"
PLAN_UNACKNOWLEDGED = "plan_unacknowledged"

KINDS: dict[str, AlertKind] = {}


def register(kind: AlertKind) -> None:
    """Declare a kind, or fill a slot declared without its check."""
    KINDS[kind.code] = kind


def kind_of(code: str) -> AlertKind:
    return KINDS[code]


def implemented() -> list[AlertKind]:
    return [k for k in KINDS.values() if k.implemented]


for _kind in (
    AlertKind(HIGH_RISK_NO_PLAN, _("High-risk student with no plan"), check_high_risk_no_plan),
    AlertKind(ACTION_OVERDUE, _("Action overdue"), check_action_overdue),
    AlertKind(NO_CONTACT, _("No recorded contact"), check_no_contact),
    AlertKind(
        PUSHES_BELOW_THRESHOLD, _("Job pushes below the threshold"), None,
        _("Final-year students in assistance who have received fewer targeted postings than "
          "the policy threshold."),
    ),
    AlertKind(DESTINATION_DEADLINE, _("No destination near the deadline"), check_destination_deadline),
    AlertKind(SIGNALS_WORSENING, _("Signals worsening since the last run"), check_signals_worsening),
    AlertKind(
        DESTINATION_QUALITY, _("Destination failing a quality check"), None,
        _("Destinations failing a data-quality check (wage below the local minimum, missing "
          "or expired evidence, an internship presented as employment …)."),
    ),
    AlertKind(PLAN_UNACKNOWLEDGED, _("Plan not acknowledged by the student"), check_plan_unacknowledged),
):  # fmt: skip
    register(_kind)
