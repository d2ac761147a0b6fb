"""Error codes of identification (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class IdentificationErrorCode(StrEnum):
    BAD_TRANSITION = "case.bad_transition"
    REASON_REQUIRED = "case.reason_required"
    OUT_OF_SCOPE = "case.out_of_scope"
    ALREADY_OPEN = "case.already_open"
    MODEL_NOT_ALLOWED = "risk_model.not_allowed"
    MODEL_BAD_STATUS = "risk_model.bad_status"
    MODEL_STALE = "risk_model.stale_schema"
    MODEL_NO_DATA = "risk_model.not_enough_data"
    INVALID_RULE = "rule.invalid"
    RULE_SUPERSEDED = "rule.superseded"
    BAD_CAPACITY = "run.bad_capacity"
    NO_EVENTS = "behaviour.no_events"
