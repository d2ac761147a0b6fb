"""`jingzhun seed_jobs_push_demo`: targeted pushes with answers for the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.jobs.push_demo import seed_push_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE


class Command(BaseCommand):
    help = "Push postings to the demo college's active cases, with the students' answers (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_push_demo(institution_code=INSTITUTION_CODE)
        if result.message:
            self.stdout.write(_("No pushes seeded: %(why)s.") % {"why": result.message})
            return
        self.stdout.write(_("%(pushes)s pushes, %(answered)s answered.")
                          % {"pushes": result.pushes, "answered": result.answered})  # fmt: skip
