"""Record logins, logouts and failed logins in the audit log.

Django's auth signals are the framework's only hook for these events; domain reactions
still go through services.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import signals

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_log(actor=user, action=AuditLog.Action.LOGIN, request=request)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_log(actor=user, action=AuditLog.Action.LOGOUT, request=request)


def _login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    audit_log(
        actor=None,
        action=AuditLog.Action.LOGIN_FAILED,
        request=request,
        detail={"username": str(credentials.get("username", ""))[:150]},
    )


def connect() -> None:
    signals.user_logged_in.connect(_logged_in, dispatch_uid="jingzhun_audit_login")
    signals.user_logged_out.connect(_logged_out, dispatch_uid="jingzhun_audit_logout")
    signals.user_login_failed.connect(_login_failed, dispatch_uid="jingzhun_audit_login_failed")
