"""Who may do what with behaviour data: one table, read by services, views and navigation.

Campus-card spending is family-finance data and the event lake is institution-wide, so only
the employment office of an institution computes snapshots, sees their hidden-hardship models
and pushes event batches (an API token acts as its institution's employment office).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.behaviour.errors import BehaviourErrorCode
from jingzhun.core.errors import DomainError
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role

MANAGE_ROLES: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE})


def _office(actor: RoleAssignment | None) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role in MANAGE_ROLES
        and actor.institution_id is not None
    )


def can_manage_behaviour(actor: RoleAssignment | None) -> bool:
    """Compute behaviour snapshots and see them with their hidden-hardship models."""
    return _office(actor)


def can_import_events(actor: RoleAssignment | None) -> bool:
    """Add campus-system events (card, library, job platform, dorm) to the event lake."""
    return _office(actor)


def require(allowed: bool) -> None:
    """Raise the app's not-allowed DomainError unless `allowed`."""
    if not allowed:
        raise DomainError(
            BehaviourErrorCode.NOT_ALLOWED, _("Your role may not manage campus behaviour data.")
        )


def require_institution(actor: RoleAssignment, institution_id: int) -> None:
    """The actor acts for `institution_id` only (a snapshot is one institution's)."""
    if actor.institution_id != institution_id:
        raise DomainError(
            BehaviourErrorCode.OUT_OF_SCOPE, _("This institution is outside your data scope.")
        )
