"""The safe .xlsx writer: what a cell holds, read back from the file."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.test import override_settings
from python_calamine import CalamineWorkbook

from jingzhun.core.excel import xlsx_export


def _cells(data: bytes) -> list[list[Any]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@override_settings(TIME_ZONE="Asia/Shanghai")
def test_a_moment_is_written_in_the_local_time_the_pages_show() -> None:
    stored = dt.datetime(2026, 12, 5, 17, 28, tzinfo=dt.UTC)
    naive = dt.datetime(2026, 12, 5, 9, 0)
    rows = _cells(xlsx_export(["申请时间", "其他"], [(stored, naive)]))
    assert rows[1] == ["2026-12-06 01:28", "2026-12-05 09:00"]


def test_a_formula_stays_text() -> None:
    rows = _cells(xlsx_export(["备注"], [("=1+1",)]))
    assert rows[1] == ["=1+1"]
