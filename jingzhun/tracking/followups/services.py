"""Recording a follow-up (回访): the call (a contact attempt, reached or not), its outcome and
the next date — one transaction, audited. A student's own answer from the portal goes through
`followup_answer`, which records no contact attempt (nobody tried to reach them)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.followups import permissions
from jingzhun.tracking.followups.errors import TrackingErrorCode
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.schedule import PLACED_OUTCOMES, placed_days, unplaced_days
from jingzhun.tracking.lifecycle import graduation_day, window_end, window_months

NOTE_MAX = 2000
WHERE_MAX = 120


@dataclass(frozen=True)
class Answer:
    """What was learnt at a follow-up."""

    done_on: dt.date | None
    outcome: str
    channel: str = ""
    reached: bool = True
    placed_where: str = ""
    note: str = ""
    next_on: dt.date | None = None


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(TrackingErrorCode.INVALID, message, field=field)


def _checked(followup: FollowUp, answer: Answer, *, staff: bool) -> Answer:
    """The answer, validated; an unreached student's outcome is "not reachable"."""
    today = timezone.localdate()
    if answer.done_on is None:
        raise _invalid(_("Give the date of the follow-up."), "done_on")
    if answer.done_on > today:
        raise _invalid(_("A follow-up records what happened: the date cannot be in the future."), "done_on")  # fmt: skip
    if answer.done_on <= graduation_day(followup.student.cohort):
        raise _invalid(_("Follow-ups begin after graduation."), "done_on")
    if staff and answer.channel not in ContactAttempt.Channel.values:
        raise _invalid(_("Choose how you contacted the student."), "channel")
    outcome = answer.outcome if answer.reached else FollowUp.Outcome.UNREACHABLE
    if outcome not in FollowUp.Outcome.values:
        raise _invalid(_("Choose the outcome."), "outcome")
    if answer.reached and outcome == FollowUp.Outcome.UNREACHABLE:
        raise _invalid(_("You reached the student: choose what they said."), "outcome")
    where = answer.placed_where.strip()
    if outcome in PLACED_OUTCOMES and not where:
        raise _invalid(_("Say where: the employer or the school."), "placed_where")
    if len(where) > WHERE_MAX or len(answer.note) > NOTE_MAX:
        raise _invalid(_("Please keep the note within %(max)s characters.") % {"max": NOTE_MAX}, "note")  # fmt: skip
    end = window_end(followup.student.cohort, window_months())
    if answer.next_on is not None and not answer.done_on < answer.next_on <= end:
        raise _invalid(
            _("The next follow-up must fall after this one and by %(end)s, when monitoring ends.")
            % {"end": end.isoformat()}, "next_on",
        )  # fmt: skip
    return Answer(done_on=answer.done_on, outcome=outcome, channel=answer.channel,
                  reached=answer.reached, placed_where=where, note=answer.note.strip(),
                  next_on=answer.next_on)  # fmt: skip


def default_next(followup: FollowUp, outcome: str, done_on: dt.date) -> dt.date | None:
    """The interval's next date for this outcome (None: declined, or the series is over)."""
    if outcome == FollowUp.Outcome.DECLINED:
        return None
    due: dt.date | None
    if outcome in PLACED_OUTCOMES:
        intervals = placed_days()
        if followup.kind == FollowUp.Kind.NEWLY_PLACED:
            if followup.round >= len(intervals):
                return None
            due = followup.anchor_on + dt.timedelta(days=intervals[followup.round])
        else:
            due = done_on + dt.timedelta(days=intervals[0]) if intervals else None
    else:
        due = done_on + dt.timedelta(days=unplaced_days())
    end = window_end(followup.student.cohort, window_months())
    return due if due is not None and done_on < due <= end else None


def _series(followup: FollowUp, outcome: str, done_on: dt.date) -> tuple[str, dt.date]:
    """(kind, anchor) of the follow-up that comes after this one."""
    if outcome in PLACED_OUTCOMES:
        if followup.kind == FollowUp.Kind.NEWLY_PLACED:
            return followup.kind, followup.anchor_on
        return FollowUp.Kind.NEWLY_PLACED, done_on
    return FollowUp.Kind.UNPLACED, graduation_day(followup.student.cohort)


