"""Write audit entries. Views of sensitive fields and every audited write call `audit_log`."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import HttpRequest

from jingzhun.core.bulk import insert_columns
from jingzhun.core.models import AuditLog


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: `TRUSTED_PROXY_COUNT` entries from the right of X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so the entry written
    by the outermost one is `count` from the right; entries further left come from the client
    and could be anything. Without proxies (0), with a shorter header or with an entry that
    is no IP address, the address of the connection (REMOTE_ADDR) is the client. The login
    lockout (django-axes) uses this function too, so both count the same address.
    """
    if request is None:
        return None
    from django.conf import settings

    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


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


@dataclass(frozen=True)
class AuditEntry:
    """One row of `audit_log_many`: the target as its label, id and text."""

    object_type: str
    object_id: int | str
    object_repr: str
    detail: dict[str, Any] = field(default_factory=dict)


def audit_log_many(
    *,
    actor: Any,
    action: AuditLog.Action,
    entries: Iterable[AuditEntry],
    fields: Iterable[str] = (),
    request: HttpRequest | None = None,
    role: str = "",
) -> int:
    """`audit_log` for a set-based write: the same row per target, inserted in batches.

    Runs inside the caller's transaction (the batches are not atomic alone)."""
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    columns: dict[str, list[Any]] = {
        "object_type": [],
        "object_id": [],
        "object_repr": [],
        "detail": [],
    }
    for e in entries:
        columns["object_type"].append(e.object_type)
        columns["object_id"].append(str(e.object_id))
        columns["object_repr"].append(e.object_repr[:200])
        columns["detail"].append(json.dumps(e.detail))
    if not columns["object_id"]:
        return 0
    shared = {
        "actor_id": actor.pk if is_user else None,
        "actor_name": (actor.get_username() if is_user else "")[:150],
        "actor_role": role or (getattr(request, "active_role", "") if request is not None else ""),
        "action": str(action),
        "fields": json.dumps(sorted(fields)),
        "ip_address": client_ip(request),
        "user_agent": (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[
            :300
        ],
    }
    return insert_columns(AuditLog, columns, constants=shared)
