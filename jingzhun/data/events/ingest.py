"""The shared import pipeline: raw string fields → typed, validated rows → month partitions.

A format-specific loader creates a DuckDB view `raw` with `line_no`, `raw_text`, `n_fields`
(NULL when the reader already checked the shape) and one VARCHAR column per normalised column.
Everything after that is the same for every source and file format: empty → NULL, parse,
reject with a reason, write one Parquet file per month, report.

`import_once` is the write path shared with batch imports (`batches.py`): under the lake's
lock, find an earlier import or stage one Parquet file per month (`stage_months`) and publish.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from jingzhun.data.events.encoding import Encoding, file_sha256, transcode_to_utf8
from jingzhun.data.events.lake import HASH_IN_NAME, Lake, ManifestEntry
from jingzhun.data.events.report import ImportReport, RejectedRow
from jingzhun.data.events.schemas import TIME_COLUMN, ColumnType, EventSource

ISO_TIME_FORMATS: tuple[str, ...] = ("%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S")
MAX_REPORTED = 20
MONTH_FORMAT = "%Y-%m"

Loader = Callable[[duckdb.DuckDBPyConnection, Path, Path], Encoding | None]
"""(connection, file, staging folder) → creates `parsed` (and `accepted`) from a `raw` view
with `parse_raw` and returns the text encoding it read (None for binary formats)."""


def sql_literal(value: str) -> str:
    """A SQL string literal. Paths and formats are ours or the operator's, never a user's,
    but quoting them keeps a stray apostrophe in a folder name from breaking the query."""
    return "'" + value.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def typed_sql(column: str, kind: ColumnType, time_formats: Sequence[str]) -> str:
    """The parse of one trimmed, NULL-for-empty VARCHAR column; NULL when unparsable."""
    col = sql_identifier(column)
    if kind == "string":
        return col
    if kind == "float64":
        return f"TRY_CAST({col} AS DOUBLE)"
    formats = ", ".join(sql_literal(f) for f in time_formats)
    return f"try_strptime({col}, [{formats}])"


def reason_sql(source: EventSource, expected_fields: int | None) -> str:
    """First failing check of a row, or NULL: shape, required values, then parse failures."""
    checks = []
    if expected_fields is not None:
        checks.append(f"WHEN n_fields <> {expected_fields:d} THEN 'wrong_field_count'")
    for name in source.required:
        checks.append(f"WHEN {sql_identifier(name + '__raw')} IS NULL THEN 'missing_{name}'")
    for name, kind in source.columns:
        if kind != "string":
            raw, typed = sql_identifier(name + "__raw"), sql_identifier(name)
            label = "bad_timestamp" if kind == "timestamp" else "bad_number"
            checks.append(f"WHEN {raw} IS NOT NULL AND {typed} IS NULL THEN '{label}_{name}'")
    return "CASE " + " ".join(checks) + " END"


def month_sql() -> str:
    """The month partition (`2014-09`) of a row, from its time column."""
    return f"strftime({sql_identifier(TIME_COLUMN)}, {sql_literal(MONTH_FORMAT)})"


def parse_raw(
    con: duckdb.DuckDBPyConnection,
    source: EventSource,
    time_formats: Sequence[str],
    expected_fields: int | None,
) -> None:
    """Create the table `parsed` from the view `raw`, and the view `accepted` of its good rows."""
    names = source.column_names
    cleaned = ", ".join(
        f"NULLIF(TRIM({sql_identifier(n)}), '') AS {sql_identifier(n)}" for n in names
    )
    typed = ", ".join(
        f"{sql_identifier(n)} AS {sql_identifier(n + '__raw')}, "
        f"{typed_sql(n, k, time_formats)} AS {sql_identifier(n)}"
        for n, k in source.columns
    )
    columns = ", ".join(sql_identifier(n) for n in names)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE parsed AS
        WITH cleaned AS (SELECT line_no, raw_text, n_fields, {cleaned} FROM raw),
        typed AS (SELECT line_no, raw_text, n_fields, {typed} FROM cleaned),
        judged AS (SELECT *, {reason_sql(source, expected_fields)} AS reason FROM typed)
        SELECT line_no, {columns}, {month_sql()} AS month,
               reason, CASE WHEN reason IS NOT NULL THEN raw_text END AS raw_text
        FROM judged
        """  # noqa: S608 - identifiers and literals are quoted above
    )
    con.execute("CREATE OR REPLACE TEMP VIEW accepted AS SELECT * FROM parsed WHERE reason IS NULL")


def stage_months(
    con: duckdb.DuckDBPyConnection, source: EventSource, staging: Path
) -> dict[str, Path]:
    """Write the rows of the relation `accepted` (the source's columns and `month`) as one
    Parquet file per month into `staging`.

    PyArrow writes the files: DuckDB's Parquet writer is several times slower on the string
    columns here (measured: 10 s vs 3 s for 12M rows).
    """
    schema = source.arrow_schema()
    columns = ", ".join(sql_identifier(n) for n in source.column_names)
    months = [m for (m,) in con.sql(
        "SELECT DISTINCT month FROM accepted ORDER BY month"
    ).fetchall()]  # fmt: skip
    staged = {}
    for month in months:
        rows = con.sql(
            f"SELECT {columns} FROM accepted WHERE month = $month",  # noqa: S608
            params={"month": month},
        ).to_arrow_table()
        staged[month] = staging / f"{month}.parquet"
        pq.write_table(rows.cast(schema), staged[month])
    return staged


