"""Who may do what in identification: one table, read by services, views and navigation.

Rows (which students) are the data scope of the role assignment, applied by the selectors
and checked again by the services; this table only answers "may this role do this at all".
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role

# The employment office configures identification and runs it for the institution.
RUN_ROLES: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE})
# Reviewers decide on candidates (and on proposed exits) of their own students.
REVIEW_ROLES: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR}
)
# Who may be made responsible for a confirmed case (帮扶责任人), besides the class counsellor.
RESPONSIBLE_ROLES: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR, Role.MENTOR}
)


def _role_in(actor: RoleAssignment | None, roles: frozenset[str]) -> bool:
    return actor is not None and actor.is_active and actor.role in roles


def can_run(actor: RoleAssignment | None) -> bool:
    """Start identification runs and set the per-term schedule."""
    return _role_in(actor, RUN_ROLES) and actor is not None and actor.institution_id is not None


def can_edit_rules(actor: RoleAssignment | None) -> bool:
    return can_run(actor)


def can_train_model(actor: RoleAssignment | None) -> bool:
    return can_run(actor)


def can_approve_model(actor: RoleAssignment | None) -> bool:
    return can_run(actor)


def can_review(actor: RoleAssignment | None) -> bool:
    """Confirm, dismiss, add manually, bulk-decide — always within the actor's data scope."""
    return _role_in(actor, REVIEW_ROLES)


def can_exit(actor: RoleAssignment | None) -> bool:
    return can_review(actor)


def can_start_assistance(actor: RoleAssignment | None) -> bool:
    """Move a confirmed case into assistance (the assistance stage pulls through this)."""
    return can_review(actor)


def institution_of(actor: RoleAssignment) -> int:
    """The actor's institution; a role without one may do nothing institution-wide."""
    if actor.institution_id is None:
        raise DomainError(
            IdentificationErrorCode.OUT_OF_SCOPE, _("This role belongs to no institution.")
        )
    return actor.institution_id


def require(allowed: bool, *, message: str | None = None) -> None:
    """Raise the app's not-allowed DomainError unless `allowed`."""
    if not allowed:
        raise DomainError(
            IdentificationErrorCode.NOT_ALLOWED,
            message or _("Your role may not do this in identification."),
        )
