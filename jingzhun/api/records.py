"""/api/records/{kind}: the records attached to students (grades, aid, internships, …).

Every kind has its own read and write scope. Reads of sensitive kinds (family finance,
disability, psychological screening) are audited like a view of the profile tab.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Query, Router

from jingzhun.api import reads
from jingzhun.api.auth import ApiTokenAuth, ScopeRule, actor_for, family_scope, token_of
from jingzhun.api.bulk import Response, bulk_upsert
from jingzhun.api.schemas import (
    BODY_ERRORS,
    ERRORS,
    BulkIn,
    BulkOut,
    DetailOut,
    RecordFilterIn,
    RecordPage,
    ValidationErrorOut,
)
from jingzhun.api.scopes import RECORD_KINDS, SENSITIVE_KINDS, Access, record_scope
from jingzhun.core.models import AuditLog
from jingzhun.students.intake.kinds import KINDS

if TYPE_CHECKING:
    KindName = str
else:
    KindName = Literal[RECORD_KINDS]

router = Router(tags=["records"])

KIND_HELP = "One of: " + ", ".join(RECORD_KINDS) + "."
Kind = PathEx[KindName, P(description=KIND_HELP)]


def _unknown(kind: str) -> str:
    return _("Unknown record kind: %(kind)s") % {"kind": kind}


def _scope(access: Access) -> ScopeRule:
    return family_scope("kind", RECORD_KINDS, lambda kind: record_scope(kind, access), _unknown)


@router.get(
    "/{kind}", response={200: RecordPage, **ERRORS, 404: DetailOut},
    auth=ApiTokenAuth(_scope("read")), summary="List records of a kind",
    description=f"Scope `records:<kind>:read`. {KIND_HELP}",
)  # fmt: skip
def record_list(request: HttpRequest, kind: Kind, filters: Query[RecordFilterIn]) -> dict[str, Any]:
    spec = KINDS[kind]
    token = token_of(request)
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
    response={200: BulkOut, **BODY_ERRORS, 404: DetailOut, 422: BulkOut | ValidationErrorOut},
    auth=ApiTokenAuth(_scope("write"), json_body=True),
    summary="Create or update records of a kind",
    description=f"Scope `records:<kind>:write`. {KIND_HELP}",
)
def record_bulk(request: HttpRequest, kind: Kind, body: BulkIn) -> Response:
    return bulk_upsert(request, token=token_of(request), kind=kind, body=body)
