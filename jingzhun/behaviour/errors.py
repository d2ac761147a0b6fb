"""Error codes of the behaviour stage (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class BehaviourErrorCode(StrEnum):
    NOT_ALLOWED = "behaviour.not_allowed"
    OUT_OF_SCOPE = "behaviour.out_of_scope"
    NO_EVENTS = "behaviour.no_events"
    NOT_RETRYABLE = "behaviour.not_retryable"
