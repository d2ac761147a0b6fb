"""Scoped reads: the review queue, the runs and the risk models of an institution."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet

from jingzhun.data import ml
from jingzhun.identification.models import Case, IdentificationRun, RiskModel, Signal
from jingzhun.identification.risk import artifact_from_zip
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import field_access
from jingzhun.students.selectors import student_queryset


def case_list(
    *,
    actor: RoleAssignment | None,
    status: str = Case.Status.CANDIDATE,
    class_group: int | None = None,
) -> QuerySet[Case]:
    qs = Case.objects.filter(student__in=student_queryset(actor=actor), status=status)
    if class_group:
        qs = qs.filter(student__class_group_id=class_group)
    return (
        qs.select_related("student__class_group", "responsible")
        .prefetch_related("types")
        .order_by("level", "student__class_group__name", "student__student_number")
    )


def case_get(*, actor: RoleAssignment | None, pk: int) -> Case:
    return Case.objects.select_related("student").get(
        pk=pk, student__in=student_queryset(actor=actor)
    )


@dataclass(frozen=True)
class ShownSignal:
    type_name: str
    level: int
    explanation: str
    restricted: bool


def latest_signals(
    *, actor: RoleAssignment, student_ids: list[int]
) -> dict[int, list[ShownSignal]]:
    """Each student's signals from their latest run; restricted ones say only that they exist."""
    allowed = field_access(actor.role, actor.department_kind)
    rows = (
        Signal.objects.filter(student_id__in=student_ids)
        .select_related("difficulty_type")
        .order_by("student_id", "-run_id", "level")
    )
    latest_run: dict[int, int] = {}
    shown: dict[int, list[ShownSignal]] = defaultdict(list)
    for signal in rows:
        run = latest_run.setdefault(signal.student_id, signal.run_id)
        if signal.run_id != run:
            continue
        restricted = bool(signal.sensitivity) and signal.sensitivity not in allowed
        shown[signal.student_id].append(ShownSignal(
            type_name=signal.difficulty_type.name, level=signal.level,
            explanation="" if restricted else signal.explanation, restricted=restricted,
        ))  # fmt: skip
    return shown


def run_list(*, actor: RoleAssignment | None) -> QuerySet[IdentificationRun]:
    if actor is None or actor.institution_id is None:
        return IdentificationRun.objects.none()
    return IdentificationRun.objects.filter(institution_id=actor.institution_id).select_related(
        "started_by", "school", "risk_model"
    )


def risk_model_list(*, actor: RoleAssignment | None) -> QuerySet[RiskModel]:
    if actor is None or actor.institution_id is None:
        return RiskModel.objects.none()
    return RiskModel.objects.filter(institution_id=actor.institution_id).select_related(
        "trained_by", "approved_by"
    )


def risk_model_active(*, institution_id: int) -> RiskModel | None:
    return RiskModel.objects.filter(
        institution_id=institution_id, status=RiskModel.Status.APPROVED
    ).first()


def risk_model_artifact(model: RiskModel) -> ml.ModelArtifact:
    """The stored model itself (a small zip: the booster text and its manifest)."""
    with model.artifact.open("rb") as handle:
        return artifact_from_zip(handle.read())
