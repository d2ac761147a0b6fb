"""`jingzhun ingest_card PATH [--lake DIR]`: add a campus-card export to the event lake.

Importing the same file again does nothing (the lake's manifest knows its content hash).
Rows that cannot be read are listed with their line numbers and kept in the lake's
`_rejects/` folder; the rest of the file is imported.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jingzhun.behaviour.lake import event_lake
from jingzhun.data.events import import_datacastle_card
from jingzhun.data.events.encoding import EncodingError
from jingzhun.data.events.report import ImportReport


class Command(BaseCommand):
    help = (
        "Import a campus-card export (DataCastle format: headerless id, category, place, kind, "
        "time, amount, balance; UTF-8 or GB18030) into the Parquet event lake."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="The card export file.")
        parser.add_argument(
            "--lake", type=Path, help="The lake's root folder (default: JINGZHUN_EVENT_LAKE_DIR)."
        )
        parser.add_argument(
            "--show-rejected", type=int, default=20, help="List at most this many rejected rows."
        )

    def handle(
        self, *args: Any, path: Path, lake: Path | str | None, show_rejected: int, **options: Any
    ) -> None:
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            report = import_datacastle_card(path, event_lake(lake), max_reported=show_rejected)
        except EncodingError as exc:
            raise CommandError(str(exc)) from exc
        for line in report_lines(report):
            self.stdout.write(line)


def report_lines(report: ImportReport) -> list[str]:
    if report.already_imported:
        return [
            _("%(file)s is already in the lake (sha256 %(hash)s); nothing to do.")
            % {"file": report.file_name, "hash": report.sha256[:16]}
        ]
    lines = [
        _("%(file)s: %(imported)s rows imported, %(rejected)s rejected, %(months)s months, "
          "%(encoding)s, %(seconds).1f s.")
        % {"file": report.file_name, "imported": report.imported, "rejected": report.rejected,
           "months": len(report.months), "encoding": report.encoding, "seconds": report.seconds},
    ]  # fmt: skip
    for row in report.rejected_examples:
        lines.append(
            _("  line %(line)s: %(reason)s: %(text)s")
            % {"line": row.line, "reason": row.reason, "text": row.text}
        )
    if report.rejects_file is not None:
        lines.append(_("All rejected rows: %(path)s") % {"path": report.rejects_file})
    return lines
