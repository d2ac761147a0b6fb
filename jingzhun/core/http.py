"""Reading untrusted request input in web views: numbers, ids, text and redirect targets.

A query or form value is whatever a browser, a bookmark or an attacker sends. `int()` accepts
Unicode digits that `str.isdigit()` lets through only partly ("²" passes `isdigit` and fails
`int`), and a number beyond the database's integer range crashes SQLite; PostgreSQL refuses
text with a NUL. Views parse through these helpers, so a bad value is an ignored filter or a
form error, never a server error.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

MAX_ID = 2**63 - 1  # BigAutoField
_ASCII_INT = re.compile(r"-?[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # a header cannot carry them


def int_param(raw: object, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The integer `raw` spells in ASCII digits, if it lies in [minimum, maximum]; else None."""
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not _ASCII_INT.fullmatch(text):
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None


def id_params(values: Iterable[object]) -> list[int]:
    """The valid primary keys among `values` (a `getlist`), the others dropped."""
    ids = (int_param(value) for value in values)
    return [value for value in ids if value is not None]


def text_param(raw: object, *, max_length: int | None = None) -> str:
    """Stripped text without NUL characters, cut to `max_length` when given."""
    text = raw.replace("\x00", "").strip() if isinstance(raw, str) else ""
    return text if max_length is None else text[:max_length]


def safe_redirect_target(request: HttpRequest, target: object, default: str) -> str:
    """`target` if it is a path on this site (and on HTTPS when the request came by HTTPS);
    otherwise the URL of `default`, a URL name or path.

    The one place a redirect target read from input is checked: an off-site `next`
    (`https://evil.example/`, `//evil.example/`, `/\\evil.example`) would turn a trusted
    link into a phishing redirect."""
    text = target.strip() if isinstance(target, str) else ""
    on_site = text.startswith("/") and _CONTROL.search(text) is None
    if on_site and url_has_allowed_host_and_scheme(
        text, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return text
    return resolve_url(default)


def next_url(request: HttpRequest, default: str) -> str:
    """The `next` parameter of a POST (else of the query), checked by `safe_redirect_target`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return safe_redirect_target(request, target, default)
