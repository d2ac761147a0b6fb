"""Error codes of tracking's alerts and batch work (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class TrackingErrorCode(StrEnum):
    NOT_ALLOWED = "tracking.not_allowed"
    ALERT_BAD_TRANSITION = "alert.bad_transition"
    ALERT_NOTE_REQUIRED = "alert.note_required"
    BATCH_INVALID = "batch.invalid"
    BATCH_NOT_RETRYABLE = "batch.not_retryable"
    CHECK_BUSY = "alert.check_busy"
