"""Importer for the DataCastle campus-card export (the real format of one Chinese university).

Headerless lines ``id,消费类别,消费地点,消费方式,消费时间,消费金额,消费后余额`` with times like
``2013/09/02 07:18:56``; fields are never quoted and may be empty. Each line is read whole
and split in DuckDB so that a line with the wrong number of fields is reported with its line
number instead of stopping the import. Line numbers come from `row_number() OVER ()` over
the file read in order (DuckDB keeps insertion order by default; a test checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from jingzhun.data.events.encoding import Encoding, detect_encoding
from jingzhun.data.events.ingest import (
    MAX_REPORTED,
    parse_raw,
    run_import,
    sql_identifier,
    sql_literal,
    with_encoding_fallback,
)
from jingzhun.data.events.lake import Lake
from jingzhun.data.events.report import ImportReport
from jingzhun.data.events.schemas import CARD

DATACASTLE_TIME_FORMATS: tuple[str, ...] = ("%Y/%m/%d %H:%M:%S",)
FIELD_SEPARATOR = ","
LINE_AS_ONE_FIELD = "\x1f"
"""A delimiter that never occurs in the export, so that DuckDB hands over whole lines."""


def create_raw_lines_view(con: duckdb.DuckDBPyConnection, utf8_path: Path) -> None:
    fields = ", ".join(
        f"f[{position}] AS {sql_identifier(name)}"
        for position, name in enumerate(CARD.column_names, start=1)
    )
    reader = (
        f"read_csv({sql_literal(str(utf8_path))}, columns={{'line': 'VARCHAR'}}, header=false, "
        f"delim={sql_literal(LINE_AS_ONE_FIELD)}, quote='', escape='', auto_detect=false)"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW raw AS
        WITH lines AS (SELECT row_number() OVER () AS line_no, line FROM {reader}),
        split AS (
            SELECT line_no, line, string_split(line, {sql_literal(FIELD_SEPARATOR)}) AS f
            FROM lines WHERE line IS NOT NULL AND TRIM(line) <> ''
        )
        SELECT line_no, line AS raw_text, len(f) AS n_fields, {fields} FROM split
        """  # noqa: S608 - identifiers and literals are quoted
    )


def import_datacastle_card(
    path: str | Path,
    lake: Lake,
    *,
    time_formats: Sequence[str] = DATACASTLE_TIME_FORMATS,
    max_reported: int = MAX_REPORTED,
) -> ImportReport:
    """Import a DataCastle card file into the lake's `card` source (no-op if already there).

    Rows with an unparsable time, a missing student id or time, a non-numeric amount or the
    wrong number of fields are rejected and listed with their line numbers; other empty
    fields become NULL.
    """

    def load(con: duckdb.DuckDBPyConnection, file: Path, staging: Path) -> Encoding:
        def attempt(utf8_path: Path) -> None:
            create_raw_lines_view(con, utf8_path)
            parse_raw(con, CARD, time_formats, expected_fields=len(CARD.columns))

        return with_encoding_fallback(file, staging, detect_encoding(file), attempt)

    return run_import(path, lake, CARD, load, max_reported=max_reported)
