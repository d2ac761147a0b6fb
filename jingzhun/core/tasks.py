"""Background tasks of the shared kernel, and the helper that enqueues any task on commit."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_tasks import task


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """A task enqueued inside a transaction that rolls back must never run."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))


@task()
def housekeeping_task(task_result_days: int = 30) -> dict[str, int]:
    """Delete expired sessions, stale lockout records and old finished task results.

    Idempotent: each delete is bounded by a cut-off computed at run time, so running it twice
    (a retry, two cron entries) only finds nothing the second time.
    """
    from axes.models import AccessAttempt
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    cooloff = timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()
    results, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=now - timedelta(days=task_result_days))
        .delete()
    )
    return {"sessions": sessions, "access_attempts": attempts, "task_results": results}
