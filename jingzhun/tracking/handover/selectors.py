"""Scoped reads of handover: who is still to be handed over (graduates who left without a
placed destination), grouped by household-registration place, and the batches."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Substr
from django.http import Http404

from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import DestinationCode, GraduateDestination, Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.followups import permissions
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.followups.schedule import PLACED_OUTCOMES
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.handover.places import place_key, place_name
from jingzhun.tracking.lifecycle import cohort_thresholds, window_months


@dataclass(frozen=True)
class PlaceCount:
    key: str  # "" for graduates whose place is unknown
    name: str
    count: int


def left_cohorts(*, on: dt.date) -> list[int]:
    """Cohorts that have left school by `on`, newest first (the last five)."""
    _beyond, after, _final = cohort_thresholds(on=on, months=window_months())
    return list(range(after, after - 5, -1))


def handover_candidates(*, actor: RoleAssignment, cohort: int) -> QuerySet[Student]:
    """Graduates of `cohort` in scope who left without a placed destination (by the registry
    or by their last follow-up's answer) and are in no batch yet."""
    if not permissions.can_read_handovers(actor):
        return Student.objects.none()
    placed = GraduateDestination.objects.filter(student=OuterRef("pk")).exclude(
        code__category=DestinationCode.Category.NOT_PLACED
    )
    last_answer = FollowUp.objects.filter(student=OuterRef("pk"), status="done").order_by(
        "-done_on", "-pk"
    )
    return (
        student_queryset(actor=actor)
        .filter(cohort=cohort)
        .exclude(status=Student.Status.WITHDRAWN)
        .annotate(last_outcome=Subquery(last_answer.values("outcome")[:1]))
        .exclude(Exists(placed))
        .exclude(Exists(HandoverEntry.objects.filter(student=OuterRef("pk"))))
        .filter(Q(last_outcome__isnull=True) | ~Q(last_outcome__in=PLACED_OUTCOMES))
    )


def candidates_by_place(*, actor: RoleAssignment, cohort: int) -> list[PlaceCount]:
    """The candidates counted per place (largest first), unknown places last."""
    rows = (
        handover_candidates(actor=actor, cohort=cohort)
        .annotate(prefix=Substr("hukou_region_code", 1, 6))
        .values("prefix")
        .annotate(n=Count("pk"))
    )
    counts: Counter[str] = Counter()
    for row in rows:
        counts[place_key(row["prefix"])] += row["n"]
    known = [PlaceCount(k, place_name(k), n) for k, n in counts.items() if k]
    known.sort(key=lambda p: (-p.count, p.key))
    unknown = [PlaceCount("", "", counts[""])] if counts.get("") else []
    return known + unknown


def candidates_in_place(*, actor: RoleAssignment, cohort: int, key: str) -> QuerySet[Student]:
    """The candidates whose household registration lies in the place `key` (4 digits)."""
    if len(key) != 4 or not key.isdigit() or not place_name(key):
        return Student.objects.none()
    return handover_candidates(actor=actor, cohort=cohort).filter(hukou_region_code__startswith=key)


def batch_list(*, actor: RoleAssignment) -> QuerySet[HandoverBatch]:
    if not permissions.can_read_handovers(actor):
        return HandoverBatch.objects.none()
    return (
        HandoverBatch.objects.filter(institution_id=actor.institution_id or 0)
        .annotate(
            total=Count("entries"),
            replied=Count("entries", filter=~Q(entries__returned=HandoverEntry.Return.PENDING)),
            placed=Count("entries", filter=Q(entries__returned=HandoverEntry.Return.PLACED)),
        )
        .select_related("created_by")
        .order_by("-created_at", "-pk")
    )


def batch_get(*, actor: RoleAssignment, pk: int) -> HandoverBatch:
    batch = batch_list(actor=actor).filter(pk=pk).first()
    if batch is None:
        raise Http404
    return batch


def batch_entries(*, actor: RoleAssignment, batch: HandoverBatch) -> QuerySet[HandoverEntry]:
    """The batch's entries whose graduate is in the actor's scope."""
    return (
        HandoverEntry.objects.filter(batch=batch, student__in=student_queryset(actor=actor))
        .select_related("student__school", "student__major", "student__class_group", "recorded_by")
        .order_by("student__student_number")
    )
