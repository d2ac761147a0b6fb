"""Error codes of assistance (the `code` of a DomainError)."""

from __future__ import annotations

from enum import StrEnum


class AssistanceErrorCode(StrEnum):
    NOT_ALLOWED = "assistance.not_allowed"
    OUT_OF_SCOPE = "assistance.out_of_scope"
    PLAN_BAD_TRANSITION = "plan.bad_transition"
    PLAN_REASON_REQUIRED = "plan.reason_required"
    PLAN_EXISTS = "plan.exists"
    PLAN_NOT_EDITABLE = "plan.not_editable"
    PLAN_EMPTY = "plan.empty"
    CASE_NOT_CONFIRMED = "plan.case_not_confirmed"
    ACTION_BAD_TRANSITION = "action.bad_transition"
    ACTION_REASON_REQUIRED = "action.reason_required"
    OUTCOME_REQUIRED = "action.outcome_required"
    NO_DEPARTMENT = "action.no_department"
    BAD_ASSIGNEE = "action.bad_assignee"
    BAD_MEASURE = "measure.invalid"
    BAD_DEADLINE = "playbook.bad_deadline"
    RECORD_INVALID = "record.invalid"
    SUBSIDY_INVALID = "subsidy.invalid"
    SUBSIDY_LOCKED = "subsidy.policy_locked"
    SUBSIDY_CLOSED = "subsidy.closed"
    SUBSIDY_NOT_ELIGIBLE = "subsidy.not_eligible"
    SUBSIDY_DUPLICATE = "subsidy.duplicate"
    SUBSIDY_BAD_TRANSITION = "subsidy.bad_transition"
    SUBSIDY_REASON_REQUIRED = "subsidy.reason_required"
    SUBSIDY_OVER_BUDGET = "subsidy.over_budget"
