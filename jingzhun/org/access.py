"""View-side gates: which roles may open a page. Row scope stays in the selectors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Sensitivity, field_access


def holds_role(actor: RoleAssignment | None, roles: Iterable[str]) -> bool:
    """The actor is an active assignment of one of `roles` within an institution: the check
    every stage's permission table starts from."""
    return (
        actor is not None
        and actor.is_active
        and actor.role in roles
        and actor.institution_id is not None
    )


def actor_of(request: HttpRequest) -> RoleAssignment | None:
    return getattr(request, "actor", None)


def can_open(actor: RoleAssignment | None, sensitivity: Sensitivity | None) -> bool:
    if sensitivity is None:
        return actor is not None
    if actor is None:
        return False
    return sensitivity in field_access(actor.role, actor.department_kind)


class RoleRequiredMixin(LoginRequiredMixin):
    """Deny (403) unless the active role passes `allows` (by default: one of `allowed_roles`)."""

    allowed_roles: Iterable[str] = ()

    def allows(self, actor: RoleAssignment) -> bool:
        return actor.role in set(self.allowed_roles)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        actor = actor_of(request)
        if actor is None or not self.allows(actor):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @property
    def actor(self) -> RoleAssignment:
        """The active role assignment; `dispatch` has already refused requests without one."""
        actor = actor_of(self.request)  # type: ignore[attr-defined]
        assert actor is not None
        return actor
