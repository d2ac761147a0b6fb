"""Seeds the demo college: org tree, students with their records, and demo logins.

One `random.Random(seed)` is consumed in a fixed order, so a seed always yields the same
college. Students are generated and written in chunks (bulk inserts inside one transaction
per chunk) so that a million-student benchmark set fits in memory and the web server can
keep reading the SQLite file between chunks.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.org.models import ClassGroup, Institution, Major, User
from jingzhun.students.demo import accounts, names
from jingzhun.students.demo.careers import career_records
from jingzhun.students.demo.catalogue import EMAIL_DOMAIN, INSTITUTION_CODE, MAJORS
from jingzhun.students.demo.cohorts import ClassPlan, cohort_sizes, graduated_cohorts, plan_classes
from jingzhun.students.demo.family import family_records
from jingzhun.students.demo.org import DemoOrg, create_classes, create_org
from jingzhun.students.demo.people import IdNumberAllocator, Profile, draw_profile
from jingzhun.students.demo.reset import purge_demo
from jingzhun.students.demo.studies import study_records
from jingzhun.students.models import (
    AcademicResult,
    Certificate,
    DisabilityRecord,
    FamilyEconomicStatus,
    GraduateDestination,
    Internship,
    JobIntention,
    MentorAssignment,
    PriorityGroupEvidence,
    PsychScreening,
    Student,
    StudentRecord,
)

CHUNK_SIZE = 5000  # students generated and written per transaction
BATCH_SIZE = 2000  # rows per INSERT (Django lowers it further to SQLite's parameter limit)
MIN_STUDENTS = 100  # below this some schools would have no class for the demo accounts
RECORD_MODELS: tuple[type[StudentRecord], ...] = (
    FamilyEconomicStatus, PriorityGroupEvidence, DisabilityRecord, PsychScreening,
    AcademicResult, Certificate, Internship, JobIntention, GraduateDestination,
)  # fmt: skip


class DemoError(StrEnum):
    TOO_FEW_STUDENTS = "demo_too_few_students"
    USERNAME_TAKEN = "demo_username_taken"


class TextSink(Protocol):
    """Where progress goes: a file, or a management command's `self.stdout`."""

    def write(self, message: str, /) -> Any: ...


@dataclass
class DemoSummary:
    institution_code: str
    created: bool  # False when the demo already existed and nothing was done
    schools: int = 0
    majors: int = 0
    classes: int = 0
    departments: int = 0
    students: int = 0  # current (enrolled or suspended)
    graduates: int = 0
    records: dict[str, int] = field(default_factory=dict)  # model name → rows
    accounts: int = 0
    mentor_assignments: int = 0
    seconds: float = 0.0


@dataclass
class _Seat:
    plan: ClassPlan
    class_group: ClassGroup
    student_number: str


def seed_demo_college(
    *, students: int = 6000, seed: int = 2026, reset: bool = False, stdout: TextSink | None = None
) -> DemoSummary:
    """Create the demo college with `students` current students (plus three graduated cohorts).

    If the demo college exists it is left alone unless `reset` is true, in which case it
    and everything hanging off it is deleted first.
    """
    if students < MIN_STUDENTS:
        message = _("The demo needs at least %(minimum)s current students.")
        raise DomainError(DemoError.TOO_FEW_STUDENTS, message % {"minimum": MIN_STUDENTS})
    started = time.perf_counter()
    existing = Institution.objects.filter(code=INSTITUTION_CODE).first()
    if existing is not None and not reset:
        message = _(
            "Demo college %(name)s (%(code)s) already exists; nothing changed. Use --reset to rebuild it."
        )
        _say(stdout, message % {"name": existing.name, "code": existing.code})
        return existing_summary(existing)
    if existing is not None:
        _say(stdout, _("Deleting the existing demo college…"))
        purge_demo(INSTITUTION_CODE, accounts.STAFF_USERNAMES)
    else:
        _check_usernames_free()
    try:
        summary = _seed(students, random.Random(seed), stdout)
    except BaseException:
        purge_demo(INSTITUTION_CODE, accounts.STAFF_USERNAMES)  # never leave half a college
        raise
    summary.seconds = round(time.perf_counter() - started, 2)
    return summary


def _check_usernames_free() -> None:
    """Demo logins left behind without their college are not ours to delete: stop instead."""
    taken = list(
        User.objects.filter(username__in=accounts.STAFF_USERNAMES).values_list(
            "username", flat=True
        )
    )
    if taken:
        message = _("Users %(usernames)s exist but the demo college does not; remove them first.")
        raise DomainError(
            DemoError.USERNAME_TAKEN, message % {"usernames": ", ".join(sorted(taken))}
        )


