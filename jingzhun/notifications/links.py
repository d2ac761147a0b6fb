"""Which links a notification may carry: paths on this site only."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")


def is_site_path(url: str) -> bool:
    """A path on this site (`/cases/12/`), never a scheme, a host (`//evil.example/`) or a
    backslash some browsers read as a slash (`/\\evil.example`)."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and "\\" not in url
        and _CONTROL.search(url) is None
    )
