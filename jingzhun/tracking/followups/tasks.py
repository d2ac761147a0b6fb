"""Background tasks of follow-ups. Arguments are primitives; tasks are idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from jingzhun.tracking.followups.schedule import followups_schedule


@task()
def schedule_followups_task(today: str = "") -> int:
    """Schedule the follow-ups due as of `today` (ISO date; empty: the local today). Running it
    twice adds nothing the second time. Returns how many were added."""
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return followups_schedule(today=day).created
