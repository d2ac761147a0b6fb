"""The jobs stage's lines of a student's case file: each posting pushed to the student and
each answer they gave. Staff who may read pushes see who pushed and a link to the posting;
the student sees their own pushes and answers, linked to the portal."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jingzhun.core.timeline import TimelineEntry
from jingzhun.jobs import permissions
from jingzhun.jobs.models import JobPush, JobPushEvent
from jingzhun.jobs.push_responses import RESPONSE_TABLE
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

STAGE = "jobs"


def entries_for(*, actor: RoleAssignment | None, student: Student) -> list[TimelineEntry]:
    if actor is None or not student_queryset(actor=actor).filter(pk=student.pk).exists():
        return []
    own = actor.role == Role.STUDENT
    if not own and not permissions.can_read_pushes(actor):
        return []
    events = (
        JobPushEvent.objects.filter(push__student=student)
        .select_related("push__posting__employer", "actor")
        .order_by("at", "pk")
    )
    return [_entry(event, own=own) for event in events]


def _entry(event: JobPushEvent, *, own: bool) -> TimelineEntry:
    push: JobPush = event.push
    names = {"title": push.posting.title, "employer": push.posting.employer.name}
    if not event.from_response:
        title = _("Posting pushed: %(title)s (%(employer)s)") % names
        detail = push.note
    else:
        title = _("%(title)s: %(response)s") % {
            **names,
            "response": RESPONSE_TABLE.label(event.to_response),
        }
        detail = event.note
    link = (reverse("portal:push-detail", args=[push.pk]) if own
            else reverse("jobs:posting-detail", args=[push.posting_id]))  # fmt: skip
    who = "" if event.actor is None else (event.actor.display_name or event.actor.username)
    return TimelineEntry(when=event.at, stage=STAGE, kind="push" if not event.from_response else "push_response",
                         title=title, detail=detail, actor_name=who, link=link)  # fmt: skip
