"""Error codes of identification (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class IdentificationErrorCode(StrEnum):
    BAD_TRANSITION = "case.bad_transition"
    REASON_REQUIRED = "case.reason_required"
    OUT_OF_SCOPE = "case.out_of_scope"
    NOT_ALLOWED = "identification.not_allowed"
    BAD_RESPONSIBLE = "case.bad_responsible"
    ALREADY_OPEN = "case.already_open"
    NOT_A_STUDENT = "case.not_a_student"
    NOT_ENROLLED = "case.not_enrolled"
    TYPE_REQUIRED = "case.type_required"
    TYPE_NOT_ALLOWED = "case.type_not_allowed"
    REASON_TOO_LONG = "case.reason_too_long"
    BAD_LEVEL = "case.bad_level"
    MODEL_NOT_ALLOWED = "risk_model.not_allowed"
    MODEL_BAD_STATUS = "risk_model.bad_status"
    MODEL_STALE = "risk_model.stale_schema"
    MODEL_NO_DATA = "risk_model.not_enough_data"
    INVALID_RULE = "rule.invalid"
    RULE_SUPERSEDED = "rule.superseded"
    BAD_CAPACITY = "run.bad_capacity"
    BAD_DAYS = "run.bad_days"
    RUN_NOT_RETRYABLE = "run.not_retryable"
