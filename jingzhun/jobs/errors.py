"""Error codes of jobs (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class JobsErrorCode(StrEnum):
    NOT_ALLOWED = "jobs.not_allowed"
    REASON_REQUIRED = "employer.reason_required"
    BAD_VETTING = "employer.bad_vetting"
    PUSH_DUPLICATE = "push.duplicate"
    PUSH_NOT_OFFERABLE = "push.not_offerable"
    PUSH_OUT_OF_SCOPE = "push.out_of_scope"
    PUSH_NOTHING = "push.nothing_chosen"
    PUSH_TOO_MANY = "push.too_many"
    PUSH_BAD_RESPONSE = "push.bad_response"
    PUSH_REASON_REQUIRED = "push.reason_required"
    PUSH_BAD_THRESHOLD = "push.bad_threshold"
