"""`jingzhun housekeeping`: enqueue the housekeeping task (run it daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingzhun.core.tasks import housekeeping_task


class Command(BaseCommand):
    help = "Enqueue deletion of expired sessions, stale lockouts and old task results."

    def handle(self, *args: Any, **options: Any) -> None:
        result = housekeeping_task.enqueue()
        self.stdout.write(f"enqueued {result.id}")
