"""Open a source of the lake as an Ibis table on DuckDB or Spark, with the normalised types."""

from __future__ import annotations

import ibis.expr.types as ir
from ibis.backends import BaseBackend

from jingzhun.data.backends import backend_of
from jingzhun.data.events.lake import Lake
from jingzhun.data.events.schemas import EventSource, source_named

IBIS_TYPES = {"string": "string", "timestamp": "timestamp", "float64": "float64"}


def read_events(con: BaseBackend, lake: Lake, source: EventSource | str) -> ir.Table:
    """All events of `source`, every import and month, typed the same on both engines.

    The month partition column is dropped: features derive their own periods from `ts`.
    """
    source = source_named(source) if isinstance(source, str) else source
    lake.require_files(source.name)
    if backend_of(con) == "duckdb":
        pattern = lake.source_dir(source.name) / "month=*" / "*.parquet"
        table = con.read_parquet(str(pattern), hive_partitioning=False)  # type: ignore[attr-defined]
    else:
        table = con.read_parquet(str(lake.source_dir(source.name)))  # type: ignore[attr-defined]
    return table.select(
        **{name: table[name].cast(IBIS_TYPES[kind]) for name, kind in source.columns}
    )
