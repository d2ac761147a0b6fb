"""Term labels: the plain function, and the Ibis expression against it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import ibis
import pandas as pd
import pytest

from jingzhun.data.periods import TermCalendar, term_expr, term_of

CASES = [
    (datetime(2014, 9, 1, 0, 0), TermCalendar(), "2014-2015-1"),
    (datetime(2014, 12, 31, 23, 59), TermCalendar(), "2014-2015-1"),
    (datetime(2015, 1, 31, 23, 59), TermCalendar(), "2014-2015-1"),
    (datetime(2015, 2, 1, 0, 0), TermCalendar(), "2014-2015-2"),
    (datetime(2015, 8, 31, 23, 59), TermCalendar(), "2014-2015-2"),
    (datetime(2015, 2, 15), TermCalendar(spring_start_month=3), "2014-2015-1"),
    (datetime(2015, 8, 15), TermCalendar(autumn_start_month=8), "2015-2016-1"),
]


@pytest.mark.parametrize(("moment", "calendar", "label"), CASES)
def test_term_of(moment: datetime, calendar: TermCalendar, label: str) -> None:
    assert term_of(moment, calendar) == label


@pytest.mark.parametrize(("moment", "calendar", "label"), CASES)
def test_term_expression_agrees(
    duckdb_con: Any, moment: datetime, calendar: TermCalendar, label: str
) -> None:
    table = ibis.memtable(pd.DataFrame({"ts": [pd.Timestamp(moment)]}))
    assert duckdb_con.execute(table.select(term=term_expr(table.ts, calendar)))["term"][0] == label


@pytest.mark.parametrize(("spring", "autumn"), [(9, 2), (2, 2), (1, 9), (2, 13)])
def test_impossible_calendars_fail_loudly(spring: int, autumn: int) -> None:
    with pytest.raises(ValueError, match="spring_start_month"):
        TermCalendar(autumn_start_month=autumn, spring_start_month=spring)
