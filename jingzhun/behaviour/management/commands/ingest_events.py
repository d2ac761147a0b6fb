"""`jingzhun ingest_events PATH --source SOURCE --mapping MAPPING.json`: add a headed CSV, Excel
or Parquet export of any event source (card, library, jobs, dorm) to the event lake.

The mapping file names, for each of the source's columns, the header it has in the file:
``{"student_id": "学号", "ts": "借阅时间", "book_id": "条码号"}``. A mapping that misses a
required column or names a header the file lacks is refused before anything is written.
Importing the same file again does nothing; unreadable rows are listed by line and kept in
the lake's `_rejects/` folder, the rest is imported.
"""

from __future__ import annotations

import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jingzhun.behaviour.lake import event_lake
from jingzhun.behaviour.management.commands.ingest_card import report_lines
from jingzhun.data.events import SOURCES, MappingError, import_events
from jingzhun.data.events.encoding import EncodingError


class Command(BaseCommand):
    help = (
        "Import a headed CSV (UTF-8 or GB18030), Excel or Parquet export of an event source "
        "into the Parquet event lake, with a JSON mapping of the source's columns to the "
        "file's headers."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="The export file.")
        parser.add_argument("--source", required=True, choices=sorted(SOURCES))
        parser.add_argument(
            "--mapping", type=Path, required=True,
            help='JSON object: source column → header in the file, e.g. {"student_id": "学号"}.',
        )  # fmt: skip
        parser.add_argument("--sheet", default="0", help="Excel sheet name or index (0).")
        parser.add_argument(
            "--lake", type=Path, help="The lake's root folder (default: JINGZHUN_EVENT_LAKE_DIR)."
        )
        parser.add_argument(
            "--show-rejected", type=int, default=20, help="List at most this many rejected rows."
        )

    def handle(self, *args: Any, path: Path, source: str, mapping: Path | str, sheet: str,
               lake: Path | str | None, show_rejected: int, **options: Any) -> None:  # fmt: skip
        mapping = Path(mapping)  # options given to call_command skip the parser's types
        for file in (Path(path), mapping):
            if not file.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": file})
        columns = read_mapping(mapping)
        try:
            report = import_events(
                path, event_lake(lake), SOURCES[source], columns,
                sheet=int(sheet) if str(sheet).isdigit() else sheet, max_reported=show_rejected,
            )  # fmt: skip
        except (MappingError, EncodingError) as exc:
            raise CommandError(str(exc)) from exc
        for line in report_lines(report):
            self.stdout.write(line)


def read_mapping(path: Path) -> dict[str, str]:
    """The mapping file as {column: header}; a clear error for anything else."""
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise CommandError(
            _("%(path)s is not a JSON mapping: %(error)s") % {"path": path.name, "error": exc}
        ) from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise CommandError(
            _(
                '%(path)s must be one JSON object of column names to headers, e.g. {"student_id": "学号"}.'
            )
            % {"path": path.name}
        )
    return {column: header.strip() for column, header in data.items()}
