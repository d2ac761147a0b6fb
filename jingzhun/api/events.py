"""/api/events/{source}/batches: campus systems push raw events of every lake source
(`EVENT_SOURCES`: campus card, library, job platform, dorm access)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import P, PathEx, Router

from jingzhun.api.auth import ApiTokenAuth, family_scope, token_of
from jingzhun.api.event_batches import Response, event_batch_push
from jingzhun.api.schemas import (
    BODY_ERRORS,
    DetailOut,
    EventBatchIn,
    EventBatchOut,
    EventBatchRefusedOut,
    ValidationErrorOut,
)
from jingzhun.api.scopes import EVENT_SOURCES, event_scope
from jingzhun.data.events.schemas import SOURCES, EventSource

if TYPE_CHECKING:
    SourceName = str
else:
    SourceName = Literal[EVENT_SOURCES]

router = Router(tags=["events"])


def _fields(source: EventSource) -> str:
    return ", ".join(
        f"`{name}` ({kind}{', required' if name in source.required else ''})"
        for name, kind in source.columns
    )


SOURCE_HELP = " ".join(f"`{name}`: {_fields(SOURCES[name])}." for name in EVENT_SOURCES)


def _unknown(source: str) -> str:
    return _("Unknown event source: %(source)s") % {"source": source}


Source = PathEx[SourceName, P(description="One of: " + ", ".join(EVENT_SOURCES) + ".")]


@router.post(
    "/{source}/batches",
    response={200: EventBatchOut, 201: EventBatchOut, **BODY_ERRORS, 404: DetailOut,
              409: DetailOut, 422: EventBatchRefusedOut | ValidationErrorOut},
    auth=ApiTokenAuth(family_scope("source", EVENT_SOURCES, event_scope, _unknown), json_body=True),
    summary="Push a batch of events",
    description=(
        "Scope `events:<source>:write`. All or nothing: any bad event refuses the batch. "
        "Times are ISO 8601 with an offset, or Beijing time without one; numbers may be "
        "decimal strings. 201 when written, 200 with `duplicate` when already received. "
        f"{SOURCE_HELP}"
    ),
)  # fmt: skip
def event_batch(request: HttpRequest, source: Source, body: EventBatchIn) -> Response:
    return event_batch_push(request, token=token_of(request), source=SOURCES[source], body=body)
