"""Request bodies: JSON only (415 otherwise), strictly parsed (400), text the database can store.

Python's `json` is lenient where a campus system's JSON must not be: it reads NaN and
Infinity, guesses UTF-16 and UTF-32, and accepts lone surrogates such as "\\ud800" that no
database can encode. Bodies are UTF-8 (RFC 8259); the constants are refused here and the
surrogates, with NUL (which PostgreSQL cannot hold), are reported per field by the endpoints.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.parser import Parser

from jingzhun.core.errors import DomainError

JSON_MEDIA_TYPE = "application/json"
UTF_8 = frozenset({"utf-8", "utf8"})
# A bulk body is three levels deep ({"records": [{field: value}]}); far deeper values are
# hostile, and walking them (repr, json.dumps, checks) would exhaust the stack.
MAX_DEPTH = 16
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class BodyErrorCode(StrEnum):
    MALFORMED_JSON = "api.malformed_json"
    TOO_MANY_PARAMETERS = "api.too_many_parameters"


class UnsupportedMediaType(HttpError):
    def __init__(self) -> None:
        super().__init__(
            415,
            _("Send the body as JSON with the header 'Content-Type: application/json' "
              "(UTF-8)."),
        )  # fmt: skip


def require_json(request: HttpRequest) -> None:
    """`application/json`, with no charset or UTF-8, else 415."""
    charset = (request.content_params or {}).get("charset", "utf-8").strip().lower()
    if request.content_type != JSON_MEDIA_TYPE or charset not in UTF_8:
        raise UnsupportedMediaType()


def malformed(message: str) -> DomainError:
    return DomainError(BodyErrorCode.MALFORMED_JSON, message)


def _no_constants(name: str) -> Any:
    raise malformed(_("The request body is not valid JSON: %(name)s is not a JSON number.")
                    % {"name": name})  # fmt: skip


class StrictJsonParser(Parser):
    """UTF-8 JSON without NaN or Infinity; failures are DomainErrors (400).

    ninja wraps whatever `parse_body` raises in its own HttpError(400); the API's handler
    unwraps a DomainError found as the cause, so the body matches `DomainErrorOut`.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise malformed(_("The request body is not valid UTF-8.")) from None
        try:
            data = json.loads(text, parse_constant=_no_constants)
        except json.JSONDecodeError as exc:
            raise malformed(
                _("The request body is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from None
        except RecursionError:
            raise _too_deep() from None
        if _deeper_than(data, MAX_DEPTH):
            raise _too_deep()
        return data


def _too_deep() -> DomainError:
    return malformed(
        _("The request body is nested more than %(depth)s levels deep.") % {"depth": MAX_DEPTH}
    )


def _deeper_than(value: Any, limit: int) -> bool:
    """Iterative, so that the check itself cannot exhaust the stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def unstorable(value: Any) -> bool:
    """Whether a JSON value holds text with NUL or an unpaired surrogate, at any depth."""
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, list):
        return any(unstorable(item) for item in value)
    if isinstance(value, dict):
        return any(unstorable(key) or unstorable(item) for key, item in value.items())
    return False


def unstorable_message() -> str:
    return _(
        "This text contains a NUL character or an unpaired surrogate (such as \\ud800), "
        "which cannot be stored; send valid UTF-8 text."
    )
