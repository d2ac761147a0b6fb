"""Write audit entries. Views of sensitive fields and every audited write call `audit_log`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.http import HttpRequest

from jingzhun.core.models import AuditLog


def client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR; the proxy's forwarded address only when the deployment says to trust it."""
    if request is None:
        return None
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_log(
    *,
    actor: Any,
    action: AuditLog.Action,
    target: models.Model | None = None,
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
    role: str = "",
) -> AuditLog:
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditLog.objects.create(
        actor=actor if is_user else None,
        actor_name=(actor.get_username() if is_user else "")[:150],
        actor_role=role or (getattr(request, "active_role", "") if request is not None else ""),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        fields=sorted(fields),
        detail=detail or {},
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )
