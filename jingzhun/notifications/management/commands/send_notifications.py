"""`jingzhun send_notifications`: enqueue sending of every due delivery (cron, every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingzhun.notifications.tasks import deliveries_send_task


class Command(BaseCommand):
    help = "Enqueue the sending of notification deliveries that are due, retries included."

    def handle(self, *args: Any, **options: Any) -> None:
        result = deliveries_send_task.enqueue()
        self.stdout.write(f"enqueued {result.id}")
