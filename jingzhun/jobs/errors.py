"""Error codes of jobs (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class JobsErrorCode(StrEnum):
    NOT_ALLOWED = "jobs.not_allowed"
    REASON_REQUIRED = "employer.reason_required"
    BAD_VETTING = "employer.bad_vetting"
