"""`jingzhun worker`: run the background task worker (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background task worker until stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after this many tasks."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args: Any, max_tasks: int | None, interval: float, **options: Any) -> None:
        worker_args = ["--no-reload", "--interval", str(interval), "--no-startup-delay"]
        if max_tasks is not None:
            worker_args += ["--max-tasks", str(max_tasks)]
        call_command("db_worker", *worker_args)
