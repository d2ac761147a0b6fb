from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.org.models import DepartmentRoute, RoleAssignment, User


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


def password_changed(*, user: Any, request: HttpRequest | None = None) -> None:
    """The user chose their own password: a one-time one no longer holds them back."""
    if getattr(user, "must_change_password", False):
        User.objects.filter(pk=user.pk).update(must_change_password=False)
        user.must_change_password = False
    audit_log(actor=user, action=AuditLog.Action.UPDATE, target=user, request=request,
              detail={"password": "changed"})  # fmt: skip


def department_route_open(
    *, department_id: int, student_id: int, source: str, source_id: int
) -> DepartmentRoute:
    """Route something of a later stage to a department (idempotent by source). Called by the
    later stage's own service, inside its transaction; that service checks its actor."""
    route, _created = DepartmentRoute.objects.update_or_create(
        department_id=department_id, source=source, source_id=source_id,
        defaults={"student_id": student_id, "is_open": True},
    )  # fmt: skip
    return route


def department_route_close(*, source: str, source_id: int) -> int:
    """Close the routes of one source item (the action is done or withdrawn)."""
    return DepartmentRoute.objects.filter(source=source, source_id=source_id, is_open=True).update(
        is_open=False
    )
