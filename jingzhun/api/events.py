"""/api/events/{source}/batches: campus systems push raw events of every lake source
(`EVENT_SOURCES`: campus card, library, job platform, dorm access)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from jingzhun.api.auth import require_scope, token_of
from jingzhun.api.event_batches import Response, event_batch_push
from jingzhun.api.schemas import DetailOut, EventBatchIn, EventBatchOut, EventBatchRefusedOut
from jingzhun.api.scopes import EVENT_SOURCES, event_scope
from jingzhun.data.events.schemas import SOURCES, EventSource

router = Router(tags=["events"])


def _fields(source: EventSource) -> str:
    return ", ".join(
        f"`{name}` ({kind}{', required' if name in source.required else ''})"
        for name, kind in source.columns
    )


SOURCE_HELP = " ".join(f"`{name}`: {_fields(SOURCES[name])}." for name in EVENT_SOURCES)


def _source(source: str) -> EventSource:
    if source not in EVENT_SOURCES:
        raise HttpError(404, _("Unknown event source: %(source)s") % {"source": source})
    return SOURCES[source]


@router.post(
    "/{source}/batches",
    response={200: EventBatchOut, 201: EventBatchOut, 404: DetailOut, 409: DetailOut,
              413: DetailOut, 422: EventBatchRefusedOut},
    summary="Push a batch of events",
    description=(
        "Scope `events:<source>:write`. All or nothing: any bad event refuses the batch. "
        "Times are ISO 8601 with an offset, or Beijing time without one; numbers may be "
        "decimal strings. 201 when written, 200 with `duplicate` when already received. "
        f"{SOURCE_HELP}"
    ),
)  # fmt: skip
def event_batch(request: HttpRequest, source: str, body: EventBatchIn) -> Response:
    found = _source(source)
    token = token_of(request)
    require_scope(token, event_scope(source))
    return event_batch_push(request, token=token, source=found, body=body)
