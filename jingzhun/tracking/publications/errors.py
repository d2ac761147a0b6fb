"""Error codes of publications and satisfaction (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class PublicationErrorCode(StrEnum):
    NOT_ALLOWED = "publication.not_allowed"
    BAD_TRANSITION = "publication.bad_transition"
    INVALID = "publication.invalid"
    RATING_NOT_RATABLE = "rating.not_ratable"
    RATING_CLOSED = "rating.closed"
    RATING_INVALID = "rating.invalid"
    FEEDBACK_INVALID = "feedback.invalid"
