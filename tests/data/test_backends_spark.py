"""The same transforms on DuckDB and on Spark (local mode) give the same numbers."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest

from jingzhun.data.backends import connect, spark_session
from jingzhun.data.events import CARD, DORM, JOBS, LIBRARY, Lake, read_events
from jingzhun.data.features import (
    KEYS,
    card_features,
    combine_features,
    dorm_features,
    job_features,
    library_features,
)
from jingzhun.data.periods import TermCalendar
from jingzhun.data.synthetic import SyntheticParams, write_card_lake
from jingzhun.data.synthetic_sources import write_dorm_lake, write_jobs_lake, write_library_lake
from tests.data.conftest import card_table
from tests.data.test_card_features import S1, S2

pytestmark = pytest.mark.spark
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def spark_con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime")
    session = spark_session(warehouse=tmp_path_factory.mktemp("spark-warehouse"))
    yield connect("spark", spark=session)
    session.stop()
    # py4j logs its shutdown after pytest has closed the streams.
    logging.getLogger("py4j").setLevel(logging.WARNING)


@pytest.fixture(scope="module")
def generated_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    lake = Lake.at(tmp_path_factory.mktemp("lake"))
    written = write_card_lake(lake, 40_000, 40, seed=11, params=SyntheticParams(chunk_rows=15_000))
    write_library_lake(lake, written.population, seed=11)
    write_jobs_lake(lake, written.population, seed=11)
    write_dorm_lake(lake, written.population, seed=11)
    return lake


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """Sorted by the keys, numbers as float64 (nullable ints and NaN differ by engine)."""
    frame = frame.sort_values(list(KEYS)).reset_index(drop=True)
    numeric = [c for c in frame.columns if c not in KEYS]
    return frame.astype(dict.fromkeys(numeric, "float64"))


def assert_same(duckdb_frame: pd.DataFrame, spark_frame: pd.DataFrame) -> None:
    assert list(duckdb_frame.columns) == list(spark_frame.columns)
    assert len(duckdb_frame) > 0
    pd.testing.assert_frame_equal(
        normalised(duckdb_frame), normalised(spark_frame), rtol=TOLERANCE, atol=TOLERANCE
    )


def test_hand_computed_table_gives_the_same_features(spark_con: Any) -> None:
    duck = connect("duckdb")
    for calendar in (TermCalendar(), None):
        expr = card_features(card_table([*S1, *S2]), calendar=calendar)
        assert_same(duck.execute(expr), spark_con.execute(expr))


def test_all_sources_from_the_lake_give_the_same_features(
    spark_con: Any, generated_lake: Lake
) -> None:
    def features(con: Any) -> pd.DataFrame:
        calendar = TermCalendar()
        return con.execute(
            combine_features(
                [
                    card_features(read_events(con, generated_lake, CARD), calendar=calendar),
                    library_features(read_events(con, generated_lake, LIBRARY), calendar),
                    job_features(read_events(con, generated_lake, JOBS), calendar=calendar),
                    dorm_features(read_events(con, generated_lake, DORM), calendar=calendar),
                ]
            )
        )

    duck, spark = features(connect("duckdb")), features(spark_con)

    assert len(duck) >= 40 * 4  # four terms per student at least
    assert_same(duck, spark)


def test_the_lake_reads_with_the_same_types(spark_con: Any, generated_lake: Lake) -> None:
    duck = connect("duckdb")
    assert (
        read_events(duck, generated_lake, CARD).schema()
        == read_events(spark_con, generated_lake, CARD).schema()
    )
