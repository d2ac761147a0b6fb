"""The alert's transition table: open → acknowledged → closed, and open → closed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingzhun.core.status import TransitionTable
from jingzhun.tracking.alerts.errors import TrackingErrorCode

ALERT_TABLE = TransitionTable(
    allowed={
        "open": frozenset({"acknowledged", "closed"}),
        "acknowledged": frozenset({"closed"}),
        "closed": frozenset(),
    },
    needs_reason=frozenset({"closed"}),
    labels={"open": _("Open"), "acknowledged": _("Acknowledged"), "closed": _("Closed")},
    bad_transition_code=TrackingErrorCode.ALERT_BAD_TRANSITION,
    reason_required_code=TrackingErrorCode.ALERT_NOTE_REQUIRED,
)
