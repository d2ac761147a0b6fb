"""Alert services: reconcile each kind with what its check wants open, run every check as
one long job, notify owners once per run, and the people's moves (acknowledge, close)."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.bulk import insert_rows, write_cache
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress, is_busy, is_interrupted, job_enqueue, job_retry, latest_job
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.notifications.services import notify
from jingzhun.org.models import RoleAssignment, User
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.alerts import checks, permissions
from jingzhun.tracking.alerts.errors import TrackingErrorCode
from jingzhun.tracking.alerts.models import Alert, AlertCheckRun
from jingzhun.tracking.alerts.transitions import ALERT_TABLE

CHECK_JOB = "tracking.alert_checks"
NOTICE_KIND = "tracking.alerts_opened"
BATCH_SIZE = 2000
CLOSE_CHUNK = 5000  # ids per UPDATE … WHERE pk IN (…): well under SQLite's variable limit
NOTE_MAX = 1000
BULK_MAX = 500


@dataclass
class Reconciled:
    kind: str
    opened: int = 0
    kept: int = 0
    closed: int = 0
    # New alerts per owner (user id): who is told, and about how many.
    new_by_owner: Counter[int] = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        return {"opened": self.opened, "kept": self.kept, "closed": self.closed}


def _chunks(items: Sequence[Any], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def alerts_reconcile(
    *, kind: checks.AlertKind, today: dt.date, now: dt.datetime | None = None
) -> Reconciled:
    """Make the open alerts of `kind` what its check wants now: open the missing ones (bulk),
    keep those still wanted (acknowledged ones stay acknowledged), close the rest (bulk).

    The check reads outside the transaction; the writes are one short transaction. A
    concurrent run cannot open a key twice: the unique constraint on unclosed keys and
    `ignore_conflicts` make the second insert a no-op."""
    if kind.check is None:
        return Reconciled(kind.code)
    # A page cache that holds the indexes the check reads and the insert touches (SQLite).
    with write_cache():
        return _reconcile(kind, today, now or timezone.now())


def _reconcile(kind: checks.AlertKind, today: dt.date, now: dt.datetime) -> Reconciled:
    assert kind.check is not None
    wanted = {kind.dedupe_key(w.subject): w for w in kind.check(today)}
    existing = dict(
        Alert.objects.filter(kind=kind.code)
        .exclude(state=Alert.State.CLOSED)
        .values_list("dedupe_key", "pk")
    )
    new = [w_key for w_key in wanted if w_key not in existing]
    gone = [pk for key, pk in existing.items() if key not in wanted]
    result = Reconciled(
        kind.code, opened=len(new), kept=len(existing) - len(gone), closed=len(gone)
    )
    with transaction.atomic():
        _open(kind.code, new, wanted, now)
        for pks in _chunks(gone, CLOSE_CHUNK):
            Alert.objects.filter(pk__in=pks).exclude(state=Alert.State.CLOSED).update(
                state=Alert.State.CLOSED, closed_at=now, closed_by=None, updated_at=now
            )
    result.new_by_owner.update(o for o in (wanted[k].owner_id for k in new) if o is not None)
    return result


def _open(kind: str, keys: list[str], wanted: dict[str, checks.Wanted], now: dt.datetime) -> None:
    """Insert the new alerts with core's multi-row insert (COPY on PostgreSQL): the ORM's
    bulk_create prepares every value through the field API, which dominated at a million.
    A concurrent run that inserted some first (the unique key refuses) falls back to
    bulk_create skipping conflicts."""
    opened_at = connection.ops.adapt_datetimefield_value(now)
    try:
        with transaction.atomic():
            insert_rows(Alert, (
                {"kind": kind, "dedupe_key": key, "student_id": w.student_id, "owner_id": w.owner_id,
                 "severity": int(w.severity), "details": json.dumps(w.details, ensure_ascii=False),
                 "opened_at": opened_at, "state": Alert.State.OPEN}
                for key, w in ((key, wanted[key]) for key in keys)
            ))  # fmt: skip
    except IntegrityError:
        for chunk in _chunks(keys, BATCH_SIZE):
            Alert.objects.bulk_create(
                [_alert(kind, key, wanted[key], now) for key in chunk], ignore_conflicts=True
            )


def _alert(kind: str, key: str, wanted: checks.Wanted, now: dt.datetime) -> Alert:
    return Alert(
        kind=kind, dedupe_key=key, student_id=wanted.student_id, owner_id=wanted.owner_id,
        severity=wanted.severity, details=wanted.details, opened_at=now,
        created_at=now, updated_at=now,
    )  # fmt: skip


def alert_checks_execute(*, run_id: int, progress: Progress | None = None) -> AlertCheckRun:
    """Run every implemented check for the run's day, then tell each owner of new alerts
    once. Safe to run again: a second execution opens nothing new and notifies no one twice
    (the notice's dedupe key is the run)."""
    run = AlertCheckRun.objects.get(pk=run_id)
    kinds = checks.implemented()
    results: list[Reconciled] = []
    for n, kind in enumerate(kinds):
        if progress:
            progress.step(kind.label, total=len(kinds))
            progress.set(n)
        results.append(alerts_reconcile(kind=kind, today=run.day))
    if progress:
        progress.step(_("Notifying the owners of new alerts"))
    alerts_notify_owners(run=run, results=results)
    run.counts = {r.kind: r.counts() for r in results}
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    return run


def alerts_notify_owners(*, run: AlertCheckRun, results: Iterable[Reconciled]) -> int:
    """One notification per owner per run, with the count of new alerts of each kind."""
    per_owner: dict[int, Counter[str]] = defaultdict(Counter)
    for result in results:
        for owner_id, n in result.new_by_owner.items():
            per_owner[owner_id][result.kind] += n
    users = User.objects.filter(pk__in=list(per_owner), is_active=True).order_by("pk")
    url = f"{reverse('tracking:alert-list')}?{urlencode({'owner': 'me'})}"
    told = 0
    with transaction.atomic():
        for user in users:
            counts = per_owner[user.pk]
            total = sum(counts.values())
            body = "\n".join(
                f"{checks.kind_of(code).label}: {n}" for code, n in sorted(counts.items())
            )
            notify(
                recipients=[user], kind=NOTICE_KIND,
                title=_("%(n)s new alerts need your attention") % {"n": total},
                body=body, url=url, dedupe_key=f"tracking.alerts:{run.day.isoformat()}",
            )  # fmt: skip
            told += 1
    return told


# --- starting the checks ----------------------------------------------------------------------


def alert_checks_start(
    *, day: dt.date | None = None, again: bool = False, actor: RoleAssignment | None = None
) -> AlertCheckRun | None:
    """Enqueue the day's checks once (the daily command, or the employment office's button).

    Idempotent: a day whose checks are waiting or running is left alone, and a day already
    checked is checked again only with `again` (or when its job failed or was interrupted).
    Returns the run enqueued, None when nothing was."""
    if actor is not None:
        permissions.require(permissions.can_run_checks(actor))
    day = day or timezone.localdate()
    with transaction.atomic():
        run, created = AlertCheckRun.objects.get_or_create(day=day)
        job = None if created else latest_job(run, kind=CHECK_JOB)
        if is_interrupted(job):
            assert job is not None
            job_retry(job)
        elif is_busy(job) or (
            not created and not again and job is not None and job.status == "succeeded"
        ):
            return None
        else:
            job_enqueue(kind=CHECK_JOB, subject=run)
        if actor is not None:
            audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=run,
                      role=actor.role, detail={"day": day.isoformat()})  # fmt: skip
    return run


