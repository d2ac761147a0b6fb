"""Tags and cohorts as typed by an editor, normalised (pure)."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[,，、;；\s]+")
MAX_TAGS = 8
MAX_TAG_LENGTH = 20


def normalise(text: str) -> str:
    """'补贴， 求职 补贴' → '补贴,求职': split on Chinese or Latin separators, de-duplicated in
    order, each tag cut to MAX_TAG_LENGTH, at most MAX_TAGS."""
    seen: list[str] = []
    for tag in _SEPARATORS.split(text or ""):
        tag = tag.strip()[:MAX_TAG_LENGTH]
        if tag and tag not in seen:
            seen.append(tag)
    return ",".join(seen[:MAX_TAGS])


def cohorts(text: str) -> list[int] | None:
    """'2026 2027' → [2026, 2027]; None when something is not a plausible graduation year."""
    years: list[int] = []
    for part in _SEPARATORS.split(text or ""):
        if not part:
            continue
        if not re.fullmatch(r"20[0-9]{2}", part):
            return None
        if int(part) not in years:
            years.append(int(part))
    return sorted(years)
