"""`jingzhun seed_followups_demo`: follow-ups and a handover batch for the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.tracking.followup_demo import seed_followups_demo


class Command(BaseCommand):
    help = (
        "Replay the newest graduates' follow-ups and a handover batch in the demo college (once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_followups_demo(institution_code=INSTITUTION_CODE)
        if result is None:
            self.stdout.write(_("Follow-up demo already present (or no demo college)."))
            return
        self.stdout.write(
            _("%(recorded)s follow-ups recorded, %(due)s due now; %(batches)s handover batches, "
              "%(replies)s replies.")
            % {"recorded": result.recorded, "due": result.due, "batches": result.batches,
               "replies": result.replies}
        )  # fmt: skip
