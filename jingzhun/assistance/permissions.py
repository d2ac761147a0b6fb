"""Who may do what in assistance: one table, read by services, views and navigation.

Rows are checked by the services: the responsible person's own cases, the school officer's
own school, the department's own actions, the student's own plan.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.core.errors import DomainError
from jingzhun.identification.permissions import RESPONSIBLE_ROLES
from jingzhun.org.access import holds_role
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role

# Who drafts, edits and submits plans (for the cases they are responsible for).
PLAN_ROLES: frozenset[str] = RESPONSIBLE_ROLES
# Who reads plans and actions across the institution.
OVERSIGHT_ROLES: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE, Role.LEADERSHIP})


def can_manage_catalogue(actor: RoleAssignment | None) -> bool:
    """Edit measures and playbooks."""
    return holds_role(actor, frozenset({Role.EMPLOYMENT_OFFICE}))


def can_plan(actor: RoleAssignment | None) -> bool:
    """Draft, edit and submit plans — of the cases the actor is responsible for."""
    return holds_role(actor, PLAN_ROLES)


def can_approve(actor: RoleAssignment | None) -> bool:
    """Approve or return plans of the actor's own school."""
    return (
        holds_role(actor, frozenset({Role.SCHOOL_OFFICER}))
        and actor is not None
        and bool(actor.school_id)
    )


def can_acknowledge(actor: RoleAssignment | None) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role == Role.STUDENT
        and actor.data_scope == DataScope.SELF
    )


# Who works the actions routed to their department: its staff, and the employment office's
# own people for the measures it owns (guidance, job pushes, traineeships …).
WORKER_ROLES: frozenset[str] = frozenset({Role.DEPARTMENT_STAFF, Role.EMPLOYMENT_OFFICE})


def can_work_actions(actor: RoleAssignment | None) -> bool:
    """Start, close and reassign the actions routed to the actor's department."""
    return holds_role(actor, WORKER_ROLES) and actor is not None and bool(actor.department_id)


def department_only(actor: RoleAssignment | None) -> bool:
    """Department staff read assistance through their department's actions only."""
    return can_work_actions(actor) and actor is not None and actor.role == Role.DEPARTMENT_STAFF


def require(allowed: bool, *, message: str | None = None) -> None:
    if not allowed:
        raise DomainError(
            AssistanceErrorCode.NOT_ALLOWED,
            message or _("Your role may not do this in assistance."),
        )


def institution_of(actor: RoleAssignment) -> int:
    """The actor's institution; a role without one does nothing in assistance."""
    if actor.institution_id is None:
        raise DomainError(
            AssistanceErrorCode.OUT_OF_SCOPE, _("This role belongs to no institution.")
        )
    return actor.institution_id


def can_write_records(actor: RoleAssignment | None) -> bool:
    """Roles that may add records at all: action workers and case owners (the rows — the
    action's assignee, the case's responsible person — are checked by `record_add`)."""
    return can_work_actions(actor) or can_plan(actor)


def can_write_counselling(actor: RoleAssignment | None) -> bool:
    """Counselling records are written by the psychological centre only."""
    return (
        holds_role(actor, frozenset({Role.DEPARTMENT_STAFF}))
        and actor is not None
        and actor.department_kind == DepartmentKind.PSYCH
    )


# Subsidies: the employment office keeps the policies; each approval step has its role. The
# finance step is the student financial aid centre's (资助中心, which pays subsidies in the
# colleges this is built for): its staff approve and record payment.
SUBSIDY_STEP_ROLES: dict[str, str] = {
    "school_approved": Role.SCHOOL_OFFICER,
    "office_approved": Role.EMPLOYMENT_OFFICE,
    "finance_approved": Role.DEPARTMENT_STAFF,
    "paid": Role.DEPARTMENT_STAFF,
}
# The step whose approver decides (returns, rejects) an application in each status.
SUBSIDY_DECIDER_STEP: dict[str, str] = {
    "submitted": "school_approved",
    "school_approved": "office_approved",
    "office_approved": "finance_approved",
    "finance_approved": "paid",
}


def can_manage_subsidies(actor: RoleAssignment | None) -> bool:
    """Edit subsidy policies."""
    return holds_role(actor, frozenset({Role.EMPLOYMENT_OFFICE}))


def is_finance(actor: RoleAssignment | None) -> bool:
    return (
        holds_role(actor, frozenset({Role.DEPARTMENT_STAFF}))
        and actor is not None
        and actor.department_kind == DepartmentKind.AID
    )


def can_subsidy_step(actor: RoleAssignment | None, step: str) -> bool:
    """May the actor take approval step `step` (a target status) at all? The school's own
    students are checked by the service."""
    if step == "school_approved":
        return can_approve(actor)
    if step == "office_approved":
        return holds_role(actor, frozenset({Role.EMPLOYMENT_OFFICE}))
    if step in ("finance_approved", "paid"):
        return is_finance(actor)
    return False


def can_decide_subsidies(actor: RoleAssignment | None) -> bool:
    """Works one of the approval queues."""
    return any(can_subsidy_step(actor, step) for step in SUBSIDY_STEP_ROLES)


def can_apply_for(actor: RoleAssignment | None) -> bool:
    """Staff who may apply for a student in their scope (the student applies in the portal)."""
    return can_plan(actor)


def can_read_subsidies(actor: RoleAssignment | None) -> bool:
    return (
        can_decide_subsidies(actor)
        or can_apply_for(actor)
        or holds_role(actor, frozenset({Role.LEADERSHIP}))
    )


def can_export_subsidies(actor: RoleAssignment | None) -> bool:
    """The payment list for finance: the aid centre and the employment office."""
    return is_finance(actor) or can_manage_subsidies(actor)
