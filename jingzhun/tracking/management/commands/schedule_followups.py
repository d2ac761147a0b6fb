"""`jingzhun schedule_followups`: add the next follow-up (回访) of every graduate in the
monitoring window who has none open (daily, cron; safe to run any number of times)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jingzhun.tracking.followups.schedule import followups_schedule


class Command(BaseCommand):
    help = "Schedule follow-ups for graduates in their post-graduation monitoring window."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Schedule as of this day (YYYY-MM-DD; default today).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError(
                f"--date must be a day as YYYY-MM-DD, not {options['date']!r}"
            ) from exc
        result = followups_schedule(today=today)
        self.stdout.write(
            f"{result.created} follow-ups scheduled, {result.cancelled} closed as no longer needed."
        )
