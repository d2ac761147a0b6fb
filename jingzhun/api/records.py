"""/api/records/{kind}: the records attached to students (grades, aid, internships, …).

Every kind has its own read and write scope. Reads of sensitive kinds (family finance,
disability, psychological screening) are audited like a view of the profile tab.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError

from jingzhun.api import reads
from jingzhun.api.auth import actor_for, require_scope, token_of
from jingzhun.api.bulk import Response, bulk_upsert
from jingzhun.api.schemas import (
    BulkIn,
    BulkOut,
    DetailOut,
    DomainErrorOut,
    RecordFilterIn,
    RecordPage,
)
from jingzhun.api.scopes import RECORD_KINDS, SENSITIVE_KINDS, record_scope
from jingzhun.core.models import AuditLog
from jingzhun.students.intake.kinds import KINDS, KindSpec

router = Router(tags=["records"])

KIND_HELP = "One of: " + ", ".join(RECORD_KINDS) + "."


def _kind(kind: str) -> KindSpec:
    if kind not in RECORD_KINDS:
        raise HttpError(404, _("Unknown record kind: %(kind)s") % {"kind": kind})
    return KINDS[kind]


@router.get(
    "/{kind}", response={200: RecordPage, 404: DetailOut}, summary="List records of a kind",
    description=f"Scope `records:<kind>:read`. {KIND_HELP}",
)  # fmt: skip
def record_list(request: HttpRequest, kind: str, filters: Query[RecordFilterIn]) -> dict[str, Any]:
    spec = _kind(kind)
    token = token_of(request)
    require_scope(token, record_scope(kind, "read"))
    actor = actor_for(token, kind)
    rows = reads.record_rows(actor=actor, spec=spec, filters=filters)
    total, records = reads.page(rows, limit=filters.limit, offset=filters.offset)
    if kind in SENSITIVE_KINDS and records:
        fields = [f.name for f in spec.fields if f.name != "student_number"]
        reads.audit_api_read(request, token=token, actor=actor, action=AuditLog.Action.VIEW_SENSITIVE,
                             fields=fields, count=len(records), kind=kind)  # fmt: skip
    return {
        "total": total,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [reads.record_payload(spec, r) for r in records],
    }


@router.post(
    "/{kind}/bulk",
    response={200: BulkOut, 400: DomainErrorOut, 404: DetailOut, 413: DetailOut, 422: BulkOut},
    summary="Create or update records of a kind",
    description=f"Scope `records:<kind>:write`. {KIND_HELP}",
)
def record_bulk(request: HttpRequest, kind: str, body: BulkIn) -> Response:
    _kind(kind)
    token = token_of(request)
    require_scope(token, record_scope(kind, "write"))
    return bulk_upsert(request, token=token, kind=kind, body=body)
