"""Event batches into the lake: what campus systems push (the API's
`/api/events/{source}/batches`) goes through this one service.

The lake is institution-blind, so the manifest name of a batch carries the institution: two
colleges may use the same batch ids without colliding. Only batches that wrote something are
audited; a duplicate push changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings

from jingzhun.behaviour import permissions
from jingzhun.behaviour.lake import event_lake
from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.data.events.batches import BatchImport, import_records
from jingzhun.data.events.schemas import EventSource
from jingzhun.org.models import RoleAssignment


def event_batch_name(*, institution_code: str, batch_id: str, via: str = "api") -> str:
    """The batch's name in the lake's manifest: channel, institution, the sender's id."""
    return f"{via}:{institution_code}:{batch_id}"


def event_batch_import(
    *,
    actor: RoleAssignment,
    source: EventSource,
    batch_id: str,
    events: Sequence[Mapping[str, Any]],
    via: str = "api",
    audit_detail: dict[str, Any] | None = None,
) -> BatchImport:
    """Write the batch of the actor's institution (outcome "written"), find it written
    ("duplicate"), or find the name taken by other events ("conflict", nothing written).

    Raises `RecordsRejected` (nothing written) listing every bad value, and the app's
    DomainError when the actor may not add events. Naive times are campus (settings) time."""
    institution = actor.institution
    permissions.require(permissions.can_import_events(actor) and institution is not None)
    assert institution is not None  # for the type checker: the line above refused None
    result = import_records(
        events, event_lake(), source,
        name=event_batch_name(institution_code=institution.code, batch_id=batch_id, via=via),
        local_zone=settings.TIME_ZONE,
    )  # fmt: skip
    if result.outcome == "written":
        audit_log(actor=actor.user, action=AuditLog.Action.CREATE, role=actor.role,
                  detail={"via": via, **(audit_detail or {}), "events": source.name,
                          "batch_id": batch_id, "rows": result.entry.rows,
                          "months": list(result.months), "sha256": result.entry.sha256})  # fmt: skip
    return result
