"""`jingzhun seed_identification_demo`: rules, a risk model, a run and review decisions for the
demo college."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jingzhun.identification.demo import seed_identification_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY


class Command(BaseCommand):
    help = "Run identification on the demo college and record realistic review decisions (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)
        if result is None:
            self.stdout.write("Identification demo already present (or no demo college).")
            return
        if result.model_version:
            self.stdout.write(
                f"Risk model {result.model_version} approved; "
                f"{result.model_signals} students flagged by the model."
            )
        if result.behaviour_version:
            self.stdout.write(
                f"Behaviour snapshot v{result.behaviour_version} from synthetic card data; "
                f"{result.hardship_candidates} hidden-hardship candidates."
            )
        self.stdout.write(
            f"Identification run {result.run_id}: {result.candidates} candidates, "
            f"{result.confirmed} confirmed, {result.dismissed} dismissed."
        )
