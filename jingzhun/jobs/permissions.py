"""Who may do what in jobs: one table, read by services, views and navigation."""

from __future__ import annotations

from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role

# The employment office keeps employers and postings; school officers and counsellors read
# postings (to pass them on), leadership reads both.
MANAGERS: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE})
POSTING_READERS: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR, Role.MENTOR, Role.LEADERSHIP}
)
EMPLOYER_READERS: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE, Role.LEADERSHIP})


def _role_in(actor: RoleAssignment | None, roles: frozenset[str]) -> bool:
    return (
        actor is not None
        and actor.is_active
        and actor.role in roles
        and actor.institution_id is not None
    )


def can_manage_employers(actor: RoleAssignment | None) -> bool:
    """Vet and blacklist employers, import postings."""
    return _role_in(actor, MANAGERS)


def can_read_employers(actor: RoleAssignment | None) -> bool:
    return _role_in(actor, EMPLOYER_READERS)


def can_read_postings(actor: RoleAssignment | None) -> bool:
    return _role_in(actor, POSTING_READERS)
