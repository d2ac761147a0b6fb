"""`jingzhun seed_assistance_demo`: plans and actions for the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.assistance.demo import seed_assistance_demo
from jingzhun.assistance.subsidy_demo import seed_subsidy_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import current_cohorts


class Command(BaseCommand):
    help = "Draft, approve and work assistance plans for the demo college's confirmed cases (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        self._subsidies()
        result = seed_assistance_demo(institution_code=INSTITUTION_CODE)
        if result is None:
            self.stdout.write(_("Assistance demo already present (or no demo college)."))
            return
        self.stdout.write(
            _("%(plans)s plans, %(actions)s actions (%(closed)s closed, %(escalated)s escalated).")
            % {"plans": result.plans, "actions": result.actions, "closed": result.closed,
               "escalated": result.escalated}
        )  # fmt: skip

    def _subsidies(self) -> None:
        # The graduating cohort's 求职创业补贴, seeded on its own so an existing demo gets it.
        subsidies = seed_subsidy_demo(
            institution_code=INSTITUTION_CODE, cohort=current_cohorts()[0]
        )
        if subsidies is not None:
            self.stdout.write(
                _("Subsidy policy %(name)s with %(n)s applications.")
                % {"name": subsidies.policy.name, "n": subsidies.applications}
            )
