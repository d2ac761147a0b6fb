"""The known kinds of notification, each with the label the list shows.

A kind is a short code named after the app that sends it (`assistance.action_overdue`). Each app
declares its kinds from its `AppConfig.ready`, like `jingzhun.core.jobs.register`:

    from jingzhun.notifications import kinds
    kinds.register("assistance.action_overdue", _("Action overdue"))

`notify` refuses a kind nobody declared, so a typo fails the sender's tests rather than
producing notifications nobody can label.
"""

from __future__ import annotations

from typing import Any

TEST = "notifications.test"

_KINDS: dict[str, Any] = {}


def register(code: str, label: Any) -> None:
    """Declare a kind; `label` is a lazy translation (shown in the reader's language)."""
    if not code or len(code) > 60:
        raise ValueError(f"a notification kind is a code of 1 to 60 characters, not {code!r}")
    _KINDS[code] = label


def is_known(code: str) -> bool:
    return code in _KINDS


def label(code: str) -> str:
    """The kind's label, or the code itself for a kind no longer declared (old rows)."""
    return str(_KINDS.get(code, code))
