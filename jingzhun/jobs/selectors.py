"""Scoped reads of employers and postings: always within the actor's institution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from jingzhun.jobs.models import Employer, JobPosting, RecommendationRun
from jingzhun.org.models import RoleAssignment

ACTIVE, EXPIRED, ALL = "active", "expired", "all"
FLAGS = ("disability_friendly", "internship", "grassroots")


@dataclass(frozen=True)
class EmployerFilters:
    q: str = ""
    vetting: str = ""


@dataclass(frozen=True)
class PostingFilters:
    q: str = ""
    city: str = ""  # six-digit code
    education: int | None = None  # postings a student of this education may take
    salary_from: int | None = None  # yuan a month: postings paying at least this
    salary_to: int | None = None  # postings starting at or below this
    employer: int | None = None
    state: str = ACTIVE
    flags: tuple[str, ...] = ()


def employer_list(*, actor: RoleAssignment, filters: EmployerFilters) -> QuerySet[Employer]:
    rows = Employer.objects.filter(institution_id=actor.institution_id or 0)
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(credit_code=filters.q.upper()))
    if filters.vetting in Employer.Vetting.values:
        rows = rows.filter(vetting=filters.vetting)
    return rows.order_by("name", "pk")


def employer_get(*, actor: RoleAssignment, pk: int) -> Employer | None:
    return Employer.objects.filter(institution_id=actor.institution_id or 0, pk=pk).first()


def posting_list(
    *, actor: RoleAssignment, filters: PostingFilters, today: dt.date | None = None
) -> QuerySet[JobPosting]:
    rows = JobPosting.objects.filter(institution_id=actor.institution_id or 0)
    if filters.state == ACTIVE:
        rows = rows.active(today)
    elif filters.state == EXPIRED:
        rows = rows.expired(today)
    if filters.q:
        rows = rows.filter(Q(title__icontains=filters.q) | Q(employer__name__icontains=filters.q))
    if filters.city:
        rows = rows.filter(city_code=filters.city)
    if filters.education is not None:
        rows = rows.filter(education__lte=filters.education)
    if filters.salary_from is not None:
        rows = rows.filter(Q(salary_max__gte=filters.salary_from) | Q(salary_max__isnull=True, salary_min__gte=filters.salary_from))  # fmt: skip
    if filters.salary_to is not None:
        rows = rows.filter(salary_min__lte=filters.salary_to)
    if filters.employer:
        rows = rows.filter(employer_id=filters.employer)
    for flag in filters.flags:
        if flag in FLAGS:
            rows = rows.filter(**{flag: True})
    return rows.select_related("employer").order_by("-published_on", "-pk")


def posting_get(*, actor: RoleAssignment, pk: int) -> JobPosting | None:
    return (
        JobPosting.objects.filter(institution_id=actor.institution_id or 0, pk=pk)
        .select_related("employer")
        .first()
    )


def postings_for_students(
    *, institution_id: int, today: dt.date | None = None
) -> QuerySet[JobPosting]:
    """The pool matching and pushes draw from: active postings of employers that are not
    blacklisted — a student is never offered a blacklisted employer."""
    return JobPosting.objects.filter(institution_id=institution_id).offerable(today)


def posting_cities(*, actor: RoleAssignment) -> list[str]:
    return list(
        JobPosting.objects.filter(institution_id=actor.institution_id or 0)
        .exclude(city_code="")
        .values_list("city_code", flat=True)
        .distinct()
        .order_by("city_code")
    )


def recommendation_run_latest(*, actor: RoleAssignment) -> RecommendationRun | None:
    return RecommendationRun.objects.filter(institution_id=actor.institution_id or 0).first()