def _schedule_next(followup: FollowUp, answer: Answer, next_on: dt.date) -> FollowUp:
    kind, anchor = _series(followup, answer.outcome, answer.done_on or next_on)
    top = FollowUp.objects.filter(student_id=followup.student_id, kind=kind, anchor_on=anchor)
    number = (top.aggregate(top=Max("round"))["top"] or 0) + 1
    return FollowUp.objects.create(student_id=followup.student_id, kind=kind, anchor_on=anchor,
                                   round=number, due_on=next_on)  # fmt: skip


def _locked_open(followup: FollowUp) -> FollowUp:
    locked = (
        FollowUp.objects.select_for_update()
        .select_related("student")
        .filter(pk=followup.pk)
        .first()
    )
    if locked is None or not locked.is_open:
        raise DomainError(
            TrackingErrorCode.NOT_OPEN, _("This follow-up has already been recorded.")
        )
    return locked


def _finish(
    followup: FollowUp, answer: Answer, *, user: object, contact: ContactAttempt | None,
    by_student: bool,
) -> FollowUp | None:  # fmt: skip
    """Write the answer on the follow-up and schedule the next; the next one, if any."""
    assert answer.done_on is not None
    followup.status = FollowUp.Status.DONE
    followup.done_on = answer.done_on
    followup.channel = answer.channel
    followup.outcome = answer.outcome
    followup.placed_where = answer.placed_where
    followup.note = answer.note
    next_on = answer.next_on or default_next(followup, answer.outcome, answer.done_on)
    followup.next_on = next_on  # type: ignore[assignment]  # a nullable date
    followup.by_student = by_student
    followup.author = user  # type: ignore[assignment]
    followup.contact = contact
    followup.save()
    return _schedule_next(followup, answer, next_on) if next_on else None


@transaction.atomic
def followup_record(
    *, actor: RoleAssignment, followup: FollowUp, answer: Answer,
    request: HttpRequest | None = None,
) -> FollowUp:  # fmt: skip
    """Record a staff follow-up: a contact attempt, the outcome, the next follow-up."""
    permissions.require(permissions.can_follow_up(actor))
    if not student_queryset(actor=actor).filter(pk=followup.student_id).exists():
        raise DomainError(TrackingErrorCode.NOT_ALLOWED, _("This graduate is not in your scope."))
    followup = _locked_open(followup)
    answer = _checked(followup, answer, staff=True)
    assert answer.done_on is not None
    contact = ContactAttempt.objects.create(
        student_id=followup.student_id, attempted_on=answer.done_on, channel=answer.channel,
        reached=answer.reached, note=answer.note, author=actor.user,
    )  # fmt: skip
    following = _finish(followup, answer, user=actor.user, contact=contact, by_student=False)
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=followup, request=request,
              role=actor.role, fields=["outcome", "next_on"],
              detail={"outcome": followup.outcome, "reached": answer.reached,
                      "next": following.pk if following else None})  # fmt: skip
    return followup


@transaction.atomic
def followup_answer(
    *, actor: RoleAssignment, outcome: str, placed_where: str = "", note: str = "",
    request: HttpRequest | None = None,
) -> FollowUp:  # fmt: skip
    """A student states their situation in the portal: it answers their open follow-up."""
    permissions.require(permissions.can_answer(actor))
    student = student_queryset(actor=actor).first()
    open_one = FollowUp.objects.filter(student=student, status="open").first() if student else None
    if open_one is None:
        raise DomainError(TrackingErrorCode.NOT_OPEN, _("There is no follow-up waiting for your answer."))  # fmt: skip
    followup = _locked_open(open_one)
    answer = _checked(followup, Answer(done_on=timezone.localdate(), outcome=outcome,
                                       placed_where=placed_where, note=note), staff=False)  # fmt: skip
    _finish(followup, answer, user=actor.user, contact=None, by_student=True)
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=followup, request=request,
              role=actor.role, fields=["outcome"], detail={"outcome": followup.outcome,
                                                           "by_student": True})  # fmt: skip
    return followup
