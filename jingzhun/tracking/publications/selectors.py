"""Reads of publications: what a student may read (their institution, published, their
audience) with what is new for them, and the employment office's list with its counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.publications import permissions, search
from jingzhun.tracking.publications.models import (
    PolicyArticle,
    PolicyAudienceCohort,
    PolicyRead,
    PolicyVisit,
)


def own_student(*, actor: RoleAssignment | None) -> Student | None:
    """The student the acting account is (students act for themselves only)."""
    if not permissions.is_student(actor):
        return None
    return student_queryset(actor=actor).select_related("class_group").first()


def _search(articles: QuerySet[PolicyArticle], query: str) -> QuerySet[PolicyArticle]:
    for term in search.terms(query):
        articles = articles.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Q(body__icontains=term)
            | Q(tags__icontains=term)
        )  # fmt: skip
    return articles


def published_for(student: Student) -> QuerySet[PolicyArticle]:
    """Published articles of the student's institution whose audience includes them."""
    cohort_rows = PolicyAudienceCohort.objects.filter(article=OuterRef("pk"))
    school_rows = PolicyArticle.schools.through.objects.filter(policyarticle=OuterRef("pk"))
    return PolicyArticle.objects.filter(
        Q(~Exists(school_rows)) | Q(Exists(school_rows.filter(school_id=student.school_id))),
        Q(~Exists(cohort_rows)) | Q(Exists(cohort_rows.filter(cohort=student.cohort))),
        institution_id=student.institution_id,
        status=PolicyArticle.Status.PUBLISHED,
    )


def _with_new(
    articles: QuerySet[PolicyArticle], student: Student, since: dt.datetime | None
) -> QuerySet[PolicyArticle]:
    """`is_new`: published after `since` (everything when never visited) and not opened."""
    unread = ~Q(Exists(PolicyRead.objects.filter(student=student, article=OuterRef("pk"))))
    condition = unread if since is None else Q(published_at__gt=since) & unread
    return articles.annotate(is_new=ExpressionWrapper(condition, output_field=BooleanField()))


def policy_list(
    *, student: Student, since: dt.datetime | None, query: str = "", kind: str = ""
) -> QuerySet[PolicyArticle]:
    """The student's articles, newest first, with `is_new`: published after `since` (the
    list passes the visit before this one, the home the last visit) and not opened yet;
    `query` is searched in title, summary, body and tags."""
    articles = published_for(student).select_related("department")
    if kind in PolicyArticle.Kind.values:
        articles = articles.filter(kind=kind)
    articles = _search(articles, query)
    return _with_new(articles, student, since).order_by("-published_at", "-pk")


def policy_last_visit(*, student: Student) -> dt.datetime | None:
    """When the student last opened the policy list (None: never)."""
    return PolicyVisit.objects.filter(student=student).values_list("last_at", flat=True).first()


def policy_new_count(*, student: Student) -> int:
    """How many of the student's articles are new since they last opened the list."""
    since = policy_last_visit(student=student)
    return _with_new(published_for(student), student, since).filter(Q(is_new=True)).count()


def policy_get(*, student: Student, pk: int) -> PolicyArticle:
    """One article the student may read; another audience's is missing (DoesNotExist)."""
    return published_for(student).select_related("department").prefetch_related("steps").get(pk=pk)


# ---- the employment office's side ----


@dataclass(frozen=True)
class ArticleFilters:
    query: str = ""
    kind: str = ""
    status: str = ""
    department_id: int | None = None


def article_queryset(*, actor: RoleAssignment | None) -> QuerySet[PolicyArticle]:
    if not permissions.can_publish(actor) or actor is None or actor.institution_id is None:
        return PolicyArticle.objects.none()
    return PolicyArticle.objects.filter(institution_id=actor.institution_id)


def article_list(
    *, actor: RoleAssignment | None, filters: ArticleFilters
) -> QuerySet[PolicyArticle]:
    articles = _filtered(actor, filters)
    if filters.status in PolicyArticle.Status.values:
        articles = articles.filter(status=filters.status)
    return articles.select_related("department").annotate(
        step_count=Count("steps", distinct=True)
    ).order_by("-updated_at", "-pk")  # fmt: skip


def article_counts(*, actor: RoleAssignment | None, filters: ArticleFilters) -> dict[str, int]:
    """Articles per status under the other filters (the tabs' numbers), and `all`."""
    rows = _filtered(actor, filters).values("status").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(PolicyArticle.Status.values, 0)
    counts |= {row["status"]: row["n"] for row in rows}
    return counts | {"all": sum(counts.values())}


def _filtered(actor: RoleAssignment | None, filters: ArticleFilters) -> QuerySet[PolicyArticle]:
    articles = article_queryset(actor=actor)
    if filters.kind in PolicyArticle.Kind.values:
        articles = articles.filter(kind=filters.kind)
    if filters.department_id is not None:
        articles = articles.filter(department_id=filters.department_id)
    return _search(articles, filters.query)


def article_get(*, actor: RoleAssignment | None, pk: int) -> PolicyArticle:
    return (
        article_queryset(actor=actor)
        .select_related("department")
        .prefetch_related("steps", "schools", "audience_cohorts")
        .get(pk=pk)
    )
