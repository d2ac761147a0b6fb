"""Handover writes: a batch per place, sending and closing it, and what came back per
graduate — by hand or from the returned sheet. Each one transaction, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.status import TransitionTable, move
from jingzhun.org.models import RoleAssignment
from jingzhun.tracking.followups import permissions
from jingzhun.tracking.followups.errors import TrackingErrorCode
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.handover.places import place_name
from jingzhun.tracking.handover.selectors import batch_entries, candidates_in_place

S = HandoverBatch.Status
BATCH_TABLE = TransitionTable(
    allowed={S.DRAFT: frozenset({S.SENT}), S.SENT: frozenset({S.CLOSED}), S.CLOSED: frozenset()},
    labels=dict(S.choices),
    bad_transition_code=TrackingErrorCode.HANDOVER_BAD_TRANSITION,
    bad_transition_message=gettext_lazy("%(current)s cannot become %(target)s."),
)
NOTE_MAX = 1000
WHERE_MAX = 120


def _no_event(*_args: Any, **_kwargs: Any) -> None:
    """Batches keep their dates on the row (sent_on, closed_on); the audit row is the event."""


@transaction.atomic
def handover_create(
    *, actor: RoleAssignment, cohort: int, place: str, receiver: str = "",
    request: HttpRequest | None = None,
) -> HandoverBatch:  # fmt: skip
    """A draft batch of every graduate of `cohort` from `place` still to be handed over."""
    permissions.require(permissions.can_hand_over(actor), code=TrackingErrorCode.HANDOVER_NOT_ALLOWED)  # fmt: skip
    # A graduate is handed over once (a unique student on the entry): a batch created at the
    # same moment for the same place fails on it rather than holding anyone twice.
    students = list(
        candidates_in_place(actor=actor, cohort=cohort, key=place).values_list("pk", flat=True)
    )
    if not students:
        raise DomainError(TrackingErrorCode.HANDOVER_EMPTY,
                          _("No graduate of this cohort and place is waiting to be handed over."))  # fmt: skip
    batch = HandoverBatch.objects.create(
        institution_id=actor.institution_id or 0, cohort=cohort, place_code=place,
        place_name=place_name(place), receiver=receiver.strip()[:100], created_by=actor.user,
    )  # fmt: skip
    HandoverEntry.objects.bulk_create(
        [HandoverEntry(batch=batch, student_id=pk) for pk in students]
    )
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=batch, request=request,
              role=actor.role, detail={"cohort": cohort, "place": place, "entries": len(students)})  # fmt: skip
    return batch


def _locked(batch: HandoverBatch) -> HandoverBatch:
    return HandoverBatch.objects.select_for_update().get(pk=batch.pk)


@transaction.atomic
def handover_send(
    *, actor: RoleAssignment, batch: HandoverBatch, request: HttpRequest | None = None
) -> HandoverBatch:
    permissions.require(permissions.can_hand_over(actor), code=TrackingErrorCode.HANDOVER_NOT_ALLOWED)  # fmt: skip
    batch = _locked(batch)
    batch.sent_on = timezone.localdate()
    move(batch, S.SENT, table=BATCH_TABLE, record=_no_event, by=actor.user, role=actor.role,
         changed=["sent_on"], request=request)  # fmt: skip
    return batch


@transaction.atomic
def handover_close(
    *, actor: RoleAssignment, batch: HandoverBatch, request: HttpRequest | None = None
) -> HandoverBatch:
    permissions.require(permissions.can_hand_over(actor), code=TrackingErrorCode.HANDOVER_NOT_ALLOWED)  # fmt: skip
    batch = _locked(batch)
    batch.closed_on = timezone.localdate()
    move(batch, S.CLOSED, table=BATCH_TABLE, record=_no_event, by=actor.user, role=actor.role,
         changed=["closed_on"], request=request)  # fmt: skip
    return batch


@dataclass(frozen=True)
class Reply:
    returned: str
    placed_where: str = ""
    note: str = ""


def _reply_checked(reply: Reply) -> Reply:
    if reply.returned not in HandoverEntry.Return.values:
        raise DomainError(TrackingErrorCode.HANDOVER_INVALID, _("Choose what came back."), field="returned")  # fmt: skip
    where, note = reply.placed_where.strip(), reply.note.strip()
    if reply.returned == HandoverEntry.Return.PLACED and not where:
        raise DomainError(TrackingErrorCode.HANDOVER_INVALID, _("Say where: the employer or the school."), field="placed_where")  # fmt: skip
    if len(where) > WHERE_MAX or len(note) > NOTE_MAX:
        raise DomainError(TrackingErrorCode.HANDOVER_INVALID, _("Please keep the note within %(max)s characters.") % {"max": NOTE_MAX}, field="note")  # fmt: skip
    return Reply(reply.returned, where, note)


def _require_sent(batch: HandoverBatch) -> None:
    if batch.status != S.SENT:
        raise DomainError(TrackingErrorCode.HANDOVER_BAD_TRANSITION,
                          _("Replies are recorded for a batch that has been sent and is not closed."))  # fmt: skip


def _apply(entry: HandoverEntry, reply: Reply, *, actor: RoleAssignment, today: dt.date) -> bool:
    """Write the reply on the entry; False when it says what the entry already says."""
    if (entry.returned, entry.placed_where, entry.return_note) == (reply.returned, reply.placed_where, reply.note):  # fmt: skip
        return False
    entry.returned, entry.placed_where, entry.return_note = (
        reply.returned,
        reply.placed_where,
        reply.note,
    )
    entry.returned_on, entry.recorded_by = today, actor.user
    entry.save(update_fields=["returned", "placed_where", "return_note", "returned_on", "recorded_by", "updated_at"])  # fmt: skip
    return True


@transaction.atomic
def handover_reply(
    *, actor: RoleAssignment, entry: HandoverEntry, reply: Reply,
    request: HttpRequest | None = None,
) -> HandoverEntry:  # fmt: skip
    """Record what the receiving office reported for one graduate."""
    permissions.require(permissions.can_hand_over(actor), code=TrackingErrorCode.HANDOVER_NOT_ALLOWED)  # fmt: skip
    entry = HandoverEntry.objects.select_for_update().select_related("batch").get(pk=entry.pk)
    _require_sent(entry.batch)
    reply = _reply_checked(reply)
    if _apply(entry, reply, actor=actor, today=timezone.localdate()):
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=entry, request=request,
                  role=actor.role, fields=["returned"], detail={"returned": reply.returned})  # fmt: skip
    return entry


@dataclass
class ReplyReport:
    """What a returned sheet says, checked: nothing is applied while `problems` is not empty."""

    rows: int = 0
    by_reply: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (sheet row, message)
    changed: int = 0
    applied: bool = False


@transaction.atomic
def handover_replies_apply(
    *, actor: RoleAssignment, batch: HandoverBatch, replies: list[tuple[int, str, Reply]],
    check_only: bool = False, request: HttpRequest | None = None,
) -> ReplyReport:  # fmt: skip
    """Apply the parsed rows of a returned sheet — (sheet row, student key, reply), the key a
    student number or an ID number — all or none: any problem and nothing is written."""
    permissions.require(permissions.can_hand_over(actor), code=TrackingErrorCode.HANDOVER_NOT_ALLOWED)  # fmt: skip
    batch = _locked(batch)
    _require_sent(batch)
    entries = list(batch_entries(actor=actor, batch=batch))  # only graduates in the actor's scope
    by_key = {e.student.student_number: e for e in entries}
    by_key |= {e.student.id_number.upper(): e for e in entries if e.student.id_number}
    report, seen, planned = ReplyReport(rows=len(replies)), set(), []
    for row, key, reply in replies:
        entry = by_key.get(key.strip().upper())
        if entry is None:
            report.problems.append((row, _("This graduate is not in the batch.")))
            continue
        if entry.pk in seen:
            report.problems.append((row, _("This graduate appears twice in the sheet.")))
            continue
        seen.add(entry.pk)
        try:
            checked = _reply_checked(reply)
        except DomainError as exc:
            report.problems.append((row, exc.message))
            continue
        report.by_reply[checked.returned] = report.by_reply.get(checked.returned, 0) + 1
        planned.append((entry, checked))
    if report.problems or check_only:
        return report
    today = timezone.localdate()
    report.changed = sum(_apply(e, r, actor=actor, today=today) for e, r in planned)
    report.applied = True
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=batch, request=request,
              role=actor.role, detail={"replies": report.rows, "changed": report.changed})  # fmt: skip
    return report
