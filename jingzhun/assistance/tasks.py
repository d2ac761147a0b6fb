"""Background tasks of assistance. Arguments are primitives; tasks are idempotent."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from jingzhun.assistance.services.actions import actions_escalate_overdue, actions_remind_due


@task()
def escalate_overdue_actions_task(today: str = "") -> int:
    """Escalate the actions overdue on `today` (ISO date; empty: the local today). Running it
    twice escalates and notifies each action once."""
    return actions_escalate_overdue(today=dt.date.fromisoformat(today) if today else None)


@task()
def remind_due_actions_task(today: str = "") -> int:
    """Remind each assignee of the actions falling due soon (ISO date; empty: the local
    today). Running it twice the same day tells each person once."""
    return actions_remind_due(today=dt.date.fromisoformat(today) if today else None)
