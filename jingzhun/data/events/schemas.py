"""The event sources of the lake and their normalised columns.

Every source is stored with the same small vocabulary of column types so that one importer
(string fields in, typed columns out) and one reader serve all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pyarrow as pa

ColumnType = Literal["string", "timestamp", "float64"]

ARROW_TYPES: dict[ColumnType, pa.DataType] = {
    "string": pa.string(),
    "timestamp": pa.timestamp("us"),
    "float64": pa.float64(),
}
TIME_COLUMN = "ts"
ID_COLUMN = "student_id"


@dataclass(frozen=True)
class EventSource:
    """A kind of event file: its lake partition name and normalised columns.

    `required` columns reject a row when empty or unparsable; other columns become NULL when
    empty (a card row without 消费方式 is still a real transaction).
    """

    name: str
    columns: tuple[tuple[str, ColumnType], ...]
    required: tuple[str, ...] = (ID_COLUMN, TIME_COLUMN)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)

    def arrow_schema(self) -> pa.Schema:
        return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in self.columns])

    def column_type(self, name: str) -> ColumnType:
        return dict(self.columns)[name]


CARD = EventSource(
    name="card",
    columns=(
        (ID_COLUMN, "string"),
        ("category", "string"),
        ("place", "string"),
        ("kind", "string"),
        (TIME_COLUMN, "timestamp"),
        ("amount", "float64"),
        ("balance", "float64"),
    ),
)
"""Campus-card transactions: category 消费类别, place 消费地点, kind 消费方式 as in the file."""

LIBRARY = EventSource(
    name="library",
    columns=((ID_COLUMN, "string"), (TIME_COLUMN, "timestamp"), ("book_id", "string")),
)
"""Library loans: one row per book borrowed."""

JOBS = EventSource(
    name="jobs",
    columns=((ID_COLUMN, "string"), (TIME_COLUMN, "timestamp"), ("action", "string")),
    required=(ID_COLUMN, TIME_COLUMN, "action"),
)
"""Job-platform activity: login, resume_update, application (see JobPlatformParams)."""

DORM = EventSource(
    name="dorm",
    columns=(
        (ID_COLUMN, "string"),
        (TIME_COLUMN, "timestamp"),
        ("direction", "string"),
        ("gate", "string"),
    ),
    required=(ID_COLUMN, TIME_COLUMN, "direction"),
)
"""Dormitory access control: one row per pass, direction in/out (see DormParams), the gate."""

SOURCES: dict[str, EventSource] = {source.name: source for source in (CARD, LIBRARY, JOBS, DORM)}


def source_named(name: str) -> EventSource:
    try:
        return SOURCES[name]
    except KeyError:
        raise ValueError(f"unknown event source {name!r}; known: {sorted(SOURCES)}") from None
