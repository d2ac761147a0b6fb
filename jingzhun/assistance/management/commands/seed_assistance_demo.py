"""`jingzhun seed_assistance_demo`: plans and actions for the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.assistance.demo import seed_assistance_demo
from jingzhun.students.demo.catalogue import INSTITUTION_CODE


class Command(BaseCommand):
    help = "Draft, approve and work assistance plans for the demo college's confirmed cases (once)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_assistance_demo(institution_code=INSTITUTION_CODE)
        if result is None:
            self.stdout.write(_("Assistance demo already present (or no demo college)."))
            return
        self.stdout.write(
            _("%(plans)s plans, %(actions)s actions (%(closed)s closed, %(escalated)s escalated).")
            % {"plans": result.plans, "actions": result.actions, "closed": result.closed,
               "escalated": result.escalated}
        )  # fmt: skip
