"""Dormitory access features on a hand-made table with exact expected values."""

from __future__ import annotations

import datetime as dt

import ibis
import pyarrow as pa

from jingzhun.data.backends import connect
from jingzhun.data.events import DORM
from jingzhun.data.features import DormParams, dorm_features
from jingzhun.data.periods import TermCalendar


def passes(rows: list[tuple[str, str, str]]) -> ibis.Table:
    table = pa.table({
        "student_id": [r[0] for r in rows], "ts": [dt.datetime.fromisoformat(r[1]) for r in rows],
        "direction": [r[2] for r in rows], "gate": ["3号楼"] * len(rows),
    }).cast(DORM.arrow_schema())  # fmt: skip
    return ibis.memtable(table)


ROWS = [
    ("s1", "2025-10-08 07:30:00", "out"), ("s1", "2025-10-08 22:59:59", "in"),  # in time
    ("s1", "2025-10-09 23:00:00", "in"),  # late: the window starts at 23:00
    ("s1", "2025-10-10 01:15:00", "in"),  # late, after midnight
    ("s1", "2025-10-10 05:00:00", "in"),  # 05:00 is no longer late
    ("s1", "2026-03-02 23:30:00", "out"),  # an exit is never a late return
    ("s2", "2026-03-02 18:00:00", "in"),
]  # fmt: skip


def test_counts_entries_late_returns_and_days_per_term():
    frame = connect("duckdb").execute(dorm_features(passes(ROWS), calendar=TermCalendar()))
    got = {(r.student_id, r.period): (r.dorm_entries, r.dorm_late_entries, r.dorm_days)
           for r in frame.itertuples()}  # fmt: skip
    assert got == {
        ("s1", "2025-2026-1"): (4, 2, 3),
        ("s1", "2025-2026-2"): (0, 0, 1),
        ("s2", "2025-2026-2"): (1, 0, 1),
    }


def test_the_late_window_and_spelling_are_parameters():
    params = DormParams(entry_direction="进", late_start_hour=22, late_end_hour=6)
    rows = [
        ("s1", "2025-10-08 22:10:00", "进"),
        ("s1", "2025-10-09 05:30:00", "进"),
        ("s1", "2025-10-09 21:00:00", "in"),
    ]
    frame = connect("duckdb").execute(dorm_features(passes(rows), params))
    assert (
        frame.loc[0, "period"],
        frame.loc[0, "dorm_entries"],
        frame.loc[0, "dorm_late_entries"],
    ) == ("all", 2, 2)
