"""Fast multi-row INSERT / upsert for imports, on SQLite and PostgreSQL alike.

Django's bulk_create caps SQLite batches at 999 parameters (about 50 students a statement)
and prepares every value through the field API; for 100,000-row imports that dominates the
run. Here values are plain Python (str, int, Decimal, date, bool, None) already validated by
the caller, sent with executemany; `ON CONFLICT … DO UPDATE` has the same syntax on both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice, repeat
from typing import Any
from uuid import UUID

from django.db import DatabaseError, connection, models
from django.utils import timezone

BATCH_ROWS = 5000
COPY_BLOCK_ROWS = 10_000
# Page cache for a large insert on SQLite (see `write_cache`), in KiB.
WRITE_CACHE_KIB = 256 * 1024


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    return {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not getattr(f, "generated", False)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    }


def _column(model: type[models.Model], attname: str) -> str:
    for f in model._meta.concrete_fields:
        if (f.attname == attname or f.name == attname) and f.column:
            return f.column
    raise KeyError(attname)


def _timestamps(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]


def _now() -> Any:
    """The timestamp of every row of one insert. On SQLite, as the text the datetime adapter
    Django registers with sqlite3 makes of it (`isoformat(" ")`), made once here instead of
    once per row and column: the same text is stored."""
    now = timezone.now()
    return now.isoformat(" ") if connection.vendor == "sqlite" else now


def insert_rows(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    *,
    conflict: Sequence[str] = (),
    update: Sequence[str] = (),
) -> int:
    """Insert rows (missing fields take the model defaults); with `conflict`, update `update`.

    Must run inside the caller's transaction: the statement batches are not atomic alone.
    """
    defaults = _defaults(model)
    stamps = _timestamps(model)
    now = _now()
    values = ((*((defaults | row)[a] for a in defaults), *([now] * len(stamps))) for row in rows)
    return _insert(model, [*defaults, *stamps], values, conflict, update)


def insert_columns(
    model: type[models.Model],
    columns: Mapping[str, Sequence[Any]],
    *,
    constants: Mapping[str, Any] | None = None,
) -> int:
    """`insert_rows` for rows held as columns: equal-length sequences by attname (a numpy
    array's `tolist()`), plus `constants` shared by every row; other fields take the model
    defaults. The rows are zipped in C, so a million of them cost no per-row dicts.

    Must run inside the caller's transaction, like `insert_rows`.
    """
    defaults = _defaults(model)
    stamps = _timestamps(model)
    fixed = defaults | dict(constants or {})
    unknown = sorted({*columns, *fixed} - set(defaults))
    if unknown:
        raise KeyError(f"{model.__name__} has no insertable fields {', '.join(unknown)}")
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError("give at least one column, all of the same length")
    count = lengths.pop()
    if not count:
        return 0
    now = _now()
    if connection.vendor == "postgresql":
        sources = [columns[a] if a in columns else _Constant(fixed[a]) for a in defaults]
        sources += [_Constant(now)] * len(stamps)
        return _copy_columns_postgres(model, [*defaults, *stamps], sources, count)
    values = zip(  # noqa: B905 (lengths checked)
        *(columns[a] if a in columns else repeat(fixed[a]) for a in defaults),
        *(repeat(now) for _ in stamps),
    )
    return _insert(model, [*defaults, *stamps], values, (), ())


def _insert(
    model: type[models.Model],
    attnames: list[str],
    values: Iterable[tuple[Any, ...]],
    conflict: Sequence[str],
    update: Sequence[str],
) -> int:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, a)) for a in attnames)
    on_conflict = ""
    if conflict:
        targets = ", ".join(quote(_column(model, a)) for a in conflict)
        updates = [*update, *(s for s in _timestamps(model) if s == "updated_at")]
        assignments = ", ".join(
            f"{quote(_column(model, a))} = EXCLUDED.{quote(_column(model, a))}" for a in updates
        )
        on_conflict = f" ON CONFLICT ({targets}) DO UPDATE SET {assignments}"
    table = quote(model._meta.db_table)
    if connection.vendor == "postgresql":
        return _copy_postgres(table, columns, on_conflict, values)
    return _executemany(table, columns, len(attnames), on_conflict, values)


def _executemany(
    table: str, columns: str, width: int, on_conflict: str, values: Iterable[tuple[Any, ...]]
) -> int:
    # Identifiers come from model metadata and are quoted; values go as parameters.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * width)}){on_conflict}"
    count = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in values:
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                cursor.executemany(sql, batch)
                count, batch = count + len(batch), []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_postgres(
    table: str, columns: str, on_conflict: str, values: Iterable[tuple[Any, ...]]
) -> int:
    """COPY is an order of magnitude faster than row INSERTs; upserts go through a staging
    table so the same ON CONFLICT clause applies."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        target = table
        if on_conflict:
            target = "jz_bulk_stage"
            raw.execute(
                f"CREATE TEMP TABLE {target} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"
            )
        with raw.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
                count += 1
        if on_conflict:
            raw.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target}{on_conflict}"
            )
            raw.execute(f"DROP TABLE {target}")
    return count


@dataclass(frozen=True)
class _Constant:
    value: Any


def _copy_columns_postgres(
    model: type[models.Model], attnames: list[str], sources: list[Any], count: int
) -> int:
    """COPY rows held as columns, formatted column by column into COPY's text format: a
    constant is formatted once, a column of plain ints by `str` in C, and the rows are joined
    in blocks — a third of the client's time of formatting row by row (`write_row`)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, a)) for a in attnames)
    texts = [
        repeat(_copy_text(s.value), count) if isinstance(s, _Constant) else _copy_texts(s)
        for s in sources
    ]
    rows = zip(*texts)  # noqa: B905 (lengths checked by the caller)
    table = quote(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        while block := list(islice(rows, COPY_BLOCK_ROWS)):
            copy.write("\n".join(map("\t".join, block)) + "\n")
    return count


def _copy_texts(values: Sequence[Any]) -> Iterable[str]:
    if all(type(v) is int for v in values):
        return map(str, values)
    return map(_copy_text, values)


def _copy_text(value: Any) -> str:
    """One value in COPY's text format (PostgreSQL parses it by the column's type)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):  # a str subclass (a Django choice) is stored as its value
        text = str.__str__(value)
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            text = (
                text.replace("\\", "\\\\")
                .replace("\t", "\\t")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
            )
        return text
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"cannot bulk-insert a {type(value).__name__}: {value!r}")


@contextmanager
def write_cache() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes a big insert keeps touching, for
    the duration of the block. With the default 2 MiB, each index page is evicted, written to
    the WAL and read back many times over a million rows. The cache holds memory only: the
    transaction, its atomicity and its durability are unchanged. PostgreSQL: nothing."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
    try:
        _cache_size(-WRITE_CACHE_KIB)
        yield
    except BaseException:
        with suppress(DatabaseError):  # the insert's own error is the one to report
            _cache_size(previous)
        raise
    _cache_size(previous)


def _cache_size(pages_or_kib: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA cache_size = {int(pages_or_kib)}")
