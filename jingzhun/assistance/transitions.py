"""Status tables of plans and actions for `jingzhun.core.status.move`.

Plans go through approval in strict order: a draft is submitted, the school approves it (or
returns it with a reason, back to draft), then the student acknowledges it. Its owner may
reopen an approved plan for revision (with a reason); it then goes through the same steps. Actions are
待办 → 进行中 → 已完成 / 已取消 / 无法完成; a closed action stays closed.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.core.status import TransitionTable

PLAN_TABLE = TransitionTable(
    allowed={
        "draft": frozenset({"submitted"}),
        "submitted": frozenset({"approved", "draft"}),
        "approved": frozenset({"acknowledged", "draft"}),
        "acknowledged": frozenset({"draft"}),
    },
    needs_reason=frozenset({"draft"}),  # reached by a return or a revision, each with its reason
    labels={
        "draft": _("Draft"),
        "submitted": _("Submitted for approval"),
        "approved": _("Approved"),
        "acknowledged": _("Acknowledged by the student"),
    },
    bad_transition_code=AssistanceErrorCode.PLAN_BAD_TRANSITION,
    reason_required_code=AssistanceErrorCode.PLAN_REASON_REQUIRED,
    bad_transition_message=_("A plan that is %(current)s cannot become %(target)s."),
)

ACTION_OPEN = frozenset({"todo", "doing"})
ACTION_CLOSED = frozenset({"done", "cancelled", "failed"})
# The outcomes each way of closing may carry: "done" is a student helped, and a helped
# student is never an action that failed or was cancelled (assessment counts both).
ACTION_OUTCOMES: dict[str, tuple[str, ...]] = {
    "done": ("helped",),
    "failed": ("declined", "unreachable"),
    "cancelled": ("not_needed", "declined", "unreachable"),
}

ACTION_TABLE = TransitionTable(
    allowed={
        "todo": frozenset({"doing", "done", "cancelled", "failed"}),
        "doing": frozenset({"done", "cancelled", "failed"}),
        "done": frozenset(),
        "cancelled": frozenset(),
        "failed": frozenset(),
    },
    needs_reason=ACTION_CLOSED,
    labels={
        "todo": _("Not started"),
        "doing": _("In progress"),
        "done": _("Done"),
        "cancelled": _("Cancelled"),
        "failed": _("Could not be done"),
    },
    bad_transition_code=AssistanceErrorCode.ACTION_BAD_TRANSITION,
    reason_required_code=AssistanceErrorCode.ACTION_REASON_REQUIRED,
    bad_transition_message=_("An action that is %(current)s cannot become %(target)s."),
)

# Subsidy applications: each approval in strict order (school → employment office →
# finance), then payment. Any approver may return an application (to the applicant, who
# resubmits it) or reject it, each with a reason; a paid or rejected one stays so.
SUBSIDY_STEPS = ("school_approved", "office_approved", "finance_approved", "paid")
SUBSIDY_COMMITTED = frozenset({"school_approved", "office_approved", "finance_approved"})
SUBSIDY_WAITING = frozenset({"submitted", *SUBSIDY_COMMITTED})

SUBSIDY_TABLE = TransitionTable(
    allowed={
        "submitted": frozenset({"school_approved", "returned", "rejected"}),
        "school_approved": frozenset({"office_approved", "returned", "rejected"}),
        "office_approved": frozenset({"finance_approved", "returned", "rejected"}),
        "finance_approved": frozenset({"paid", "rejected"}),
        "paid": frozenset(),
        "returned": frozenset({"submitted"}),
        "rejected": frozenset(),
    },
    needs_reason=frozenset({"returned", "rejected"}),
    labels={
        "submitted": _("Submitted"),
        "school_approved": _("Approved by the school"),
        "office_approved": _("Approved by the employment office"),
        "finance_approved": _("Approved by finance"),
        "paid": _("Paid"),
        "returned": _("Returned for changes"),
        "rejected": _("Rejected"),
    },
    bad_transition_code=AssistanceErrorCode.SUBSIDY_BAD_TRANSITION,
    reason_required_code=AssistanceErrorCode.SUBSIDY_REASON_REQUIRED,
    bad_transition_message=_("An application that is %(current)s cannot become %(target)s."),
)
