"""`jingzhun demo`: a working demo college on this machine in one command.

Migrates the SQLite database, seeds the demo college once (`seed_demo`), starts the task
worker beside the development server and prints the accounts to log in with. It lives in
`analytics`, the top layer, because it reaches into `students` for the demo accounts.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

SQLITE_ENGINE = "django.db.backends.sqlite3"
WORKER_STOP_SECONDS = 10


class Command(BaseCommand):
    help = "Migrate, seed the demo college if absent, start the worker and serve on 127.0.0.1."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (8000).")
        parser.add_argument(
            "--no-worker", action="store_true", help="Do not start the background task worker."
        )
        parser.add_argument("--no-seed", action="store_true", help="Do not seed the demo college.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DATABASE_URL points at a database other than SQLite.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._check_environment(force=options["force"])
        self.stdout.write("Migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_seed"]:
            self._seed_if_absent()
            call_command("seed_identification_demo")
            call_command("seed_assistance_demo")
            call_command("seed_jobs_demo")
            call_command("seed_jobs_push_demo")
            call_command("seed_destinations_demo")
            call_command("seed_followups_demo")
            call_command("seed_publications_demo")
            call_command("seed_alerts_demo")
        accounts = _demo_accounts()  # after seeding: the descriptions read the seeded scopes
        if accounts is None:
            self.stdout.write(
                self.style.WARNING(
                    "Note: the demo accounts list (jingzhun.students.demo.accounts) is not "
                    "available, so no accounts are printed."
                )
            )
        else:
            self._print_accounts(accounts)
        address = f"127.0.0.1:{options['port']}"
        self.stdout.write(self.style.SUCCESS(f"\nOpen http://{address}/ (Ctrl-C stops the demo)\n"))
        worker = None if options["no_worker"] else _start_worker()
        # A plain `kill` of the demo must stop the worker too: turn SIGTERM into SystemExit
        # so the finally clause runs.
        signal.signal(signal.SIGTERM, _exit_on_signal)
        try:
            call_command("runserver", address, use_reloader=False)
        finally:
            if worker is not None:
                _stop_worker(worker)

    def _check_environment(self, *, force: bool) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "jingzhun demo runs the development server and needs DEBUG=true "
                "(`make demo` sets it). For production see docs/operations.md."
            )
        engine = settings.DATABASES["default"]["ENGINE"]
        if engine != SQLITE_ENGINE and not force:
            raise CommandError(
                "DATABASE_URL points at a database other than the demo's SQLite file "
                f"({engine}). The demo migrates it and adds a fictional college to it; unset "
                "DATABASE_URL, or pass --force if that database really is a scratch one."
            )

    def _seed_if_absent(self) -> None:
        if _is_seeded(_demo_accounts()):
            self.stdout.write("The demo college is already there.")
            return
        self.stdout.write("Seeding the demo college (takes a moment)…")
        try:
            call_command("seed_demo", "--quiet")
        except CommandError as exc:
            if "Unknown command" not in str(exc):
                raise
            self.stdout.write(
                self.style.WARNING("Note: the seed_demo command is not available; no demo data.")
            )

    def _print_accounts(self, accounts: Sequence[Any]) -> None:
        rows = [("Username", "Password", "Role", "Who")] + [
            (str(a.username), str(a.password), str(a.role), str(a.description)) for a in accounts
        ]
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("\nDemo accounts:")
        for n, row in enumerate(rows):
            cells = [_pad(cell, widths[i]) for i, cell in enumerate(row[:3])]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in [*widths, _width(row[3])]))


def _demo_accounts() -> list[Any] | None:
    """The seeded accounts, or None while the seeding module is not installed."""
    try:
        from jingzhun.students.demo.accounts import demo_accounts
    except ImportError:
        return None
    return list(demo_accounts())


def _is_seeded(accounts: Sequence[Any] | None) -> bool:
    if accounts:
        usernames = [a.username for a in accounts]
        return get_user_model().objects.filter(username__in=usernames).exists()
    from jingzhun.org.models import Institution

    return Institution.objects.exists()


def _start_worker() -> subprocess.Popen[bytes]:
    # Same interpreter and environment, so the worker sees the same settings and database.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    return subprocess.Popen([sys.executable, "-m", "jingzhun.cli", "worker"], env=env)


def _stop_worker(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _exit_on_signal(signum: int, frame: Any) -> None:
    sys.exit(128 + signum)


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
