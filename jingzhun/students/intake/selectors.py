"""Scoped reads of import batches."""

from __future__ import annotations

from django.db.models import QuerySet

from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.permissions import readable_kinds


def import_batch_list(*, actor: RoleAssignment | None) -> QuerySet[ImportBatch]:
    """Batches of the actor's institution it uploaded itself (the employment office: all),
    of kinds whose fields the actor's role may open: the psychological centre's screening
    files stay with the centre, whoever else may import."""
    if actor is None or actor.institution_id is None:
        return ImportBatch.objects.none()
    qs = ImportBatch.objects.filter(
        institution_id=actor.institution_id, kind__in=[k.slug for k in readable_kinds(actor)]
    ).select_related("uploaded_by")
    if actor.role != Role.EMPLOYMENT_OFFICE:
        qs = qs.filter(uploaded_by=actor.user)
    return qs


def import_batch_get(*, actor: RoleAssignment | None, pk: int) -> ImportBatch:
    return import_batch_list(actor=actor).select_related("uploaded_role__department").get(pk=pk)
