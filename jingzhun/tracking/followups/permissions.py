"""Who follows graduates up and who hands them over: one table, read by services, views and
navigation. Rows come from the data scope (`student_queryset`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.org.access import holds_role
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.tracking.followups.errors import TrackingErrorCode

# Counsellors call their own graduates; school officers and the employment office stand in.
FOLLOWUP_ROLES: frozenset[str] = frozenset(
    {Role.COUNSELLOR, Role.SCHOOL_OFFICER, Role.EMPLOYMENT_OFFICE, Role.MENTOR}
)
FOLLOWUP_READERS: frozenset[str] = FOLLOWUP_ROLES | {Role.LEADERSHIP}
# The employment office alone hands graduates over (and so alone exports full identifiers).
HANDOVER_ROLES: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE})
HANDOVER_READERS: frozenset[str] = HANDOVER_ROLES | {Role.LEADERSHIP}


def can_follow_up(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, FOLLOWUP_ROLES)


def can_read_followups(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, FOLLOWUP_READERS)


def can_hand_over(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, HANDOVER_ROLES)


def can_read_handovers(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, HANDOVER_READERS)


def can_answer(actor: RoleAssignment | None) -> bool:
    """A student answers their own follow-up in the portal."""
    return actor is not None and actor.is_active and actor.role == Role.STUDENT


def require(allowed: bool, *, code: str = TrackingErrorCode.NOT_ALLOWED) -> None:
    if not allowed:
        raise DomainError(code, _("Your role may not do this."))
