"""The case status table (有进有出): which moves are allowed, and what each needs."""

from __future__ import annotations

ALLOWED: dict[str, frozenset[str]] = {
    "candidate": frozenset({"confirmed", "dismissed"}),
    "confirmed": frozenset({"in_assistance", "exit_proposed", "exited"}),
    "in_assistance": frozenset({"exit_proposed", "exited"}),
    "exit_proposed": frozenset({"in_assistance", "exited"}),
    "exited": frozenset(),
    "dismissed": frozenset(),
}
NEEDS_REASON = frozenset({"dismissed", "exited"})
OPEN = frozenset({"candidate", "confirmed", "in_assistance", "exit_proposed"})


def can_move(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, frozenset())
