"""What later stages ask to be told when a case closes (exited or dismissed).

Identification never imports a later stage; a later stage registers a function here from its
AppConfig.ready() (assistance withdraws the case's open actions). The functions run inside the
transaction that closes the case, so the case and what follows from it commit together.
"""

from __future__ import annotations

from collections.abc import Callable

from jingzhun.org.models import User

# Called as hook(case_id=..., by=...); what it returns is ignored.
CaseClosedHook = Callable[..., object]

_ON_CLOSED: dict[str, CaseClosedHook] = {}


def on_case_closed(name: str, hook: CaseClosedHook) -> None:
    """Register `hook` under `name` (registering the same name again replaces it)."""
    _ON_CLOSED[name] = hook


def case_closed(*, case_id: int, by: User | None) -> None:
    for hook in _ON_CLOSED.values():
        hook(case_id=case_id, by=by)
