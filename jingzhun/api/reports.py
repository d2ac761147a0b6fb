"""Error lists of refused requests, bounded in length and in the size of every echoed value.

A body of 5,000 records with a 4 KB value each would otherwise come back as a response of
the same size: the list stops after MAX_REPORTED_ERRORS (the total is still counted) and each
quoted field name or value is cut to MAX_ECHO_CHARS.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from jingzhun.api.schemas import MAX_ECHO_CHARS, MAX_REPORTED_ERRORS

ELLIPSIS = "…"
# Messages are ours, but some quote the value they refuse; they get a larger allowance.
MAX_MESSAGE_CHARS = 300
_SURROGATE = re.compile("[\ud800-\udfff]")


def echo(text: str, limit: int = MAX_ECHO_CHARS) -> str:
    """`text` cut to `limit` characters (a cut ends in …), unpaired surrogates as U+FFFD."""
    text = _SURROGATE.sub("\ufffd", text)
    return text if len(text) <= limit else text[:limit] + ELLIPSIS


def record_error(index: int, field: str, value: str, message: str) -> dict[str, Any]:
    return {
        "index": index,
        "field": echo(field),
        "value": echo(value),
        "message": echo(message, MAX_MESSAGE_CHARS),
    }


def error_report(errors: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The total, whether the list is cut, and the first MAX_REPORTED_ERRORS errors."""
    return {
        "error_count": len(errors),
        "errors_truncated": len(errors) > MAX_REPORTED_ERRORS,
        "errors": list(errors[:MAX_REPORTED_ERRORS]),
    }
