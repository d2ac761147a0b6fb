"""The students a batch operation acts on: the actor's scope, then the filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jingzhun.identification.models import Case
from jingzhun.identification.transitions import OPEN as CASE_OPEN
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.batches.models import BatchOperation
from jingzhun.tracking.batches.stages import Stage, final_cohort

MAX_IDS = 5000


@dataclass(frozen=True)
class BatchFilters:
    cohort: int | None = None
    school: int | None = None
    difficulty_type: int | None = None
    level: int | None = None
    stage: str = ""
    alert_kind: str = ""
    # Checked students (optional): only those of them the filters and the scope select.
    ids: tuple[int, ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ids"] = list(self.ids)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BatchFilters:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["ids"] = tuple(int(i) for i in known.get("ids") or ())[:MAX_IDS]
        return cls(**known)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, k) for k in self.__dataclass_fields__)


def _by_stage(qs: QuerySet[Student], stage: str, today: dt.date) -> QuerySet[Student]:
    final = final_cohort(today)
    if stage == Stage.FINAL:
        return qs.filter(cohort=final)
    if stage == Stage.GRADUATED:
        return qs.filter(cohort__lt=final)
    if stage == Stage.EARLY:
        return qs.filter(cohort__gt=final)
    return qs


def batch_students(
    *, actor: RoleAssignment | None, filters: BatchFilters, today: dt.date | None = None
) -> QuerySet[Student]:
    """Students in the actor's scope matching every filter. The scope comes first: a filter
    (or a checked id) naming a student outside it selects nothing."""
    qs = student_queryset(actor=actor)
    if filters.cohort:
        qs = qs.filter(cohort=filters.cohort)
    if filters.school:
        qs = qs.filter(school_id=filters.school)
    if filters.stage:
        qs = _by_stage(qs, filters.stage, today or timezone.localdate())
    if filters.difficulty_type or filters.level:
        cases = Case.objects.filter(status__in=CASE_OPEN)
        if filters.difficulty_type:
            cases = cases.filter(types=filters.difficulty_type)
        if filters.level:
            cases = cases.filter(level=filters.level)
        qs = qs.filter(pk__in=cases.values("student_id"))
    if filters.alert_kind:
        alerts = Alert.objects.filter(kind=filters.alert_kind).exclude(state=Alert.State.CLOSED)
        qs = qs.filter(pk__in=alerts.values("student_id"))
    if filters.ids:
        qs = qs.filter(pk__in=list(filters.ids))
    return qs.order_by("-cohort", "student_number")


def operation_list(*, actor: RoleAssignment | None) -> QuerySet[BatchOperation]:
    """The actor's own operations (a batch's results name students of the actor's scope)."""
    if actor is None:
        return BatchOperation.objects.none()
    return BatchOperation.objects.filter(created_by_id=actor.user_id).order_by("-created_at", "-pk")
