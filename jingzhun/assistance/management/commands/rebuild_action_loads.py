"""Recreate the open-action count triggers if missing and recount every count from the
actions. Safe at any time; `migrate` does the same check after every run."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingzhun.assistance.loads import loads_install, loads_rebuild


class Command(BaseCommand):
    help = "Recount the open actions per department, person and due date (the work queue's counts)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not loads_install():  # when it (re)created triggers it has just recounted
            loads_rebuild()
        self.stdout.write("ok")
