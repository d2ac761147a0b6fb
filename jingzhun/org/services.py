from __future__ import annotations

import secrets
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.bulk import insert_columns
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import DepartmentRoute, Institution, RoleAssignment, User
from jingzhun.org.roles import Role


class OrgErrorCode(StrEnum):
    EXISTS = "org.exists"


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


def institution_setup(
    *, code: str, name: str, office_number: str, office_name: str
) -> tuple[Institution, User, str]:
    """A fresh installation's first step (an operator's command, not a page): the institution
    and its first employment-office account, whose one-time password is returned to be shown
    once. Everything else — schools, majors, classes, staff, students — that account imports
    from its first-run page."""
    if Institution.objects.filter(code=code).exists():
        raise DomainError(
            OrgErrorCode.EXISTS, _("An institution with code %(code)s exists.") % {"code": code}
        )
    if User.objects.filter(username=office_number).exists():
        raise DomainError(
            OrgErrorCode.EXISTS, _("An account %(number)s exists.") % {"number": office_number}
        )
    password = one_time_password()
    with transaction.atomic():
        institution = Institution.objects.create(code=code, name=name)
        user = User.objects.create_user(office_number, password=password, display_name=office_name,
                                        must_change_password=True)  # fmt: skip
        RoleAssignment.objects.create(
            user=user, role=Role.EMPLOYMENT_OFFICE, institution=institution
        )
        audit_log(actor=None, action=AuditLog.Action.CREATE, target=institution,
                  detail={"via": "setup_institution", "office_account": office_number})  # fmt: skip
    return institution, user, password


def one_time_password() -> str:
    """Twelve letters and digits, none that look alike: to be changed at the first login."""
    letters, digits = "abcdefghjkmnpqrstuvwxyz", "23456789"
    return "".join(secrets.choice(letters) for _ in range(8)) + "".join(
        secrets.choice(digits) for _ in range(4)
    )


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


def department_routes_open_many(*, source: str, routes: Iterable[tuple[int, int, int]]) -> int:
    """`department_route_open` for new source items at once: (department id, student id,
    source id) each, none routed before (a set-based write has just created them). Inside the
    caller's transaction."""
    columns: dict[str, list[int]] = {"department_id": [], "student_id": [], "source_id": []}
    for department_id, student_id, source_id in routes:
        columns["department_id"].append(department_id)
        columns["student_id"].append(student_id)
        columns["source_id"].append(source_id)
    if not columns["source_id"]:
        return 0
    return insert_columns(DepartmentRoute, columns, constants={"source": source, "is_open": True})


def department_route_close(*, source: str, source_id: int) -> int:
    """Close the routes of one source item (the action is done or withdrawn)."""
    return DepartmentRoute.objects.filter(source=source, source_id=source_id, is_open=True).update(
        is_open=False
    )
