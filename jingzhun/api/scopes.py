"""Token scopes as plain values.

A token carries an explicit list of scopes; nothing implies anything else (write does not
imply read, and there is no wildcard), so sensitive record kinds are readable only by a
token that names their read scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from jingzhun.data.events.schemas import SOURCES
from jingzhun.students.intake.kinds import KINDS

Access = Literal["read", "write"]
ACCESSES: tuple[Access, ...] = ("read", "write")

STUDENTS_READ = "students:read"
STUDENTS_WRITE = "students:write"
# Full ID numbers and phones instead of masked ones; every such read is audited.
STUDENTS_IDENTIFIERS = "students:identifiers"

# Records about students; the kinds that set the college up (org structure, staff) are
# imported in the console only.
RECORD_KINDS: tuple[str, ...] = tuple(
    slug for slug, spec in KINDS.items() if slug != "students" and spec.per_student
)
SENSITIVE_KINDS: frozenset[str] = frozenset(
    slug for slug in RECORD_KINDS if KINDS[slug].sensitivity is not None
)


def record_scope(kind: str, access: Access) -> str:
    return f"records:{kind}:{access}"


EVENT_SOURCES: tuple[str, ...] = tuple(SOURCES)


def event_scope(source: str) -> str:
    """Pushing event batches of a lake source; events are raw data and are never read back
    through the API, so there is no read scope."""
    return f"events:{source}:write"


ALL_SCOPES: tuple[str, ...] = (
    STUDENTS_READ,
    STUDENTS_WRITE,
    STUDENTS_IDENTIFIERS,
    *(record_scope(kind, access) for kind in RECORD_KINDS for access in ACCESSES),
    *(event_scope(source) for source in EVENT_SOURCES),
)


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    known = set(ALL_SCOPES)
    return [scope for scope in scopes if scope not in known]
