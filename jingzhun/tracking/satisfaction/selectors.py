"""Reads of satisfaction: the student's ratable actions, the aggregates assessment reads,
the office's lists of ratings and feedback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from jingzhun.assistance.models import Action
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.publications import permissions
from jingzhun.tracking.satisfaction.models import ActionRating, StudentFeedback
from jingzhun.tracking.satisfaction.services import rating_editable

SATISFIED = 4  # a rating of 4 or 5 counts as satisfied


@dataclass(frozen=True)
class RatableAction:
    action: Action
    rating: ActionRating | None
    editable: bool


def ratings_for_plan(*, student_id: int, actions: list[Action]) -> dict[int, RatableAction]:
    """For each completed action of the student's own (already loaded) plan: its rating, if
    any, and whether the student may still rate or change it."""
    done = [a for a in actions if a.student_id == student_id and a.status == Action.Status.DONE]
    ratings = {r.action_id: r for r in ActionRating.objects.filter(action__in=done)}
    now = timezone.now()
    return {
        a.pk: RatableAction(
            action=a,
            rating=ratings.get(a.pk),
            editable=a.pk not in ratings or rating_editable(ratings[a.pk], now=now),
        )
        for a in done
    }


@dataclass(frozen=True)
class Satisfaction:
    key: int
    label: str
    ratings: int
    average: float
    satisfied_share: float  # ratings of 4 or 5 / all ratings


def _ratings(
    institution_id: int, since: dt.date | None, until: dt.date | None
) -> QuerySet[ActionRating]:
    rows = ActionRating.objects.filter(student__institution_id=institution_id)
    if since is not None:
        rows = rows.filter(action__closed_at__date__gte=since)
    if until is not None:
        rows = rows.filter(action__closed_at__date__lte=until)
    return rows


def _aggregate(rows: QuerySet[ActionRating], key: str, label: str) -> list[Satisfaction]:
    grouped = (
        rows.values(key, label)
        .annotate(n=Count("pk"), avg=Avg("score"), happy=Count("pk", filter=Q(score__gte=SATISFIED)))
        .order_by(label)
    )  # fmt: skip
    return [
        Satisfaction(key=row[key], label=row[label], ratings=row["n"],
                     average=round(float(row["avg"]), 2), satisfied_share=round(row["happy"] / row["n"], 3))
        for row in grouped
    ]  # fmt: skip


def satisfaction_by_department(
    *, institution_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> list[Satisfaction]:
    """Ratings per department that did the actions (actions closed between the dates)."""
    return _aggregate(
        _ratings(institution_id, since, until), "action__department_id", "action__department__name"
    )


def satisfaction_by_measure(
    *, institution_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> list[Satisfaction]:
    return _aggregate(
        _ratings(institution_id, since, until), "action__measure_id", "action__measure__name"
    )


def satisfaction_by_action(
    *, institution_id: int, since: dt.date | None = None, until: dt.date | None = None
) -> dict[int, int]:
    """Action id → its rating (1–5): what assessment joins to actions per person."""
    rows = _ratings(institution_id, since, until).values_list("action_id", "score")
    return dict(rows)


@dataclass(frozen=True)
class RatingFilters:
    department_id: int | None = None
    score: int | None = None


def rating_list(*, actor: RoleAssignment | None, filters: RatingFilters) -> QuerySet[ActionRating]:
    if not permissions.can_read_satisfaction(actor):
        return ActionRating.objects.none()
    rows = ActionRating.objects.filter(student__in=student_queryset(actor=actor))
    if filters.department_id is not None:
        rows = rows.filter(action__department_id=filters.department_id)
    if filters.score is not None:
        rows = rows.filter(score=filters.score)
    return rows.select_related(
        "student__class_group", "action__measure", "action__department"
    ).order_by("-updated_at", "-pk")


def feedback_queryset(*, actor: RoleAssignment | None) -> QuerySet[StudentFeedback]:
    if not permissions.can_read_satisfaction(actor) or actor is None:
        return StudentFeedback.objects.none()
    return StudentFeedback.objects.filter(student__in=student_queryset(actor=actor))


def feedback_list(
    *, actor: RoleAssignment | None, status: str = "", topic: str = ""
) -> QuerySet[StudentFeedback]:
    rows = feedback_queryset(actor=actor)
    if topic in StudentFeedback.Topic.values:
        rows = rows.filter(topic=topic)
    if status in StudentFeedback.Status.values:
        rows = rows.filter(status=status)
    return rows.select_related("student__class_group", "handled_by").order_by("-created_at", "-pk")


def feedback_counts(*, actor: RoleAssignment | None, topic: str = "") -> dict[str, int]:
    rows = feedback_queryset(actor=actor)
    if topic in StudentFeedback.Topic.values:
        rows = rows.filter(topic=topic)
    counts = dict.fromkeys(StudentFeedback.Status.values, 0)
    counts |= {
        r["status"]: r["n"] for r in rows.values("status").annotate(n=Count("pk")).order_by()
    }
    return counts | {"all": sum(counts.values())}


def own_feedback(*, student: Student) -> QuerySet[StudentFeedback]:
    return StudentFeedback.objects.filter(student=student).order_by("-created_at", "-pk")
