"""Bulk upserts: the registry's `records_upsert` (the import pipeline) behind a JSON contract.

The pipeline reports errors by spreadsheet column or field label; the API reports them by
record index and field name, which is what a calling system can act on. Two kinds of problem
refuse the whole request before the pipeline sees it, whatever the mode: a field name the kind
does not have (a typo must not drop a value unnoticed) and text no database can store.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError

from jingzhun.api.auth import actor_for
from jingzhun.api.bodies import unstorable, unstorable_message
from jingzhun.api.models import ApiToken
from jingzhun.api.reports import error_report, record_error
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


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _refusals(spec: KindSpec, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unknown field names and unstorable text, record by record."""
    unknown = _("Unknown field; the fields are: %(fields)s") % {
        "fields": ", ".join(f.name for f in spec.fields)
    }
    errors = []
    for index, record in enumerate(records):
        for name, value in record.items():
            if name not in spec.by_name:
                errors.append(record_error(index, name, _text(value), unknown))
            elif unstorable(value):
                errors.append(record_error(index, name, _text(value), unstorable_message()))
    return errors


def _outcome(applied: bool, errors: list[dict[str, Any]], **counts: int) -> dict[str, Any]:
    return (
        {"applied": applied, "created": 0, "updated": 0, "unchanged": 0}
        | counts
        | error_report(errors)
    )


def bulk_upsert(request: HttpRequest, *, token: ApiToken, kind: str, body: BulkIn) -> Response:
    """Validate and write; 200 when written (possibly skipping bad records), 422 when refused."""
    if len(body.records) > MAX_BULK_RECORDS:
        raise HttpError(
            413,
            _("%(n)s records sent; at most %(max)s are accepted per request.")
            % {"n": len(body.records), "max": MAX_BULK_RECORDS},
        )
    spec = KINDS[kind]
    refused = _refusals(spec, body.records)
    if refused:
        return Status(422, _outcome(False, refused))
    result = records_upsert(actor=actor_for(token, kind), kind=kind, records=body.records,
                            mode=body.mode, request=request, audit_detail={"token": token.name})  # fmt: skip
    errors = [
        record_error(e["row"], _field_name(spec, e["column"]), e["value"], e["message"])
        for e in result.errors
    ]
    if not result.applied:
        return Status(422, _outcome(False, errors))
    return Status(200, _outcome(True, errors, created=result.created, updated=result.updated,
                                unchanged=result.unchanged))  # fmt: skip