def _seed(students: int, rng: random.Random, stdout: TextSink | None) -> DemoSummary:
    with transaction.atomic():
        org = create_org()
        plans = [
            plan
            for cohort, size in cohort_sizes(students).items()
            for plan in plan_classes(cohort, size, MAJORS, rng)
        ]
        classes = create_classes(org, plans, BATCH_SIZE)
    summary = DemoSummary(
        institution_code=org.institution.code,
        created=True,
        schools=len(org.schools),
        majors=len(org.majors),
        classes=len(classes),
        departments=len(org.departments),
    )
    counts = _write_students(org, _seats(plans, classes), rng, stdout)
    summary.students = counts.pop("current", 0)
    summary.graduates = counts.pop("graduates", 0)
    summary.records = {model.__name__: counts[model.__name__] for model in RECORD_MODELS}
    with transaction.atomic():
        summary.accounts, summary.mentor_assignments = accounts.create_demo_accounts(org)
    return summary


def _seats(plans: list[ClassPlan], classes: list[ClassGroup]) -> Iterator[_Seat]:
    """Every place in every class, numbered entry year + school code + serial."""
    totals: Counter[tuple[int, str]] = Counter()
    for plan in plans:
        totals[plan.entry_year, plan.major.school_code] += plan.size
    width = max(4, len(str(max(totals.values()))))
    serials: Counter[tuple[int, str]] = Counter()
    for plan, class_group in zip(plans, classes, strict=True):
        key = (plan.entry_year, plan.major.school_code)
        for _seat in range(plan.size):
            serials[key] += 1
            number = f"{plan.entry_year}{plan.major.school_code}{serials[key]:0{width}d}"
            yield _Seat(plan, class_group, number)


def _write_students(
    org: DemoOrg, seats: Iterator[_Seat], rng: random.Random, stdout: TextSink | None
) -> Counter[str]:
    ids = IdNumberAllocator(rng)
    graduated = set(graduated_cohorts())
    counts: Counter[str] = Counter()
    chunk: list[tuple[Student, list[StudentRecord]]] = []
    for seat in seats:
        profile = draw_profile(rng, seat.plan, ids, graduated=seat.plan.cohort in graduated)
        student = _student(rng, org, seat, profile)
        records = [
            *family_records(rng, profile),
            *study_records(rng, profile),
            *career_records(rng, profile),
        ]
        chunk.append((student, records))
        counts["graduates" if profile.graduated else "current"] += 1
        if len(chunk) >= CHUNK_SIZE:
            _flush(chunk, counts)
            written = counts["current"] + counts["graduates"]
            _say(stdout, _("%(count)s students written…") % {"count": written})
            chunk = []
    _flush(chunk, counts)
    return counts


def _student(rng: random.Random, org: DemoOrg, seat: _Seat, p: Profile) -> Student:
    plan = seat.plan
    major = org.majors[plan.major.moe_code]
    status = "graduated" if p.graduated else "suspended" if p.suspended else "enrolled"
    return Student(
        institution_id=org.institution.pk,
        school_id=major.school_id,
        major_id=major.pk,
        class_group_id=seat.class_group.pk,
        student_number=seat.student_number,
        name=p.name,
        gender=p.gender,
        ethnicity=p.ethnicity,
        id_number=p.id_number,
        phone=p.phone,
        email=names.email_address(
            rng, student_number=seat.student_number, phone=p.phone, domain=EMAIL_DOMAIN
        ),
        hukou_region_code=p.county.code,
        hukou_type="rural" if p.rural else "urban",
        cohort=plan.cohort,
        entry_year=plan.entry_year,
        education_level=Student.EducationLevel.VOCATIONAL,
        status=status,
    )


def _flush(chunk: list[tuple[Student, list[StudentRecord]]], counts: Counter[str]) -> None:
    if not chunk:
        return
    by_model: defaultdict[type[StudentRecord], list[Any]] = defaultdict(list)
    with transaction.atomic():
        Student.objects.bulk_create([student for student, _ in chunk], batch_size=BATCH_SIZE)
        for student, records in chunk:
            for record in records:
                record.student_id = student.pk  # type: ignore[attr-defined]
                by_model[type(record)].append(record)
        for model in RECORD_MODELS:
            model._default_manager.bulk_create(by_model[model], batch_size=BATCH_SIZE)
            counts[model.__name__] += len(by_model[model])


def existing_summary(institution: Institution) -> DemoSummary:
    """Counts of a demo college already in the database."""
    students = Student.objects.filter(institution=institution)
    return DemoSummary(
        institution_code=institution.code,
        created=False,
        schools=institution.schools.count(),
        majors=Major.objects.filter(school__institution=institution).count(),
        classes=ClassGroup.objects.filter(major__school__institution=institution).count(),
        departments=institution.departments.count(),
        students=students.exclude(status=Student.Status.GRADUATED).count(),
        graduates=students.filter(status=Student.Status.GRADUATED).count(),
        records={
            # Every record model has a `student` key; the abstract base does not declare it.
            model.__name__: model._default_manager.filter(
                student__institution=institution  # type: ignore[misc]
            ).count()
            for model in RECORD_MODELS
        },
        accounts=User.objects.filter(
            Q(username__in=accounts.STAFF_USERNAMES) | Q(student__institution=institution)
        ).count(),
        mentor_assignments=MentorAssignment.objects.filter(
            student__institution=institution
        ).count(),
    )


def _say(stdout: TextSink | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")
