"""`jingzhun seed_identification_demo`: rules, a risk model, a run and review decisions for the
demo college."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.identification.demo import seed_identification_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY


class Command(BaseCommand):
    help = "Run identification on the demo college and record realistic review decisions (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)
        if result is None:
            self.stdout.write(_("Identification demo already present (or no demo college)."))
            return
        if result.model_version:
            self.stdout.write(
                _("Risk model %(version)s approved; %(signals)s students flagged by the model.")
                % {"version": result.model_version, "signals": result.model_signals}
            )
        if result.behaviour_version:
            self.stdout.write(
                _("Behaviour snapshot v%(version)s from synthetic card data; "
                  "%(candidates)s hidden-hardship candidates.")
                % {"version": result.behaviour_version, "candidates": result.hardship_candidates}
            )  # fmt: skip
        self.stdout.write(
            _("Identification run %(run)s: %(candidates)s candidates, %(confirmed)s confirmed, "
              "%(dismissed)s dismissed.")
            % {"run": result.run_id, "candidates": result.candidates,
               "confirmed": result.confirmed, "dismissed": result.dismissed}
        )  # fmt: skip
