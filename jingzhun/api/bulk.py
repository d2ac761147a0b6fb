"""Bulk upserts: the registry's `records_upsert` (the import pipeline) behind a JSON contract.

The pipeline reports errors by spreadsheet column or field label; the API reports them by
record index and field name, which is what a calling system can act on.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError

from jingzhun.api.auth import actor_for
from jingzhun.api.models import ApiToken
from jingzhun.api.schemas import MAX_BULK_RECORDS, BulkIn
from jingzhun.students.intake.kinds import KINDS, KindSpec
from jingzhun.students.intake.services import records_upsert

Response = Status[dict[str, Any]]


def _field_name(spec: KindSpec, column: str) -> str:
    """Map a pipeline error column (a field name or a Chinese field label) to the field name."""
    if column in spec.by_name:
        return column
    by_label = {f.label: f.name for f in spec.fields}
    return by_label.get(column, column)


def _unknown_fields(spec: KindSpec, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Names the pipeline would silently ignore; a typo must not drop a value unnoticed."""
    message = _("Unknown field; the fields are: %(fields)s") % {
        "fields": ", ".join(f.name for f in spec.fields)
    }
    return [
        {"index": index, "field": name, "value": "" if value is None else str(value),
         "message": message}
        for index, record in enumerate(records)
        for name, value in record.items()
        if name not in spec.by_name
    ]  # fmt: skip


def _refused(errors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"applied": False, "created": 0, "updated": 0, "unchanged": 0, "errors": errors}


def bulk_upsert(request: HttpRequest, *, token: ApiToken, kind: str, body: BulkIn) -> Response:
    """Validate and write; 200 when written (possibly skipping bad records), 422 when refused."""
    if len(body.records) > MAX_BULK_RECORDS:
        raise HttpError(
            413,
            _("%(n)s records sent; at most %(max)s are accepted per request.")
            % {"n": len(body.records), "max": MAX_BULK_RECORDS},
        )
    spec = KINDS[kind]
    unknown = _unknown_fields(spec, body.records)
    if unknown:
        return Status(422, _refused(unknown))
    result = records_upsert(actor=actor_for(token, kind), kind=kind, records=body.records,
                            mode=body.mode, request=request, audit_detail={"token": token.name})  # fmt: skip
    errors = [
        {"index": e["row"], "field": _field_name(spec, e["column"]), "value": e["value"],
         "message": e["message"]}
        for e in result.errors
    ]  # fmt: skip
    if not result.applied:
        return Status(422, _refused(errors))
    return Status(
        200,
        {
            "applied": True,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "errors": errors,
        },
    )
