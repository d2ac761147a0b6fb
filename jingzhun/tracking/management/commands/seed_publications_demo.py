"""`jingzhun seed_publications_demo`: policies, procedures and ratings for the demo college (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.tracking.publication_demo import seed_publications_demo


class Command(BaseCommand):
    help = (
        "Publish the demo college's policies and procedures and rate some completed actions (once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = seed_publications_demo(institution_code=INSTITUTION_CODE)
        if result is None:
            self.stdout.write(_("Publications demo already present (or no demo college)."))
            return
        articles, ratings = result
        self.stdout.write(
            _("%(articles)s articles published, %(ratings)s actions rated.")
            % {"articles": articles, "ratings": ratings}
        )
