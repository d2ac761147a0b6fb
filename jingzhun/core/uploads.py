"""Refuse request bodies larger than any page accepts before a byte of them is read.

Django streams file parts to temporary files and caps only the other fields, so without this a
200 MB upload to a 50 MB form is received in full before the form can say no. The declared
length is all that is needed: Django never reads past it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def max_request_bytes() -> int:
    """The largest upload a page takes, plus room for the form's other fields."""
    largest = max(settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return largest + 256 * 1024


class RequestBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            return self._too_large(request)
        return self.get_response(request)

    def _too_large(self, request: HttpRequest) -> HttpResponse:
        limit = settings.IMPORT_MAX_UPLOAD_MB
        if request.path.startswith("/api/"):
            return HttpResponse(
                b'{"detail": "Request body too large."}',
                status=413,
                content_type="application/json",
            )
        body = render_to_string("core/request_too_large.html", {"limit_mb": limit}, request=None)
        # The client is still sending; closing tells it to stop rather than wait for a read.
        response = HttpResponse(body, status=413)
        response["Connection"] = "close"
        return response
