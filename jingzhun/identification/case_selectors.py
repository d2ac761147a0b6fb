"""Scoped reads of cases for the case list (帮扶对象台账), the case file and the student.

`case_list` of `selectors` is the review queue (one status, one class); the ledger here takes
every filter the list page offers, sorts by a whitelisted column and annotates the time of
the last case event, so no row needs a query of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhun.identification.models import Case, CaseEvent, DifficultyType, IdentificationRun
from jingzhun.identification.transitions import OPEN
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role, field_access
from jingzhun.students.models import MentorAssignment, Student
from jingzhun.students.selectors import student_queryset

# The status filter's two groups besides the single statuses.
OPEN_CASES, ALL_CASES = "", "all"

# Sort keys the list accepts (a leading "-" reverses); anything else is the default order.
CASE_SORTS: dict[str, tuple[str, ...]] = {
    "student": ("student__student_number",),
    "status": ("status", "student__student_number"),
    "level": ("level", "student__student_number"),
    "responsible": ("responsible__display_name", "student__student_number"),
    "class": ("student__school__name", "student__class_group__name", "student__student_number"),
    "last_event": ("last_event_at", "student__student_number"),
    "origin": ("origin", "student__student_number"),
}
# "Nothing has happened for …": the choices of the quiet filter (the alerts' "no contact for N
# days" will link here with one of them).
QUIET_DAYS = (7, 14, 30, 60, 90)
DEFAULT_SORT = ("level", "student__class_group__name", "student__student_number")


def openable(actor: RoleAssignment | None) -> frozenset[str]:
    """The sensitive field groups the actor may open, as the stored sensitivity strings."""
    if actor is None:
        return frozenset()
    return frozenset(str(s) for s in field_access(actor.role, actor.department_kind))


def type_name(difficulty_type: DifficultyType, *, allowed: frozenset[str]) -> str:
    """The type's name, unless it names data the viewer may not open (a psychological or
    health difficulty tells what those fields hold): then only that it is restricted."""
    if difficulty_type.sensitivity and difficulty_type.sensitivity not in allowed:
        return str(_("Restricted type"))
    return difficulty_type.name


def types_for_filter(actor: RoleAssignment | None) -> list[tuple[int, str]]:
    """The types the actor may filter by: filtering by a restricted one would name its cases."""
    allowed = openable(actor)
    return [(t.pk, t.name) for t in DifficultyType.objects.order_by("code")
            if not t.sensitivity or t.sensitivity in allowed]  # fmt: skip


@dataclass(frozen=True)
class CaseFilters:
    status: str = OPEN_CASES  # one Case.Status, OPEN_CASES or ALL_CASES
    difficulty_type: int | None = None
    level: int | None = None
    school: int | None = None
    class_group: int | None = None
    cohort: int | None = None  # graduation year
    responsible_me: bool = False
    origin: str = ""
    q: str = ""  # the start of a student number or a name
    quiet_days: int | None = None  # no case event for at least this many days
    sort: str = ""


def case_ledger(*, actor: RoleAssignment | None, filters: CaseFilters) -> QuerySet[Case]:
    """The cases of the students in the actor's data scope, filtered and sorted.

    Each row carries `last_event_at` (its newest case event) and its student, school, class,
    responsible person and types, in a constant number of queries."""
    qs = Case.objects.filter(student__in=student_queryset(actor=actor))
    qs = _filtered(qs, actor=actor, filters=filters)
    last_event = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-at", "-pk")
    qs = qs.annotate(last_event_at=Subquery(last_event.values("at")[:1]))
    if filters.quiet_days:
        since = timezone.now() - dt.timedelta(days=filters.quiet_days)
        qs = qs.filter(Q(last_event_at__lt=since) | Q(last_event_at__isnull=True))
    return (
        qs.select_related("student__school", "student__class_group", "responsible")
        .prefetch_related("types")
        .order_by(*_ordering(filters.sort))
    )


def _filtered(
    qs: QuerySet[Case], *, actor: RoleAssignment | None, filters: CaseFilters
) -> QuerySet[Case]:
    if filters.status == OPEN_CASES:
        qs = qs.filter(status__in=OPEN)
    elif filters.status != ALL_CASES:
        qs = qs.filter(status=filters.status)
    if filters.difficulty_type:
        qs = qs.filter(pk__in=Case.types.through.objects.filter(
            difficultytype_id=filters.difficulty_type).values("case_id"))  # fmt: skip
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.school:
        qs = qs.filter(student__school_id=filters.school)
    if filters.class_group:
        qs = qs.filter(student__class_group_id=filters.class_group)
    if filters.cohort:
        qs = qs.filter(student__cohort=filters.cohort)
    if filters.responsible_me:
        qs = qs.filter(responsible_id=actor.user_id if actor is not None else None)
    if filters.origin:
        qs = qs.filter(origin=filters.origin)
    term = filters.q.strip()
    if term:
        field = "student__student_number" if term[-1:].isdigit() else "student__name"
        qs = qs.filter(**{f"{field}__startswith": term})
    return qs


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    columns = CASE_SORTS.get(sort.removeprefix("-"))
    if columns is None:
        return [*DEFAULT_SORT, "pk"]
    first, *rest = columns
    # Cases never touched sort as the oldest, whichever way the column is sorted.
    head = F(first).desc(nulls_last=True) if descending else F(first).asc(nulls_first=True)
    return [head, *rest, "pk"]


def days_since(moment: dt.datetime | None, *, now: dt.datetime) -> int | None:
    return None if moment is None else max(0, (now - moment).days)


# --- the case of one student (the case file's header) ---------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    type_names: list[str]
    opened_at: dt.datetime
    opened_by: str  # who or what opened it, in words
    run: IdentificationRun | None


def case_of_student(*, actor: RoleAssignment | None, student: Student) -> CaseSummary | None:
    """The student's open case, else their newest closed one; None without any (or out of
    scope). For staff: a student reads `student_status` instead."""
    case = (
        Case.objects.filter(student__in=student_queryset(actor=actor), student=student)
        .select_related("responsible", "opened_run")
        .prefetch_related(
            "types", Prefetch("events", queryset=CaseEvent.objects.select_related("actor"))
        )
        .order_by("-created_at", "-pk")
    )
    cases = list(case)
    chosen = next((c for c in cases if c.status in OPEN), cases[0] if cases else None)
    if chosen is None:
        return None
    events = list(chosen.events.all())
    first = events[0] if events else None
    return CaseSummary(
        case=chosen,
        type_names=[type_name(t, allowed=openable(actor)) for t in chosen.types.all()],
        opened_at=first.at if first else chosen.created_at,
        opened_by=_opened_by(chosen, first),
        run=chosen.opened_run,
    )


def _opened_by(case: Case, first: CaseEvent | None) -> str:
    if case.origin == Case.Origin.RUN:
        run = case.opened_run
        if run is None:
            return str(_("Identification run"))
        return str(_("Identification run #%(run)s (as of %(as_of)s)")) % {
            "run": run.pk, "as_of": run.as_of.isoformat()}  # fmt: skip
    if case.origin == Case.Origin.SELF_APPLICATION:
        return str(_("The student's own application"))
    person = first.actor if first is not None else None
    name = (person.display_name or person.username) if person is not None else ""
    return str(_("Added by %(name)s")) % {"name": name} if name else str(_("Added by staff"))


# --- what the student may read of their own case --------------------------------------------


def visible_to_student(case: Case, *, user_id: int) -> bool:
    """Every case but an unreviewed candidate that a run or a reviewer opened (a flag stays
    quiet until a person confirms it), unless the student applied into it. Reads the case's
    prefetched events."""
    if case.status != Case.Status.CANDIDATE or case.origin == Case.Origin.SELF_APPLICATION:
        return True
    return any(
        e.actor_id == user_id and e.to_status == Case.Status.CANDIDATE for e in case.events.all()
    )


# In words a student may read: never a label such as 困难生 or 帮扶对象, and the next step.
STUDENT_WORDS: dict[str, tuple[Any, Any]] = {
    Case.Status.CANDIDATE: (
        _("Your application has been received"),
        _("Your counsellor will read it and may ask to talk with you. The result will appear here."),
    ),
    Case.Status.CONFIRMED: (
        _("The college has arranged a teacher to keep in touch with you"),
        _("Your teacher will contact you soon to talk about the help that suits you. You can also contact them first."),
    ),
    Case.Status.IN_ASSISTANCE: (
        _("Your teacher is helping you step by step"),
        _("Keep in touch with your teacher and tell them how your job search is going."),
    ),
    Case.Status.EXIT_PROPOSED: (
        _("Your teacher thinks you may no longer need this help"),
        _("If you still need help, tell your teacher before it ends."),
    ),
    Case.Status.EXITED: (
        _("This round of help has ended"),
        _("If things change, you can apply again or talk to your counsellor."),
    ),
    Case.Status.DISMISSED: (
        _("Your application has been reviewed"),
        _("If your situation changes, talk to your counsellor or apply again."),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Contact:
    role: Any
    name: str
    email: str


@dataclass(frozen=True)
class StudentStatus:
    status: str
    words: Any
    next_step: Any
    since: dt.datetime
    contacts: list[Contact]


def student_status(*, actor: RoleAssignment | None) -> StudentStatus | None:
    """The status of the actor's own case (a student, data scope self), in words a student
    may read, with the named people to contact; None when there is nothing to show."""
    if actor is None or actor.role != Role.STUDENT:
        return None
    cases = list(
        Case.objects.filter(student__in=student_queryset(actor=actor))
        .select_related("responsible", "student")
        .prefetch_related("events")
        .order_by("-created_at", "-pk")
    )
    visible = [c for c in cases if visible_to_student(c, user_id=actor.user_id)]
    case = next((c for c in visible if c.status in OPEN), visible[0] if visible else None)
    if case is None:
        return None
    words, next_step = STUDENT_WORDS[case.status]
    events = list(case.events.all())
    return StudentStatus(
        status=case.status,
        words=words,
        next_step=next_step,
        since=events[-1].at if events else case.updated_at,
        contacts=_contacts(case) if case.status in OPEN else [],
    )


def _contacts(case: Case) -> list[Contact]:
    """The responsible person of a reviewed case, then the student's mentors, each once."""
    people: list[tuple[Any, Any]] = []
    if case.responsible is not None and case.status != Case.Status.CANDIDATE:
        people.append((_("Your teacher in charge"), case.responsible))
    mentors = MentorAssignment.objects.filter(student_id=case.student_id).select_related("mentor")
    people += [(_("Your mentor"), m.mentor) for m in mentors.order_by("pk")]
    seen: set[int] = set()
    contacts = []
    for role, user in people:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        contacts.append(Contact(role=role, name=user.display_name or user.get_full_name() or user.username, email=user.email))  # fmt: skip
    return contacts
