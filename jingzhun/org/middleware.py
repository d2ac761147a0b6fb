"""Attach the active role assignment (`request.actor`) to each authenticated request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

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


# Paths a user who must change a one-time password may still reach.
_PASSWORD_CHANGE_EXEMPT = ("/password/", "/logout/", "/static/", "/i18n/")


class PasswordChangeRequiredMiddleware:
    """An account created with a one-time password (the staff import) reaches nothing but the
    password change until its owner has chosen a password of their own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(_PASSWORD_CHANGE_EXEMPT)
        ):
            return redirect_to_password_change(request)
        return self.get_response(request)


def redirect_to_password_change(request: HttpRequest) -> HttpResponse:
    target = reverse("password-change")
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)
