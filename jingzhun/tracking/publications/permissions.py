"""Who may do what with publications and satisfaction: read by services, views and the menu.

(Kept beside its area rather than in a tracking-wide `permissions.py`, which other areas of
tracking are writing at the same time; the functions have the shape ADR 0005 asks for.)
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import DataScope, Role
from jingzhun.tracking.publications.errors import PublicationErrorCode

# Who reads what students rated and wrote (aggregates and feedback) across the institution.
SATISFACTION_READERS = frozenset({Role.EMPLOYMENT_OFFICE, Role.LEADERSHIP, Role.ASSESSMENT_OFFICE})


def _in_institution(actor: RoleAssignment | None) -> bool:
    return actor is not None and actor.is_active and actor.institution_id is not None


def can_publish(actor: RoleAssignment | None) -> bool:
    """Write, edit, publish and withdraw the institution's policies and procedures."""
    return _in_institution(actor) and actor is not None and actor.role == Role.EMPLOYMENT_OFFICE


def is_student(actor: RoleAssignment | None) -> bool:
    """A student acting for themself (reads, rates, gives feedback)."""
    return (
        _in_institution(actor)
        and actor is not None
        and actor.role == Role.STUDENT
        and actor.data_scope == DataScope.SELF
    )


def can_read_satisfaction(actor: RoleAssignment | None) -> bool:
    return _in_institution(actor) and actor is not None and actor.role in SATISFACTION_READERS


def can_handle_feedback(actor: RoleAssignment | None) -> bool:
    return can_publish(actor)


def require(allowed: bool) -> None:
    if not allowed:
        raise DomainError(PublicationErrorCode.NOT_ALLOWED, _("Your role may not do this here."))
