"""Bearer-token authentication, scope checks, and the actor the registry services expect.

The registry's services and selectors decide rows by a `RoleAssignment`. A token is not a
person's role, so each request builds an unsaved assignment with institution-wide scope of
the token's institution; the token's scopes are the real gate and are checked first.

"First" is literal: ninja authenticates before it reads path, query or body, so every
operation names its scope in its `auth` (`ApiTokenAuth(scope=...)`). A token without the
scope gets its 403 before any 400, 404, 415 or 422 could tell it about the request or the data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from jingzhun.api.bodies import require_json
from jingzhun.api.models import ApiToken
from jingzhun.api.tokens import Rejection, api_token_for_secret, api_token_touch, rejection
from jingzhun.org.models import Department, RoleAssignment
from jingzhun.org.roles import DataScope, DepartmentKind, Role
from jingzhun.students.intake.permissions import can_import


class TokenRejected(AuthenticationError):
    """401 with a message saying why the presented token cannot be used."""

    def __init__(self, message: str) -> None:
        super().__init__(status_code=401, message=message)


class ScopeMissing(HttpError):
    """403 naming the scope the token would need."""

    def __init__(self, scope: str) -> None:
        super().__init__(
            status_code=403,
            message=_("This token does not have the scope %(scope)s.") % {"scope": scope},
        )
        self.scope = scope


def _rejection_message(reason: Rejection) -> str:
    return {
        Rejection.UNKNOWN: _("Invalid token."),
        Rejection.REVOKED: _("This token has been revoked."),
        Rejection.EXPIRED: _("This token has expired."),
        Rejection.ISSUER_INACTIVE: _("The account that issued this token is disabled."),
    }[reason]


# The scope an operation needs, from the token and the path parameters (the record kind).
ScopeRule = Callable[[ApiToken, Mapping[str, Any]], str]


class ApiTokenAuth(HttpBearer):
    """A usable token (401), then the operation's scope (403), then a JSON media type (415).

    Without a scope it only authenticates (the API-wide default, for operations that check
    nothing else).
    """

    def __init__(self, scope: str | ScopeRule | None = None, *, json_body: bool = False) -> None:
        super().__init__()
        self.scope = scope
        self.json_body = json_body

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = api_token_for_secret(token)
        now = timezone.now()
        reason = rejection(found, now=now)
        if reason is not None:
            raise TokenRejected(_rejection_message(reason))
        assert found is not None
        api_token_touch(found, now=now)
        if self.scope is not None:
            require_scope(found, self._required_scope(found, request))
        if self.json_body:
            require_json(request)
        return found

    def _required_scope(self, token: ApiToken, request: HttpRequest) -> str:
        if isinstance(self.scope, str):
            return self.scope
        assert self.scope is not None
        match = request.resolver_match
        return self.scope(token, match.kwargs if match is not None else {})


def token_of(request: HttpRequest) -> ApiToken:
    """The authenticated token (every operation requires one)."""
    return cast(ApiToken, request.auth)  # type: ignore[attr-defined]


def require_scope(token: ApiToken, scope: str) -> None:
    if not token.has_scope(scope):
        raise ScopeMissing(scope)


def family_scope(
    param: str,
    names: Iterable[str],
    scope_of: Callable[[str], str],
    not_found: Callable[[str], str],
) -> ScopeRule:
    """The scope of the name in path parameter `param` (a record kind, an event source).

    A name that is not one of `names` needs a scope no token has, so a token is told it lacks
    that scope (403), unless it holds the scope of some other name: it may use this family of
    endpoints, and learns only that the name is wrong (404; the names are in the docs).
    """
    known = frozenset(names)

    def scope(token: ApiToken, path: Mapping[str, Any]) -> str:
        name = str(path.get(param, ""))
        if name not in known and any(token.has_scope(scope_of(other)) for other in known):
            raise HttpError(404, not_found(name))
        return scope_of(name)

    return scope


def actor_for(token: ApiToken, kind: str = "students") -> RoleAssignment:
    """An unsaved institution-wide assignment that may import `kind`.

    The employment office imports every kind except psychological screenings, which only the
    mental-health centre may import; for such kinds the department that may is used instead.
    """
    base = {
        "user": token.created_by,
        "data_scope": DataScope.INSTITUTION,
        "institution": token.institution,
    }
    office = RoleAssignment(role=Role.EMPLOYMENT_OFFICE, **base)
    if can_import(office, kind):
        return office
    for department_kind in DepartmentKind.values:
        department = Department(institution=token.institution, kind=department_kind)
        staff = RoleAssignment(role=Role.DEPARTMENT_STAFF, department=department, **base)
        if can_import(staff, kind):
            return staff
    return office
