"""Issue, find, use and revoke API tokens: the services behind the command, the admin and auth."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.api.models import PREFIX_LENGTH, ApiToken
from jingzhun.api.scopes import unknown_scopes
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import Institution, User

SECRET_PREFIX = "jz_"  # noqa: S105 - a marker, not a secret
# A token is used many times a minute by a busy integration; recording every use would turn
# each read into a write.
TOUCH_INTERVAL = dt.timedelta(minutes=1)


class ApiTokenErrorCode(StrEnum):
    NO_SCOPES = "api_token.no_scopes"
    UNKNOWN_SCOPE = "api_token.unknown_scope"
    NO_NAME = "api_token.no_name"
    BAD_LIFETIME = "api_token.bad_lifetime"
    NOT_FOUND = "api_token.not_found"


class Rejection(StrEnum):
    UNKNOWN = "unknown"
    REVOKED = "revoked"
    EXPIRED = "expired"
    ISSUER_INACTIVE = "issuer_inactive"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> str:
    """A fresh secret whose prefix no other token has, so the prefix names one token."""
    while True:
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        if not ApiToken.objects.filter(prefix=secret[:PREFIX_LENGTH]).exists():
            return secret


def api_service_user(*, institution: Institution) -> User:
    """The account tokens are issued under when the operator names nobody.

    It has no password and no role, so it cannot log in or see anything in the web console;
    it only gives audit rows of API writes a named actor.
    """
    user, created = User.objects.get_or_create(
        username=f"api-{institution.code}",
        defaults={"display_name": _("API integrations of %(name)s") % {"name": institution}},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _check_request(name: str, scopes: list[str], days: int | None) -> None:
    if not name.strip():
        raise DomainError(ApiTokenErrorCode.NO_NAME, _("Name the integration this token is for."))
    if not scopes:
        raise DomainError(ApiTokenErrorCode.NO_SCOPES, _("A token needs at least one scope."))
    unknown = unknown_scopes(scopes)
    if unknown:
        raise DomainError(
            ApiTokenErrorCode.UNKNOWN_SCOPE,
            _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)},
        )
    if days is not None and days < 1:
        raise DomainError(
            ApiTokenErrorCode.BAD_LIFETIME, _("A token must be valid for at least one day.")
        )


def api_token_create(
    *,
    institution: Institution,
    name: str,
    scopes: Iterable[str],
    created_by: User,
    days: int | None = None,
) -> IssuedToken:
    """Issue a token; the returned secret is the only copy there will ever be."""
    scope_list = sorted(set(scopes))
    _check_request(name, scope_list, days)
    secret = _new_secret()
    token = ApiToken(
        name=name.strip()[:60],
        institution=institution,
        created_by=created_by,
        scopes=scope_list,
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
        expires_at=timezone.now() + dt.timedelta(days=days) if days else None,
    )
    with transaction.atomic():
        token.save()
        audit_log(actor=created_by, action=AuditLog.Action.CREATE, target=token,
                  detail={"via": "api_token", "scopes": scope_list,
                          "expires_at": token.expires_at.isoformat() if token.expires_at else None})  # fmt: skip
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, prefix: str) -> ApiToken:
    """Revoke a token for good; revoking twice is harmless."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(prefix=prefix).first()
        if token is None:
            raise DomainError(
                ApiTokenErrorCode.NOT_FOUND,
                _("No token has the prefix %(prefix)s.") % {"prefix": prefix},
            )
        if not token.revoked:
            token.revoked = True
            token.save(update_fields=["revoked"])
            audit_log(actor=token.created_by, action=AuditLog.Action.UPDATE, target=token,
                      fields=["revoked"], detail={"via": "api_token"})  # fmt: skip
    return token


def api_token_list(*, institution: Institution | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("institution", "created_by")
    if institution is not None:
        tokens = tokens.filter(institution=institution)
    return tokens.order_by("institution__code", "name", "-created_at")


def api_token_for_secret(secret: str) -> ApiToken | None:
    """The token a presented secret belongs to, usable or not (see `rejection`)."""
    if not secret.startswith(SECRET_PREFIX):
        return None  # not ours: spare the database
    return (
        ApiToken.objects.select_related("institution", "created_by")
        .filter(secret_hash=hash_secret(secret))
        .first()
    )


def rejection(token: ApiToken | None, *, now: dt.datetime) -> Rejection | None:
    """Why a token may not be used now, or None when it may."""
    if token is None:
        return Rejection.UNKNOWN
    if token.revoked:
        return Rejection.REVOKED
    if token.is_expired(now):
        return Rejection.EXPIRED
    if not token.created_by.is_active:
        return Rejection.ISSUER_INACTIVE
    return None


def api_token_touch(token: ApiToken, *, now: dt.datetime) -> None:
    """Record use at most once per TOUCH_INTERVAL; the condition makes concurrent calls safe."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)
    token.last_used_at = now
