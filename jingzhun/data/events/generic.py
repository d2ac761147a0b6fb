"""Import any source from a CSV, Excel or Parquet export with a header, given a column mapping.

`mapping` maps each normalised column of the source to the header in the file, e.g. for
library loans ``{"student_id": "学号", "ts": "借阅时间", "book_id": "条码号"}``. Line numbers
in the report are what the operator sees: CSV lines and Excel rows count the header as 1,
Parquet rows count from 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

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
from jingzhun.data.events.schemas import EventSource

GENERIC_TIME_FORMATS: tuple[str, ...] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d",
)
CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
HEADER_LINES = 1
EXCEL_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class MappingError(ValueError):
    """The mapping does not fit the source or the file."""


def check_mapping(source: EventSource, mapping: Mapping[str, str], headers: Iterable[str]) -> None:
    missing_targets = set(source.required) - set(mapping)
    unknown_targets = set(mapping) - set(source.column_names)
    missing_headers = set(mapping.values()) - set(headers)
    if missing_targets or unknown_targets or missing_headers:
        raise MappingError(
            f"mapping for {source.name!r}: required columns not mapped {sorted(missing_targets)}, "
            f"unknown columns {sorted(unknown_targets)}, headers not in the file "
            f"{sorted(missing_headers)} (the file has {list(headers)})"
        )


def mapped_columns(source: EventSource, mapping: Mapping[str, str], cast: bool = False) -> str:
    """SELECT list renaming file headers to normalised names; unmapped columns are NULL."""
    parts = []
    for name in source.column_names:
        header = mapping.get(name)
        value = "NULL" if header is None else sql_identifier(header)
        if cast and header is not None:
            value = f"CAST({value} AS VARCHAR)"
        parts.append(f"{value}::VARCHAR AS {sql_identifier(name)}")
    return ", ".join(parts)


def raw_text_sql(mapping: Mapping[str, str], cast: bool = False) -> str:
    """The mapped fields joined by commas: what a rejected row showed, for the report."""
    fields = [sql_identifier(header) for header in mapping.values()]
    if cast:
        fields = [f"CAST({f} AS VARCHAR)" for f in fields]
    return f"concat_ws(',', {', '.join(fields)})"


def create_raw_view(
    con: duckdb.DuckDBPyConnection,
    relation_sql: str,
    line_no_sql: str,
    source: EventSource,
    mapping: Mapping[str, str],
    cast: bool = False,
) -> None:
    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW raw AS
        SELECT {line_no_sql} AS line_no, {raw_text_sql(mapping, cast)} AS raw_text,
               NULL::INTEGER AS n_fields, {mapped_columns(source, mapping, cast)}
        FROM {relation_sql}
        """  # noqa: S608 - identifiers and literals are quoted
    )


def headers_of(con: duckdb.DuckDBPyConnection, relation_sql: str) -> list[str]:
    return [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation_sql}").fetchall()]  # noqa: S608


def csv_relation(utf8_path: Path) -> str:
    return f"read_csv({sql_literal(str(utf8_path))}, header=true, all_varchar=true)"


def parquet_relation(path: Path) -> str:
    return f"read_parquet({sql_literal(str(path))}, file_row_number=true)"


def excel_cell_text(value: Any) -> str | None:
    """Cell values as the text an operator typed: calamine gives whole numbers as floats, and
    student numbers must stay text ("2024010001", not "2024010001.0")."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime(EXCEL_TIME_FORMAT)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def excel_table(path: Path, sheet: str | int) -> pa.Table:
    """The sheet as text columns named by its first row, plus its row numbers."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    found = (
        book.get_sheet_by_name(sheet) if isinstance(sheet, str) else book.get_sheet_by_index(sheet)
    )
    rows = found.to_python()
    if not rows:
        raise MappingError(f"sheet {sheet!r} of {path.name} is empty")
    headers = [excel_cell_text(h) or f"column{i}" for i, h in enumerate(rows[0], start=1)]
    body = rows[HEADER_LINES:]
    columns = {
        header: [excel_cell_text(row[i]) if i < len(row) else None for row in body]
        for i, header in enumerate(headers)
    }
    columns["__row"] = [str(n) for n in range(HEADER_LINES + 1, HEADER_LINES + 1 + len(body))]
    return pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})


def import_events(
    path: str | Path,
    lake: Lake,
    source: EventSource,
    mapping: Mapping[str, str],
    *,
    sheet: str | int = 0,
    time_formats: Sequence[str] = GENERIC_TIME_FORMATS,
    max_reported: int = MAX_REPORTED,
) -> ImportReport:
    """Import a headed CSV (UTF-8 or GB18030), Excel sheet or Parquet file into `source`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES:
        raise MappingError(f"cannot import {path.name}: unknown file type {suffix!r}")

    def load(con: duckdb.DuckDBPyConnection, file: Path, staging: Path) -> Encoding | None:
        def view_and_parse(relation: str, line_no: str, headers: list[str], cast: bool) -> None:
            check_mapping(source, mapping, headers)
            create_raw_view(con, relation, line_no, source, mapping, cast)
            parse_raw(con, source, time_formats, expected_fields=None)

        if suffix in CSV_SUFFIXES:

            def attempt(utf8_path: Path) -> None:
                relation = csv_relation(utf8_path)
                line_no = f"row_number() OVER () + {HEADER_LINES}"
                view_and_parse(relation, line_no, headers_of(con, relation), cast=False)

            return with_encoding_fallback(file, staging, detect_encoding(file), attempt)
        if suffix in EXCEL_SUFFIXES:
            table = excel_table(file, sheet)
            con.register("excel_rows", table)
            view_and_parse("excel_rows", "CAST(__row AS BIGINT)", table.column_names, cast=False)
        else:
            relation = parquet_relation(file)
            view_and_parse(relation, "file_row_number + 1", headers_of(con, relation), cast=True)
        return None

    return run_import(path, lake, source, load, max_reported=max_reported)
