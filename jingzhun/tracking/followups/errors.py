"""Error codes of follow-ups and handover (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class TrackingErrorCode(StrEnum):
    NOT_ALLOWED = "followup.not_allowed"
    NOT_OPEN = "followup.not_open"
    INVALID = "followup.invalid"
    HANDOVER_NOT_ALLOWED = "handover.not_allowed"
    HANDOVER_EMPTY = "handover.empty"
    HANDOVER_BAD_TRANSITION = "handover.bad_transition"
    HANDOVER_INVALID = "handover.invalid"
