"""`jingzhun seed_alerts_demo`: open alerts of every implemented kind in the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.tracking.alert_demo import seed_alerts_demo


class Command(BaseCommand):
    help = "Run the alert checks over the demo college, arranging what each kind needs (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = seed_alerts_demo(institution_code=INSTITUTION_CODE)
        if opened is None:
            self.stdout.write("Alerts demo already present (or no demo college).")
            return
        self.stdout.write(", ".join(f"{kind}: {n}" for kind, n in sorted(opened.items())))
