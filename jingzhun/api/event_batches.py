"""Pushing event batches into the lake: the behaviour stage's `event_batch_import` behind a
JSON contract. This module only maps the request to the service and its outcome to HTTP
(201 written, 200 duplicate, 409 conflict, 413 too many, 422 refused values)."""

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
from jingzhun.api.schemas import MAX_BATCH_EVENTS, EventBatchIn
from jingzhun.behaviour.services import event_batch_import
from jingzhun.data.events.batches import (
    BatchImport,
    IssueCode,
    RecordIssue,
    RecordsRejected,
    display,
)
from jingzhun.data.events.schemas import EventSource

Response = Status[dict[str, Any]]


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
        result = event_batch_import(
            actor=actor_for(token), source=source, batch_id=body.batch_id, events=body.events,
            audit_detail={"token": token.name},
        )  # fmt: skip
    except RecordsRejected as exc:
        return Status(422, refused(source, exc.issues))
    if result.outcome == "conflict":
        raise HttpError(
            409,
            _("Batch %(batch_id)s was already received with other events; send new events "
              "under a new batch id.") % {"batch_id": body.batch_id},
        )  # fmt: skip
    status = 201 if result.outcome == "written" else 200
    return Status(status, accepted(source, body.batch_id, result))
