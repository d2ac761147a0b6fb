"""Enqueue background tasks only once the surrounding transaction has committed."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """A task enqueued inside a transaction that rolls back must never run."""
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
