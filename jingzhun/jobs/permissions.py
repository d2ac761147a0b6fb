"""Who may do what in jobs: one table, read by services, views and navigation."""

from __future__ import annotations

from jingzhun.org.access import holds_role
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role

# The employment office keeps employers and postings; school officers and counsellors read
# postings (to pass them on), leadership reads both.
MANAGERS: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE})
POSTING_READERS: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR, Role.MENTOR, Role.LEADERSHIP}
)
EMPLOYER_READERS: frozenset[str] = frozenset({Role.EMPLOYMENT_OFFICE, Role.LEADERSHIP})
# Targeted pushes: the people who know the student send postings to students in their data
# scope; a mentor only to the students they mentor (their scope, `MentorAssignment`).
PUSHERS: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR, Role.MENTOR}
)
# The push list (who pushed what, and how students answered): the pushers, who see the
# pushes of the students in their scope, and leadership.
PUSH_READERS: frozenset[str] = PUSHERS | {Role.LEADERSHIP}


def can_manage_employers(actor: RoleAssignment | None) -> bool:
    """Vet and blacklist employers, import postings."""
    return holds_role(actor, MANAGERS)


def can_read_employers(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, EMPLOYER_READERS)


def can_read_postings(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, POSTING_READERS)


def can_push(actor: RoleAssignment | None) -> bool:
    """Send postings to students (each student must also be in the actor's data scope)."""
    return holds_role(actor, PUSHERS)


def can_read_pushes(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, PUSH_READERS)


def can_set_push_threshold(actor: RoleAssignment | None) -> bool:
    """Set the institution's own threshold of targeted pushes."""
    return holds_role(actor, MANAGERS)


def can_respond(actor: RoleAssignment | None) -> bool:
    """Answer a push: the student, about their own pushes only (the selector's scope)."""
    return holds_role(actor, frozenset({Role.STUDENT}))
