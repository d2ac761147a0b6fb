"""Fast multi-row INSERT / upsert for imports, on SQLite and PostgreSQL alike.

Django's bulk_create caps SQLite batches at 999 parameters (about 50 students a statement)
and prepares every value through the field API; for 100,000-row imports that dominates the
run. Here values are plain Python (str, int, Decimal, date, bool, None) already validated by
the caller, sent with executemany; `ON CONFLICT … DO UPDATE` has the same syntax on both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

BATCH_ROWS = 5000


def _defaults(model: type[models.Model]) -> dict[str, Any]:
    return {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key
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
    attnames = [*defaults, *stamps]
    now = timezone.now()
    values = ((*((defaults | row)[a] for a in defaults), *([now] * len(stamps))) for row in rows)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, a)) for a in attnames)
    on_conflict = ""
    if conflict:
        targets = ", ".join(quote(_column(model, a)) for a in conflict)
        updates = [*update, *(s for s in stamps if s == "updated_at")]
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