# --- people's moves ----------------------------------------------------------------------------


def alert_queryset(*, actor: RoleAssignment | None) -> Any:
    """Alerts of the students in the actor's scope (every read and write starts here)."""
    if not permissions.can_read_alerts(actor):
        return Alert.objects.none()
    return Alert.objects.filter(student__in=student_queryset(actor=actor))


def _record(alert: Alert, *, from_status: str, to_status: str, by: Any, note: str) -> None:
    """The alert keeps who moved it and when on its own row (no separate event table)."""
    now = timezone.now()
    if to_status == Alert.State.ACKNOWLEDGED:
        alert.acknowledged_at, alert.acknowledged_by = now, by
    elif to_status == Alert.State.CLOSED:
        alert.closed_at, alert.closed_by = now, by
    if note:
        alert.note = note


def _note_checked(note: str) -> str:
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise DomainError(TrackingErrorCode.ALERT_NOTE_REQUIRED,
                          _("Please keep the note within %(max)s characters.") % {"max": NOTE_MAX})  # fmt: skip
    return note


def _locked(actor: RoleAssignment, alert_id: int) -> Alert:
    permissions.require(permissions.can_handle_alerts(actor))
    return alert_queryset(actor=actor).select_for_update().get(pk=alert_id)


_CHANGED: dict[str, tuple[str, ...]] = {
    Alert.State.ACKNOWLEDGED: ("acknowledged_at", "acknowledged_by", "note"),
    Alert.State.CLOSED: ("closed_at", "closed_by", "note"),
}


def _move(actor: RoleAssignment, alert: Alert, target: str, note: str,
          request: HttpRequest | None) -> Alert:  # fmt: skip
    move(alert, target, table=ALERT_TABLE, record=_record, by=actor.user, role=actor.role,
         note=note, changed=_CHANGED[target], status_field="state", request=request,
         audit_fields=["state"])  # fmt: skip
    return alert


@transaction.atomic
def alert_acknowledge(
    *, actor: RoleAssignment, alert_id: int, note: str = "", request: HttpRequest | None = None
) -> Alert:
    """The owner (or anyone who handles alerts in scope) has seen it and is on it."""
    alert = _locked(actor, alert_id)
    return _move(actor, alert, Alert.State.ACKNOWLEDGED, _note_checked(note), request)


@transaction.atomic
def alert_close(
    *, actor: RoleAssignment, alert_id: int, note: str, request: HttpRequest | None = None
) -> Alert:
    """Close by hand, with a note saying what was done. If the data still shows the cause,
    the next daily check opens a new alert: closing is for causes settled outside the data."""
    alert = _locked(actor, alert_id)
    return _move(actor, alert, Alert.State.CLOSED, _note_checked(note), request)


@transaction.atomic
def alerts_bulk_acknowledge(
    *, actor: RoleAssignment, alert_ids: list[int], note: str = "",
    request: HttpRequest | None = None,
) -> int:  # fmt: skip
    """Acknowledge the checked open alerts in scope; others (closed, already acknowledged,
    out of scope) are left as they are. Returns how many moved."""
    permissions.require(permissions.can_handle_alerts(actor))
    note = _note_checked(note)
    ids = alert_queryset(actor=actor).filter(
        pk__in=alert_ids[:BULK_MAX], state=Alert.State.OPEN
    ).values_list("pk", flat=True)  # fmt: skip
    moved = 0
    for pk in list(ids):
        alert = _locked(actor, pk)
        _move(actor, alert, Alert.State.ACKNOWLEDGED, note, request)
        moved += 1
    return moved
