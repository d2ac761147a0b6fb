"""Scoped reads of targeted pushes, and the threshold count.

Every push query starts from the students in the actor's data scope
(`students.selectors.student_queryset`): a counsellor sees the pushes of their classes, a
student only their own, whichever URL or API asks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404

from jingzhun.identification.case_selectors import types_for_filter
from jingzhun.identification.models import Case
from jingzhun.identification.transitions import OPEN
from jingzhun.jobs.models import JobPush, PushPolicy
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

# Cases that a batch push reaches: confirmed and being helped (not unreviewed candidates).
PUSHABLE_CASES = OPEN - {Case.Status.CANDIDATE}


def push_threshold(*, institution_id: int | None) -> int:
    """The institution's own threshold, else the `JINGZHUN_PUSH_THRESHOLD` setting."""
    own = (
        PushPolicy.objects.filter(institution_id=institution_id or 0)
        .values_list("threshold", flat=True)
        .first()
    )
    return own or settings.PUSH_THRESHOLD


def push_counts(student_ids: Iterable[int]) -> dict[int, int]:
    """Targeted pushes per student (every push counts, whatever the answer); students without
    one are absent. One query."""
    ids = list(student_ids)
    if not ids:
        return {}
    rows = (
        JobPush.objects.filter(student_id__in=ids)
        .values("student_id")
        .annotate(n=Count("pk"))
        .values_list("student_id", "n")
    )
    return dict(rows)


def meets_threshold(count: int, threshold: int) -> bool:
    return count >= threshold


@dataclass(frozen=True)
class PushCount:
    count: int
    threshold: int

    @property
    def met(self) -> bool:
        return meets_threshold(self.count, self.threshold)

    def __str__(self) -> str:
        return f"{self.count}/{self.threshold}"


def push_counts_against_threshold(
    student_ids: Iterable[int], *, institution_id: int | None
) -> dict[int, PushCount]:
    """Each student's count with the institution's threshold (two queries)."""
    ids = list(student_ids)
    threshold = push_threshold(institution_id=institution_id)
    counts = push_counts(ids)
    return {pk: PushCount(counts.get(pk, 0), threshold) for pk in ids}


@dataclass(frozen=True)
class PushFilters:
    response: str = ""
    posting: int | None = None
    school: int | None = None
    student: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


def push_list(*, actor: RoleAssignment, filters: PushFilters) -> QuerySet[JobPush]:
    """The pushes of the students in the actor's scope, newest first."""
    rows = JobPush.objects.filter(
        institution_id=actor.institution_id or 0, student__in=student_queryset(actor=actor)
    )
    if filters.response in JobPush.Response.values:
        rows = rows.filter(response=filters.response)
    if filters.posting:
        rows = rows.filter(posting_id=filters.posting)
    if filters.school:
        rows = rows.filter(student__school_id=filters.school)
    if filters.student:
        rows = rows.filter(student_id=filters.student)
    if filters.date_from:
        rows = rows.filter(pushed_at__date__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(pushed_at__date__lte=filters.date_to)
    return rows.select_related(
        "posting__employer", "student__school", "student__class_group", "pushed_by"
    ).order_by("-pushed_at", "-pk")


def response_counts(rows: QuerySet[JobPush]) -> dict[str, int]:
    """How many of `rows` are in each response (every response present, zeros included)."""
    found = dict(
        rows.order_by().values("response").annotate(n=Count("pk")).values_list("response", "n")
    )
    return {value: found.get(value, 0) for value in JobPush.Response.values}


def pushed_posting_ids(*, student: Student) -> set[int]:
    return set(JobPush.objects.filter(student=student).values_list("posting_id", flat=True))


def own_pushes(*, actor: RoleAssignment) -> QuerySet[JobPush]:
    """A student's own pushes (no one else's, whatever their scope says)."""
    if actor.role != Role.STUDENT:
        return JobPush.objects.none()
    return (
        JobPush.objects.filter(student__in=student_queryset(actor=actor), student__user_id=actor.user_id)
        .select_related("posting__employer")
        .order_by("-pushed_at", "-pk")
    )  # fmt: skip


def own_push_get(*, actor: RoleAssignment, pk: int) -> JobPush:
    """One of the student's own pushes; another's answers 404, exactly like a missing one."""
    push = own_pushes(actor=actor).filter(pk=pk).first()
    if push is None:
        raise Http404
    return push


@dataclass(frozen=True)
class BatchFilters:
    school: int | None = None
    class_group: int | None = None
    level: int | None = None
    difficulty_type: int | None = None

    @property
    def is_empty(self) -> bool:
        return not any((self.school, self.class_group, self.level, self.difficulty_type))


def batch_students(*, actor: RoleAssignment, filters: BatchFilters) -> QuerySet[Student]:
    """Students in scope with a confirmed open case, filtered for a batch push. A difficulty
    type the actor may not open is ignored (filtering by it would name its students)."""
    cases = Case.objects.filter(status__in=PUSHABLE_CASES)
    if filters.level:
        cases = cases.filter(level=filters.level)
    if filters.difficulty_type and filters.difficulty_type in dict(_openable_types(actor)):
        cases = cases.filter(types=filters.difficulty_type)
    students = student_queryset(actor=actor).filter(
        institution_id=actor.institution_id or 0, pk__in=cases.values("student_id")
    )
    if filters.school:
        students = students.filter(school_id=filters.school)
    if filters.class_group:
        students = students.filter(class_group_id=filters.class_group)
    return students.select_related("school", "class_group").order_by("student_number")


def _openable_types(actor: RoleAssignment) -> list[tuple[int, str]]:
    return types_for_filter(actor)


def open_cases_of(student_ids: Iterable[int]) -> dict[int, Case]:
    """Each student's newest open case, for stamping pushes."""
    cases: dict[int, Case] = {}
    for case in Case.objects.filter(student_id__in=list(student_ids), status__in=OPEN).order_by(
        "student_id", "-created_at"
    ):
        cases.setdefault(case.student_id, case)
    return cases
