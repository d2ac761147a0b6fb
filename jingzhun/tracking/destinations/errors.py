from enum import StrEnum


class DestinationErrorCode(StrEnum):
    NOT_ALLOWED = "destination.not_allowed"
    OUT_OF_SCOPE = "destination.out_of_scope"
    INVALID = "destination.invalid"
    EVIDENCE_MISSING = "destination.evidence_missing"
    DEADLINE_PASSED = "destination.deadline_passed"
    CONTACTS_MISSING = "destination.contacts_missing"
    BAD_TRANSITION = "destination.bad_transition"
    REASON_REQUIRED = "destination.reason_required"
