"""Who may do what with destinations: one table, read by services, views and navigation.

The student registers their own; counsellors, school officers and the employment office
register for students in their scope; the school officer verifies their school's first, the
employment office second. Row scope is the registry's data scope (`student_queryset`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.org.access import holds_role
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, Role
from jingzhun.tracking.destinations.errors import DestinationErrorCode

STAFF_REGISTER_ROLES = frozenset({Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR})
READER_ROLES = STAFF_REGISTER_ROLES | {Role.LEADERSHIP}


def can_read(actor: RoleAssignment | None) -> bool:
    """Staff who read destinations, the queue, the checks and the rates (in their scope)."""
    return holds_role(actor, READER_ROLES)


def can_register_for_students(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, STAFF_REGISTER_ROLES)


def is_student(actor: RoleAssignment | None) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role == Role.STUDENT
        and actor.data_scope == DataScope.SELF
    )


def can_verify_school(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, frozenset({Role.SCHOOL_OFFICER})) and bool(actor and actor.school_id)


def can_verify_office(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, frozenset({Role.EMPLOYMENT_OFFICE}))


def can_verify(actor: RoleAssignment | None) -> bool:
    return can_verify_school(actor) or can_verify_office(actor)


def require(allowed: bool, *, message: str | None = None) -> None:
    if not allowed:
        raise DomainError(
            DestinationErrorCode.NOT_ALLOWED,
            message or _("Your role may not do this with destinations."),
        )
