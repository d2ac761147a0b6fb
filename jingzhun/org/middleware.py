"""Attach the active role assignment (`request.actor`) to each authenticated request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from jingzhun.org.selectors import role_assignment_list_for_user

ACTIVE_ROLE_SESSION_KEY = "jingzhun_active_role"


class ActiveRoleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        request.role_assignments = []  # type: ignore[attr-defined]
        request.active_role = ""  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            assignments = role_assignment_list_for_user(user=request.user)
            chosen = request.session.get(ACTIVE_ROLE_SESSION_KEY)
            actor = next((a for a in assignments if a.pk == chosen), None)
            if actor is None and assignments:
                actor = assignments[0]
            request.actor = actor  # type: ignore[attr-defined]
            request.role_assignments = assignments  # type: ignore[attr-defined]
            request.active_role = actor.role if actor else ""  # type: ignore[attr-defined]
        return self.get_response(request)
