"""`jingzhun escalate_overdue_actions`: enqueue the daily checks of due and overdue actions.

Run it daily from cron; the worker escalates each overdue action to its department head once,
and reminds each assignee once a day of the actions falling due within three days, however
often the command runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from jingzhun.assistance.tasks import escalate_overdue_actions_task, remind_due_actions_task


class Command(BaseCommand):
    help = (
        "Enqueue the escalation of overdue assistance actions to their department heads and "
        "the reminders of actions falling due soon."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today", type=dt.date.fromisoformat, help="Pretend it is this day (YYYY-MM-DD)."
        )

    def handle(self, *args: Any, today: dt.date | None = None, **options: Any) -> None:
        day = today.isoformat() if today else ""
        escalate_overdue_actions_task.enqueue(day)
        remind_due_actions_task.enqueue(day)
        self.stdout.write(_("Queued the checks of due and overdue actions."))
