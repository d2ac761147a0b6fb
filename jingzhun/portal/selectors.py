"""What a student may read of their own assistance file: the status and their own words.

Signals, model scores, staff notes and the types a reviewer added are never part of it: a
student sees the application they made and where it stands, nothing the staff wrote.
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
    opened_at: dt.datetime
    applied_types: list[str]  # only while the application is unchanged by a reviewer
    history: list[HistoryLine]


@dataclass(frozen=True)
class OwnFile:
    open_case: OwnCase | None
    earlier: list[OwnCase]  # closed self-applications, newest first


def own_file(*, actor: RoleAssignment) -> OwnFile:
    """The actor's own cases (a student's self scope), as the student may see them."""
    cases = list(
        Case.objects.filter(student__in=student_queryset(actor=actor))
        .prefetch_related("types", Prefetch("events", queryset=CaseEvent.objects.order_by("at", "pk")))
        .order_by("-created_at", "-pk")
    )  # fmt: skip
    shown = [_as_seen(case, actor.user_id) for case in cases]
    open_case = next((c for c, case in zip(shown, cases, strict=True) if case.status in OPEN), None)
    earlier = [
        c for c, case in zip(shown, cases, strict=True)
        if case.status not in OPEN and case.origin == Case.Origin.SELF_APPLICATION
    ]  # fmt: skip
    return OwnFile(open_case=open_case, earlier=earlier)


def _as_seen(case: Case, user_id: int) -> OwnCase:
    applied = case.origin == Case.Origin.SELF_APPLICATION
    unchanged = applied and case.status == Case.Status.CANDIDATE
    return OwnCase(
        status=case.status,
        status_label=services.STATUS_FOR_STUDENT[case.status],
        applied_by_student=applied,
        opened_at=case.created_at,
        applied_types=[t.name for t in case.types.all()] if unchanged else [],
        history=[_line(event, user_id) for event in case.events.all()],
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
