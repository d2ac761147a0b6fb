"""Fixtures of the data-platform tests: tiny card tables, files in the DataCastle format."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pytest

from jingzhun.data.events.lake import Lake
from jingzhun.data.events.schemas import CARD


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: runs on PySpark local mode (slow start-up)")


CardRow = tuple[str, str | None, str | None, str | None, str, float | None, float | None]


def card_table(rows: Sequence[CardRow]) -> ir.Table:
    """Normalised card events from (student, category, place, kind, time, amount, balance)."""
    frame = pd.DataFrame(list(rows), columns=list(CARD.column_names))
    frame["ts"] = pd.to_datetime(frame["ts"])
    frame["amount"] = frame["amount"].astype(float)
    frame["balance"] = frame["balance"].astype(float)
    return ibis.memtable(
        frame,
        schema=ibis.schema(
            dict(
                zip(
                    CARD.column_names,
                    ["string", "string", "string", "string", "timestamp", "float64", "float64"],
                    strict=True,
                )
            )
        ),
    )


def datacastle_line(
    student: str, category: str, kind: str, moment: datetime, amount: float, place: str = "地点1"
) -> str:
    return f"{student},{category},{place},{kind},{moment:%Y/%m/%d %H:%M:%S},{amount},100.0"


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake.at(tmp_path / "lake")


@pytest.fixture(scope="module")
def duckdb_con() -> Iterator[Any]:
    con = ibis.duckdb.connect()
    yield con
    con.disconnect()
