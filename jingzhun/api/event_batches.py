"""Pushing event batches into the lake: the data pipeline's `import_records` behind a JSON contract.

The lake is institution-blind, so the manifest name of a batch carries the institution: two
colleges may use the same batch ids without colliding. Only batches that wrote something are
audited; a duplicate push changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError

from jingzhun.api.bodies import unstorable, unstorable_message
from jingzhun.api.models import ApiToken
from jingzhun.api.reports import error_report, record_error
from jingzhun.api.schemas import MAX_BATCH_EVENTS, EventBatchIn
from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.data.events.batches import (
    BatchImport,
    IssueCode,
    RecordIssue,
    RecordsRejected,
    display,
    import_records,
)
from jingzhun.data.events.lake import Lake
from jingzhun.data.events.schemas import EventSource

Response = Status[dict[str, Any]]


def event_lake() -> Lake:
    return Lake.at(settings.EVENT_LAKE_DIR)


def batch_name(token: ApiToken, batch_id: str) -> str:
    return f"api:{token.institution.code}:{batch_id}"


def issue_message(source: EventSource, code: IssueCode) -> str:
    if code == IssueCode.UNKNOWN_FIELD:
        return _("Unknown field; the fields are: %(fields)s") % {
            "fields": ", ".join(source.column_names)
        }
    return {
        IssueCode.MISSING: _("This field is required."),
        IssueCode.NOT_TEXT: _("Send this field as text (a JSON string)."),
        IssueCode.BAD_TIMESTAMP: _(
            "Not a valid time; use ISO 8601, e.g. 2024-09-01T12:30:00+08:00 "
            "(a time without an offset is Beijing time)."
        ),
        IssueCode.BAD_NUMBER: _(
            'Not a valid number; send a JSON number or a decimal string such as "12.50".'
        ),
    }[code]


def refused(source: EventSource, issues: tuple[RecordIssue, ...]) -> dict[str, Any]:
    return error_report(
        [record_error(i.index, i.field, i.value, issue_message(source, i.code)) for i in issues]
    )


def unstorable_values(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Text with NUL or unpaired surrogates, which the lake's hash and Parquet cannot encode."""
    return [
        record_error(index, name, display(value), unstorable_message())
        for index, event in enumerate(events)
        for name, value in event.items()
        if unstorable(name) or unstorable(value)
    ]


def accepted(source: EventSource, batch_id: str, result: BatchImport) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "source": source.name,
        "duplicate": result.outcome == "duplicate",
        "rows": result.entry.rows,
        "months": list(result.months),
        "sha256": result.entry.sha256,
    }


def event_batch_push(
    request: HttpRequest, *, token: ApiToken, source: EventSource, body: EventBatchIn
) -> Response:
    """Write the batch (201), find it already written (200), or refuse it (409, 413, 422)."""
    if len(body.events) > MAX_BATCH_EVENTS:
        raise HttpError(
            413,
            _("%(n)s events sent; at most %(max)s are accepted per batch.")
            % {"n": len(body.events), "max": MAX_BATCH_EVENTS},
        )
    unstorable_errors = unstorable_values(body.events)
    if unstorable_errors:
        return Status(422, error_report(unstorable_errors))
    try:
        result = import_records(
            body.events, event_lake(), source, name=batch_name(token, body.batch_id),
            local_zone=settings.TIME_ZONE,  # the campus clock the naive times are read in
        )  # fmt: skip
    except RecordsRejected as exc:
        return Status(422, refused(source, exc.issues))
    if result.outcome == "conflict":
        raise HttpError(
            409,
            _("Batch %(batch_id)s was already received with other events; send new events "
              "under a new batch id.") % {"batch_id": body.batch_id},
        )  # fmt: skip
    if result.outcome == "written":
        audit_log(actor=token.created_by, action=AuditLog.Action.CREATE, request=request,
                  detail={"via": "api", "token": token.name, "events": source.name,
                          "batch_id": body.batch_id, "rows": result.entry.rows,
                          "months": list(result.months), "sha256": result.entry.sha256})  # fmt: skip
        return Status(201, accepted(source, body.batch_id, result))
    return Status(200, accepted(source, body.batch_id, result))
