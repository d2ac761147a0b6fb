"""Scoped reads of import batches."""

from __future__ import annotations

from django.db.models import QuerySet

from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.intake.models import ImportBatch


def import_batch_list(*, actor: RoleAssignment | None) -> QuerySet[ImportBatch]:
    """Batches of the actor's institution it uploaded itself (the employment office: all)."""
    if actor is None or actor.institution_id is None:
        return ImportBatch.objects.none()
    qs = ImportBatch.objects.filter(institution_id=actor.institution_id).select_related(
        "uploaded_by"
    )
    if actor.role != Role.EMPLOYMENT_OFFICE:
        qs = qs.filter(uploaded_by=actor.user)
    return qs


def import_batch_get(*, actor: RoleAssignment | None, pk: int) -> ImportBatch:
    return import_batch_list(actor=actor).select_related("uploaded_role__department").get(pk=pk)