def stage_table(table: pa.Table, source: EventSource, staging: Path) -> dict[str, Path]:
    """Write an Arrow table of the source's columns as one Parquet file per month, like the
    accepted rows of a file (for rows that were checked before, e.g. a batch's)."""
    with duckdb.connect() as con:
        con.register("checked", table)
        month = month_sql()
        con.execute(f"CREATE TEMP VIEW accepted AS SELECT *, {month} AS month FROM checked")  # noqa: S608
        return stage_months(con, source, staging)


def write_rejects(con: duckdb.DuckDBPyConnection, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    query = (
        "COPY (SELECT line_no AS line, reason, raw_text AS text FROM parsed "
        "WHERE reason IS NOT NULL ORDER BY line_no) TO {target} (HEADER)"
    )
    con.execute(query.format(target=sql_literal(str(target))))


def rejected_examples(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[RejectedRow, ...]:
    rows = con.sql(
        "SELECT line_no, reason, raw_text FROM parsed WHERE reason IS NOT NULL "
        "ORDER BY line_no LIMIT $limit",
        params={"limit": limit},
    ).fetchall()
    return tuple(RejectedRow(line=int(n), reason=r, text=t) for n, r, t in rows)


def is_invalid_unicode(exc: duckdb.Error) -> bool:
    return "unicode" in str(exc).lower()


def with_encoding_fallback(
    path: Path, staging: Path, encoding: Encoding, attempt: Callable[[Path], None]
) -> Encoding:
    """Run `attempt` on a UTF-8 view of the file; transcode GB18030 first, or when a file
    sniffed as UTF-8 turns out not to be (DuckDB stops at the first invalid byte)."""
    if encoding == "utf-8":
        try:
            attempt(path)
            return "utf-8"
        except duckdb.InvalidInputException as exc:
            if not is_invalid_unicode(exc):
                raise
    attempt(transcode_to_utf8(path, staging / "utf8.csv", "gb18030"))
    return "gb18030"


@dataclass(frozen=True)
class Staged:
    """What an import wrote into its staging folder."""

    months: dict[str, Path]
    """One Parquet file per month (`2014-09`), with the source's schema."""
    rows: int
    rejected: int


StagedT = TypeVar("StagedT", bound=Staged)


def import_once(
    lake: Lake,
    source: EventSource,
    *,
    sha256: str,
    file_name: str,
    stage: Callable[[Path], StagedT],
    known_by: Literal["sha256", "file_name"] = "sha256",
) -> tuple[ManifestEntry, StagedT | None]:
    """Write one import into the lake unless it is there already: lock, find, stage, publish.

    Under the lake's lock, an earlier entry of the source with the same `known_by` (the
    content hash; or the name, when the caller tells a repeat from a conflict by the hash)
    is returned as `(earlier, None)` and nothing is written. Otherwise the files of an
    interrupted attempt are removed, `stage` writes the month files into a fresh staging
    folder, and they are published under `sha256` and `file_name`: `(entry, staged)`.
    """
    with lake.locked():
        earlier = (
            lake.find(source.name, sha256)
            if known_by == "sha256"
            else lake.find_named(source.name, file_name)
        )
        if earlier is not None:
            return earlier, None
        lake.remove_orphans(source.name, sha256)
        with lake.staging_area(sha256) as staging:
            staged = stage(staging)
            entry = lake.publish(
                source=source.name, sha256=sha256, file_name=file_name, staged=staged.months,
                rows=staged.rows, rejected=staged.rejected,
            )  # fmt: skip
    return entry, staged


@dataclass(frozen=True)
class StagedFile(Staged):
    encoding: Encoding | None
    rejects_file: Path | None
    examples: tuple[RejectedRow, ...]


def run_import(
    path: str | Path,
    lake: Lake,
    source: EventSource,
    load: Loader,
    *,
    max_reported: int = MAX_REPORTED,
) -> ImportReport:
    """Import one file into the lake, or do nothing if the same content is already there."""
    started = time.perf_counter()
    path = Path(path)
    sha256 = file_sha256(path)

    def stage(staging: Path) -> StagedFile:
        with duckdb.connect(
            config={"temp_directory": str(staging / "spill"), "preserve_insertion_order": True}
        ) as con:
            encoding = load(con, path, staging)
            [(total, accepted)] = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE reason IS NULL) FROM parsed"
            ).fetchall()
            months = stage_months(con, source, staging)
            rejects_file = None
            if total > accepted:
                rejects_file = lake.rejects / f"{source.name}-{sha256[:HASH_IN_NAME]}.csv"
                write_rejects(con, rejects_file)
            return StagedFile(
                months=months, rows=accepted, rejected=total - accepted, encoding=encoding,
                rejects_file=rejects_file, examples=rejected_examples(con, max_reported),
            )  # fmt: skip

    _, staged = import_once(lake, source, sha256=sha256, file_name=path.name, stage=stage)
    if staged is None:
        return ImportReport(
            source=source.name, file_name=path.name, sha256=sha256, already_imported=True
        )
    return ImportReport(
        source=source.name,
        file_name=path.name,
        sha256=sha256,
        already_imported=False,
        rows_read=staged.rows + staged.rejected,
        imported=staged.rows,
        rejected=staged.rejected,
        encoding=staged.encoding,
        months=tuple(sorted(staged.months)),
        rejected_examples=staged.examples,
        rejects_file=staged.rejects_file,
        seconds=time.perf_counter() - started,
    )
