"""`jingzhun schedule_identification`: start the identification runs that are due this term.

Run it daily from cron; it starts at most one scheduled run per institution and term, so a
second call (or a second machine) does nothing. The worker then executes the runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from jingzhun.identification import services


class Command(BaseCommand):
    help = "Start the scheduled identification runs that are due this term."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Pretend it is this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, today: dt.date | None = None, **options: Any) -> None:
        runs = services.scheduled_runs_start(today=today or services.now_date())
        for run in runs:
            self.stdout.write(
                _("Started run %(run)s for %(institution)s, term %(term)s.")
                % {"run": run.pk, "institution": run.institution, "term": run.term}
            )
        if not runs:
            self.stdout.write(_("No scheduled run is due."))
