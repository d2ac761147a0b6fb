"""Destinations' lines of a student's case file: each registration submitted, verified,
returned, replaced. Staff in scope read every step with who and why, linked to the
registration; the student reads their own steps and the reason when one was returned."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from jingzhun.core.timeline import TimelineEntry
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.destinations import permissions
from jingzhun.tracking.destinations.models import DestinationEvent, DestinationRegistration
from jingzhun.tracking.destinations.transitions import REGISTRATION_TABLE

STAGE = "tracking"
KIND = "destination"


def _title(event: DestinationEvent) -> str:
    names = {
        "code": f"{event.registration.code_id} {event.registration.code.name}",
        "status": REGISTRATION_TABLE.label(event.to_status),
    }
    if not event.from_status:
        return _("Destination registered: %(code)s") % names
    return _("Destination %(code)s: %(status)s") % names


def entries_for(*, actor: RoleAssignment | None, student: Student) -> list[TimelineEntry]:
    if actor is None or not student_queryset(actor=actor).filter(pk=student.pk).exists():
        return []
    staff = permissions.can_read(actor)
    if not staff and not permissions.is_student(actor):
        return []
    events = DestinationEvent.objects.filter(registration__student=student).select_related(
        "registration__code", "actor"
    )
    entries = []
    for event in events:
        returned = event.to_status == DestinationRegistration.Status.RETURNED
        entries.append(TimelineEntry(
            when=event.at, stage=STAGE, kind=KIND, title=_title(event),
            detail=event.note if staff or returned else "",
            actor_name=(event.actor.display_name or event.actor.username) if staff and event.actor else "",
            link=reverse("tracking:destination-detail", args=[event.registration_id]) if staff else "",
        ))  # fmt: skip
    return entries
