"""Tracking's lines of a student's case file after graduation: each follow-up done (and the
one due next), and the handover to the human-resources office with what came back.

Staff who read follow-ups see the notes; the student sees that a follow-up was recorded and
their own answers, never staff notes; handover lines go to those who read handovers.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.timeline import TimelineEntry
from jingzhun.org.models import RoleAssignment, User
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.followups import permissions
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.handover.models import HandoverEntry

STAGE = "tracking"


def _at(day: dt.date) -> dt.datetime:
    """A day as the moment the timeline sorts by (noon, local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _name(user: User | None) -> str:
    return (user.display_name or user.username) if user is not None else ""


def entries_for(*, actor: RoleAssignment | None, student: Student) -> list[TimelineEntry]:
    if actor is None or not student_queryset(actor=actor).filter(pk=student.pk).exists():
        return []
    student_view = actor.role == Role.STUDENT
    if not (
        student_view
        or permissions.can_read_followups(actor)
        or permissions.can_read_handovers(actor)
    ):
        return []
    entries = _followup_entries(actor, student, student_view=student_view)
    if permissions.can_read_handovers(actor):
        entries += _handover_entries(student)
    return entries


def followup_title(followup: FollowUp) -> str:
    outcome = followup.get_outcome_display()
    if followup.by_student:
        return _("Follow-up answered by the student: %(outcome)s") % {"outcome": outcome}
    return _("Follow-up (%(kind)s): %(outcome)s") % {
        "kind": followup.get_kind_display(),
        "outcome": outcome,
    }


def _followup_entries(
    actor: RoleAssignment, student: Student, *, student_view: bool
) -> list[TimelineEntry]:
    entries = []
    followups = (
        FollowUp.objects.filter(student=student)
        .exclude(status="cancelled")
        .select_related("author")
    )
    for f in followups:
        if f.status == FollowUp.Status.OPEN:
            entries.append(TimelineEntry(
                when=_at(f.due_on), stage=STAGE, kind="followup_due",
                title=_("Follow-up due on %(date)s") % {"date": f.due_on.isoformat()},
                link="" if student_view or not permissions.can_follow_up(actor)
                else reverse("tracking:followup-record", args=[f.pk]),
            ))  # fmt: skip
            continue
        assert f.done_on is not None
        own_words = student_view and not f.by_student
        detail = "；".join(x for x in (f.placed_where, "" if own_words else f.note) if x)
        entries.append(TimelineEntry(
            when=_at(f.done_on), stage=STAGE, kind="followup", title=followup_title(f),
            detail=detail, actor_name="" if student_view else _name(f.author),
        ))  # fmt: skip
    return entries


def _handover_entries(student: Student) -> list[TimelineEntry]:
    entry = (
        HandoverEntry.objects.filter(student=student).select_related("batch", "recorded_by").first()
    )
    if entry is None:
        return []
    batch, link = entry.batch, reverse("tracking:handover-detail", args=[entry.batch_id])
    place = {"place": batch.place_name, "receiver": batch.receiver or batch.place_name}
    entries = [TimelineEntry(when=entry.created_at, stage=STAGE, kind="handover",
                             title=_("Listed for handover to %(place)s") % place, link=link)]  # fmt: skip
    if batch.sent_on:
        entries.append(TimelineEntry(when=_at(batch.sent_on), stage=STAGE, kind="handover",
                                     title=_("Handed over to %(receiver)s") % place, link=link))  # fmt: skip
    if entry.returned_on:
        entries.append(TimelineEntry(
            when=_at(entry.returned_on), stage=STAGE, kind="handover_reply",
            title=_("Reply from %(receiver)s: %(reply)s") % {**place, "reply": entry.get_returned_display()},
            detail="；".join(x for x in (entry.placed_where, entry.return_note) if x),
            actor_name=_name(entry.recorded_by), link=link,
        ))  # fmt: skip
    return entries
