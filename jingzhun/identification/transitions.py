"""The case status table (有进有出): which moves are allowed, and what each needs.

Pure data for `jingzhun.core.status.move`; the labels are the model's status names.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingzhun.core.status import TransitionTable
from jingzhun.identification.errors import IdentificationErrorCode

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
CLOSED = frozenset(ALLOWED) - OPEN

_LABELS = {
    "candidate": _("Candidate"),
    "confirmed": _("Confirmed"),
    "in_assistance": _("In assistance"),
    "exit_proposed": _("Exit proposed"),
    "exited": _("Exited"),
    "dismissed": _("Dismissed"),
}

CASE_TABLE = TransitionTable(
    allowed=ALLOWED,
    needs_reason=NEEDS_REASON,
    labels=_LABELS,
    bad_transition_code=IdentificationErrorCode.BAD_TRANSITION,
    reason_required_code=IdentificationErrorCode.REASON_REQUIRED,
    bad_transition_message=_("A %(current)s case cannot become %(target)s."),
)


def can_move(current: str, target: str) -> bool:
    return CASE_TABLE.can_move(current, target)
