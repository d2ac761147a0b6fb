"""`jingzhun seed_destinations_demo`: destination registrations for the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.tracking.destination_demo import seed_destination_demo


class Command(BaseCommand):
    help = "Register and verify the demo college's graduated destinations, with faults to check (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_destination_demo(institution_code=INSTITUTION_CODE)
        if result is None:
            self.stdout.write(_("Destinations demo already present (or no demo college)."))
            return
        states = ", ".join(f"{k} {v}" for k, v in sorted(result.by_status.items()))
        faults = ", ".join(f"{k} {v}" for k, v in result.faults.items())
        self.stdout.write(
            _("%(n)s destination registrations (%(states)s); checks failing: %(faults)s.")
            % {"n": result.registrations, "states": states, "faults": faults}
        )
