"""`jingzhun build_behaviour_features [--lake DIR] [--institution CODE] [--as-of DATE]`.

Computes campus-behaviour features from the event lake, trains and applies the hidden-hardship
model where assessed students exist, and stores the result as the institution's next
behaviour snapshot (the next identification run uses it). Run it nightly from cron, after the
campus systems' exports are in the lake; each call writes a new version, nothing is changed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.behaviour.services import behaviour_snapshot_build
from jingzhun.core.errors import DomainError
from jingzhun.org.models import Institution


class Command(BaseCommand):
    help = "Compute campus-behaviour features and hidden-hardship scores into a new snapshot."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--lake", type=Path, help="Event lake folder (default: the setting).")
        parser.add_argument("--institution", help="Institution code (default: the only one).")
        parser.add_argument(
            "--as-of", type=dt.date.fromisoformat, help="Ignore terms after this day."
        )

    def handle(self, *args: Any, lake: Path | None = None, institution: str | None = None,
               as_of: dt.date | None = None, **options: Any) -> None:  # fmt: skip
        institutions = Institution.objects.all()
        if institution:
            institutions = institutions.filter(code=institution)
        if institutions.count() != 1:
            raise CommandError(_("Name the institution with --institution CODE (one of: %(codes)s).")
                               % {"codes": ", ".join(Institution.objects.values_list("code", flat=True))})  # fmt: skip
        try:
            snapshot = behaviour_snapshot_build(
                actor=None, institution=institutions.get(), lake_root=lake,
                as_of=as_of or timezone.localdate(),
            )  # fmt: skip
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        metrics = snapshot.hardship_metrics
        self.stdout.write(_("Behaviour snapshot v%(version)s: %(students)s students, %(unmatched)s card holders not in the registry, %(ms)s ms.")
                          % {"version": snapshot.version, "students": snapshot.students,
                             "unmatched": snapshot.unmatched, "ms": snapshot.duration_ms})  # fmt: skip
        if snapshot.hardship_version:
            self.stdout.write(_("Hidden-hardship model %(version)s: trained on %(n)s assessed students, %(c)s candidates for review.")
                              % {"version": snapshot.hardship_version, "n": metrics["labelled"], "c": metrics["candidates"]})  # fmt: skip
        else:
            self.stdout.write(metrics.get("skipped", ""))
