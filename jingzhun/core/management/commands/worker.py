"""`jingzhun worker`: run the background task worker (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background task worker until stopped (or, with --batch, until the queue is empty)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after this many tasks."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Exit once no task is waiting.")

    def handle(
        self, *args: Any, max_tasks: int | None, interval: float, batch: bool, **options: Any
    ) -> None:
        from jingzhun.core.jobs import jobs_recover

        for job in jobs_recover():
            self.stdout.write(f"Resuming {job.kind} #{job.subject_id}: its worker had stopped.")
        # Never the autoreloader: a reload would kill a running import or identification run.
        worker_args = ["--no-reload", "--interval", str(interval), "--no-startup-delay"]
        if max_tasks is not None:
            worker_args += ["--max-tasks", str(max_tasks)]
        if batch:
            worker_args.append("--batch")
        call_command("db_worker", *worker_args)
