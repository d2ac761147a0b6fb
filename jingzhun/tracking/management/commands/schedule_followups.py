"""`jingzhun schedule_followups`: enqueue the daily scheduling of follow-ups (回访).

Run it daily from cron; the worker adds the next follow-up of every graduate in the monitoring
window who has none open, however often the command runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jingzhun.tracking.followups.tasks import schedule_followups_task


class Command(BaseCommand):
    help = "Enqueue the scheduling of follow-ups for graduates in their monitoring window."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Pretend it is this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, today: dt.date | None = None, **options: Any) -> None:
        schedule_followups_task.enqueue(today.isoformat() if today else "")
        self.stdout.write("Queued the scheduling of follow-ups.")
