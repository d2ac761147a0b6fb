"""`jingzhun seed_alerts_demo`: open alerts of every implemented kind in the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.tracking.alert_demo import seed_alerts_demo
from jingzhun.tracking.alerts import checks


class Command(BaseCommand):
    help = "Run the alert checks over the demo college, arranging what each kind needs (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        opened = seed_alerts_demo(institution_code=INSTITUTION_CODE)
        if opened is None:
            self.stdout.write(_("Alerts demo already present (or no demo college)."))
            return
        labels = {code: str(kind.label) for code, kind in checks.KINDS.items()}
        self.stdout.write(
            _("Open alerts: %(counts)s")
            % {"counts": "，".join(f"{labels.get(k, k)} {n}" for k, n in sorted(opened.items()))}
        )
