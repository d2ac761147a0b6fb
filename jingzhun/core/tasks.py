"""Background tasks of the shared kernel, and the helper that enqueues any task on commit."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
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
    sessions = _clear_expired_sessions(now)
    cooloff = timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    attempts, _ = AccessAttempt.objects.filter(attempt_time__lt=now - cooloff).delete()
    results, _ = (
        DBTaskResult.objects.finished()
        .filter(finished_at__lt=now - timedelta(days=task_result_days))
        .delete()
    )
    return {"sessions": sessions, "access_attempts": attempts, "task_results": results}


def _clear_expired_sessions(now: Any) -> int:
    """Sessions live in the database or in files (settings.SESSION_STORE); both expire."""
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        from django.contrib.sessions.models import Session

        deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
        return deleted
    folder = Path(settings.SESSION_FILE_PATH)
    before = sum(1 for _ in folder.glob(f"{settings.SESSION_COOKIE_NAME}*"))
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return before - sum(1 for _ in folder.glob(f"{settings.SESSION_COOKIE_NAME}*"))
