"""The identification stage's lines of a student's case file: signals with their runs, and
every case event (opened, applied, confirmed, dismissed, exited) with who and why.

Field sensitivity as in the review queue: a signal whose fields the viewer may not open
(psychological, health, family finance) keeps its type and level but loses its explanation;
a note on a case that names such a type (the student's own words, a reviewer's reason) is left
out. A student reads their own case in their words only: no signal, no staff note, no case
still waiting unseen for review.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from jingzhun.core.timeline import TimelineEntry
from jingzhun.identification import permissions
from jingzhun.identification.case_selectors import STUDENT_WORDS, type_name, visible_to_student
from jingzhun.identification.models import Case, CaseEvent, Level, Signal
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role, field_access
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

STAGE = "identification"


def entries_for(*, actor: RoleAssignment | None, student: Student) -> list[TimelineEntry]:
    if actor is None or not student_queryset(actor=actor).filter(pk=student.pk).exists():
        return []
    cases = list(
        Case.objects.filter(student=student)
        .select_related("opened_run")
        .prefetch_related(
            "types", Prefetch("events", queryset=CaseEvent.objects.select_related("actor"))
        )
    )
    if actor.role == Role.STUDENT:
        return [e for case in cases for e in _student_entries(case, user_id=actor.user_id)]
    allowed = {str(s) for s in field_access(actor.role, actor.department_kind)}
    entries = _signal_entries(student, allowed, runs_linked=permissions.can_run(actor))
    for case in cases:
        hidden = [
            t.sensitivity
            for t in case.types.all()
            if t.sensitivity and t.sensitivity not in allowed
        ]
        entries += [
            _event_entry(case, event, notes_hidden=bool(hidden), student_user_id=student.user_id)
            for event in case.events.all()
        ]
    return entries


def _signal_entries(
    student: Student, allowed: set[str], *, runs_linked: bool
) -> list[TimelineEntry]:
    signals = (
        Signal.objects.filter(student=student)
        .select_related("run", "difficulty_type")
        .order_by("-run_id", "level", "pk")
    )
    entries = []
    for signal in signals:
        restricted = bool(signal.sensitivity) and signal.sensitivity not in allowed
        name = type_name(signal.difficulty_type, allowed=frozenset(allowed))
        title = _("Flagged: %(type)s, %(level)s") % {
            "type": name,
            "level": Level(signal.level).label,
        }
        run = _("Identification run #%(run)s (as of %(as_of)s)") % {
            "run": signal.run_id, "as_of": signal.run.as_of.isoformat()}  # fmt: skip
        detail = run if restricted else f"{run}：{signal.explanation}"
        entries.append(TimelineEntry(
            when=signal.created_at, stage=STAGE, kind="signal", title=title, detail=detail,
            sensitivity=signal.sensitivity, restricted=restricted,
            link=reverse("identification:run-detail", args=[signal.run_id]) if runs_linked else "",
        ))  # fmt: skip
    return entries


def _event_title(case: Case, event: CaseEvent, *, student_user_id: int | None) -> str:
    if event.to_status == Case.Status.CANDIDATE:
        if event.actor_id is not None and event.actor_id == student_user_id:
            return _("The student applied for assistance")
        if case.origin == Case.Origin.RUN:
            run = case.opened_run
            return _("Candidate from identification run #%(run)s") % {"run": run.pk if run else "—"}
        return _("Added as a candidate by staff")
    return _("Case status: %(status)s") % {"status": Case.Status(event.to_status).label}


def _event_entry(
    case: Case, event: CaseEvent, *, notes_hidden: bool, student_user_id: int | None
) -> TimelineEntry:
    person = event.actor
    name = (person.display_name or person.username) if person is not None else ""
    restricted = notes_hidden and bool(event.note)
    return TimelineEntry(
        when=event.at, stage=STAGE, kind="case_event", title=_event_title(case, event, student_user_id=student_user_id),
        detail="" if restricted else event.note, actor_name=name, restricted=restricted,
    )  # fmt: skip


def _student_entries(case: Case, *, user_id: int) -> list[TimelineEntry]:
    if not visible_to_student(case, user_id=user_id):
        return []
    unreviewed = (
        case.status == Case.Status.CANDIDATE and case.origin != Case.Origin.SELF_APPLICATION
    )
    entries = []
    for event in case.events.all():
        own = event.actor_id == user_id
        if unreviewed and not own:
            continue  # what opened the case stays unseen until a person reviews it
        if event.to_status == Case.Status.CANDIDATE:
            title = _("You applied for assistance") if own else _("A teacher opened a file for you")
        else:
            title = str(STUDENT_WORDS[event.to_status][0])
        entries.append(TimelineEntry(
            when=event.at, stage=STAGE, kind="case_event", title=title,
            detail=event.note if own else "",
        ))  # fmt: skip
    return entries
