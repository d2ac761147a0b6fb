"""Department heads (负责人): who an overdue action of a department escalates to. The
employment office names them in the console; without one, all the department's staff are told."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import DepartmentHead
from jingzhun.assistance.services.actions import department_members
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import Department, RoleAssignment, User


@transaction.atomic
def department_head_set(
    *, actor: RoleAssignment, department: Department, user: User | None,
    request: HttpRequest | None = None,
) -> DepartmentHead | None:  # fmt: skip
    """Make `user` — active staff of the department — its head; None: no head (everyone)."""
    permissions.require(permissions.can_manage_catalogue(actor))
    if department.institution_id != permissions.institution_of(actor):
        raise DomainError(AssistanceErrorCode.OUT_OF_SCOPE, _("This department belongs to another college."))  # fmt: skip
    if user is not None and user.pk not in department_members(department.pk):
        # The person is not named: the id came from the form and may be anyone's account.
        raise DomainError(AssistanceErrorCode.BAD_ASSIGNEE, _(
            "Choose a staff member of %(department)s.") % {"department": department})  # fmt: skip
    before = (
        DepartmentHead.objects.select_for_update().filter(department=department)
        .values_list("user_id", flat=True).first()
    )  # fmt: skip
    if user is None:
        DepartmentHead.objects.filter(department=department).delete()
        head = None
    else:
        head, _created = DepartmentHead.objects.update_or_create(
            department=department, defaults={"user": user}
        )
    if before != (user.pk if user else None):
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=department, request=request,
                  role=actor.role, fields=["head"], detail={"from": before, "to": user.pk if user else None})  # fmt: skip
    return head
