"""Who may do what with alerts and batch work: one table, read by services, views and menu.

Rows are always the actor's data scope (`students.selectors.student_queryset`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.org.access import holds_role
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.tracking.alerts.errors import TrackingErrorCode

# Who reads the alerts of the students in their scope, and acknowledges or closes them.
ALERT_ROLES: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR, Role.MENTOR, Role.LEADERSHIP}
)
# Who runs batch operations over the students in their scope.
BATCH_ROLES: frozenset[str] = frozenset(
    {Role.EMPLOYMENT_OFFICE, Role.SCHOOL_OFFICER, Role.COUNSELLOR}
)


def can_read_alerts(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, ALERT_ROLES)


def can_handle_alerts(actor: RoleAssignment | None) -> bool:
    """Acknowledge and close: everyone who reads them but leadership (which oversees)."""
    return holds_role(actor, ALERT_ROLES - {Role.LEADERSHIP})


def can_run_checks(actor: RoleAssignment | None) -> bool:
    """Start today's checks from the page (the cron command needs no actor)."""
    return holds_role(actor, frozenset({Role.EMPLOYMENT_OFFICE}))


def can_batch(actor: RoleAssignment | None) -> bool:
    return holds_role(actor, BATCH_ROLES)


def require(allowed: bool) -> None:
    if not allowed:
        raise DomainError(TrackingErrorCode.NOT_ALLOWED, _("Your role may not do this."))
