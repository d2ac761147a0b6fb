"""What a student may read of their own assistance file: the status and their own words.

Signals, model scores, staff notes and the types a reviewer added are never part of it: a
student sees the application they made and where it stands, nothing the staff wrote.

A candidate case that a run or a reviewer opened is not shown at all until a person has
reviewed it (a hidden-hardship flag stays quiet until someone confirms it). If the student
applied meanwhile, their application joined that case: they see their own application in it
(its status and their own words) and nothing of what opened it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from jingzhun.identification import services
from jingzhun.identification.models import Case, CaseEvent
from jingzhun.identification.transitions import OPEN
from jingzhun.org.models import RoleAssignment
from jingzhun.students.selectors import student_queryset


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    text: Any
    own_words: str  # the student's own note; staff notes are never shown


@dataclass(frozen=True)
class OwnCase:
    status: str
    status_label: Any
    applied_by_student: bool
    opened_at: dt.datetime  # of an application that joined a staff or run case: the applying
    applied_types: list[str]  # only while the application is unchanged by a reviewer
    history: list[HistoryLine]


@dataclass(frozen=True)
class OwnFile:
    open_case: OwnCase | None
    earlier: list[OwnCase]  # closed cases the student applied for, newest first


def own_file(*, actor: RoleAssignment) -> OwnFile:
    """The actor's own cases (a student's self scope), as the student may see them."""
    cases = list(
        Case.objects.filter(student__in=student_queryset(actor=actor))
        .prefetch_related("types", Prefetch("events", queryset=CaseEvent.objects.order_by("at", "pk")))
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    user_id = actor.user_id
    visible = [case for case in cases if _visible(case, user_id)]
    open_case = next((_as_seen(case, user_id) for case in visible if case.status in OPEN), None)
    earlier = [
        _as_seen(case, user_id) for case in visible
        if case.status not in OPEN and _applied(case, user_id)
    ]  # fmt: skip
    return OwnFile(open_case=open_case, earlier=earlier)


def _visible(case: Case, user_id: int) -> bool:
    """Every case but an unreviewed candidate a run or a reviewer opened; of that one, only
    the student's own application if they joined it."""
    return not _unreviewed_staff_candidate(case) or bool(_own_applications(case, user_id))


def _unreviewed_staff_candidate(case: Case) -> bool:
    return case.status == Case.Status.CANDIDATE and case.origin != Case.Origin.SELF_APPLICATION


def _own_applications(case: Case, user_id: int) -> list[CaseEvent]:
    """The student's own candidate events: their application (or their joining another)."""
    return [
        event for event in case.events.all()
        if event.actor_id == user_id and event.to_status == Case.Status.CANDIDATE
    ]  # fmt: skip


def _applied(case: Case, user_id: int) -> bool:
    return case.origin == Case.Origin.SELF_APPLICATION or bool(_own_applications(case, user_id))


def _as_seen(case: Case, user_id: int) -> OwnCase:
    applied = case.origin == Case.Origin.SELF_APPLICATION
    own = _own_applications(case, user_id)
    joined = not applied and bool(own)  # the student's application joined a staff or run case
    hidden = _unreviewed_staff_candidate(case)  # shown at all only if joined: their part only
    return OwnCase(
        status=case.status,
        status_label=services.STATUS_FOR_STUDENT[case.status],
        applied_by_student=applied or joined,
        opened_at=own[0].at if joined else case.created_at,
        # The types of a joined case include what the run or the reviewer flagged.
        applied_types=(
            [t.name for t in case.types.all()]
            if applied and case.status == Case.Status.CANDIDATE
            else []
        ),
        history=[_line(e, user_id) for e in case.events.all() if not hidden or e in own],
    )


def _line(event: CaseEvent, user_id: int) -> HistoryLine:
    own = event.actor_id is not None and event.actor_id == user_id
    if event.to_status == Case.Status.CANDIDATE:
        text = (
            _("You applied for assistance") if own else _("An assistance file was opened for you")
        )
    else:
        text = services.STATUS_FOR_STUDENT.get(event.to_status, "")
    return HistoryLine(at=event.at, text=text, own_words=event.note if own else "")
