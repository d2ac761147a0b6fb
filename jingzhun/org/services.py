from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment


def role_switch(
    *, acting_user: Any, assignment_id: str, request: HttpRequest | None = None
) -> RoleAssignment:
    """Make one of the user's own role assignments the active one."""
    try:
        assignment = RoleAssignment.objects.get(
            pk=int(assignment_id), user=acting_user, is_active=True
        )
    except (ValueError, RoleAssignment.DoesNotExist) as exc:
        raise PermissionDenied from exc
    audit_log(
        actor=acting_user,
        action=AuditLog.Action.SWITCH_ROLE,
        target=assignment,
        request=request,
        role=assignment.role,
    )
    return assignment
