"""Readers for the DataCastle label files: subsidies and ranks in college.

The competition files have no header (`subsidy_train.txt`: ``id,subsidy``;
`score_train.txt`: ``id,college_id,rank_in_college``); copies made for samples sometimes
have one. A first line whose first field is not a number is taken as a header.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ID = "student_id"
SUBSIDY = "subsidy"
RANK_PCT = "rank_pct"


def _has_header(path: Path) -> bool:
    with path.open(encoding="utf-8-sig") as handle:
        first = handle.readline().split(",")[0].strip()
    return not first.lstrip("-").isdigit()


def _read(path: str | Path, names: list[str]) -> pd.DataFrame:
    path = Path(path)
    frame = pd.read_csv(
        path,
        header=None,
        names=names,
        skiprows=1 if _has_header(path) else 0,
        dtype={ID: str},
        encoding="utf-8-sig",
    )
    return frame.dropna(subset=[ID]).drop_duplicates(subset=[ID], keep="last")


def read_subsidies(path: str | Path) -> pd.Series:
    """Subsidy (yuan) per student id, as int."""
    frame = _read(path, [ID, SUBSIDY])
    return frame.set_index(ID)[SUBSIDY].astype(int)


def read_rank_pct(path: str | Path) -> pd.Series:
    """Rank in college divided by the largest rank of that college: 0 is the top of the
    college, 1 the bottom, comparable across colleges of different sizes."""
    frame = _read(path, [ID, "college_id", "rank_in_college"])
    largest = frame.groupby("college_id")["rank_in_college"].transform("max")
    return (frame["rank_in_college"] / largest).set_axis(frame[ID]).rename(RANK_PCT)
