"""`jingzhun check_alerts` (daily, cron): enqueue today's alert checks; the worker runs them.

Idempotent: today's checks are enqueued once however often cron fires (`--again` checks a
day again; an interrupted or failed day is enqueued again)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jingzhun.tracking.alerts.services import alert_checks_start


class Command(BaseCommand):
    help = "Enqueue today's alert checks (open, keep and close alerts; notify owners)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--day", help="Check as of this day (YYYY-MM-DD); default today.")
        parser.add_argument("--again", action="store_true", help="Check a checked day again.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = None
        if options["day"]:
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError as exc:
                raise CommandError(f"--day must be YYYY-MM-DD: {exc}") from exc
        run = alert_checks_start(day=day, again=options["again"])
        if run is None:
            self.stdout.write("The checks of that day are already enqueued or done.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Alert checks of {run.day} enqueued."))
