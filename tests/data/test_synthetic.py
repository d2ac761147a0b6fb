"""The synthetic generator: seeded, chunked, in the lake layout and the DataCastle format,
and with the relation to hardship that the model is meant to find."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq

from jingzhun.data.events import CARD, Lake, import_datacastle_card, read_events
from jingzhun.data.features import card_features
from jingzhun.data.synthetic import (
    SyntheticParams,
    make_population,
    write_card_lake,
    write_datacastle_csv,
    write_subsidy_labels,
)
from jingzhun.data.synthetic_sources import write_jobs_lake, write_library_lake

SMALL_CHUNKS = SyntheticParams(chunk_rows=20_000)


def test_the_same_seed_gives_the_same_events(tmp_path: Path) -> None:
    first = write_datacastle_csv(tmp_path / "a.csv", 20_000, 40, seed=5)
    second = write_datacastle_csv(tmp_path / "b.csv", 20_000, 40, seed=5)
    other = write_datacastle_csv(tmp_path / "c.csv", 20_000, 40, seed=6)

    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()
    assert (tmp_path / "a.csv").read_bytes() != (tmp_path / "c.csv").read_bytes()
    assert np.array_equal(first.population.subsidy, second.population.subsidy)
    assert other.rows > 0


def test_the_lake_is_written_in_chunks_and_months(tmp_path: Path) -> None:
    lake = Lake.at(tmp_path / "lake")

    written = write_card_lake(lake, 60_000, 60, seed=1, params=SMALL_CHUNKS)

    files = lake.part_files("card")
    assert len(files) == written.files
    assert abs(written.rows - 60_000) < 6_000
    assert sum(pq.read_metadata(f).num_rows for f in files) == written.rows
    assert len({f.parent.name for f in files}) == 24  # 2013-09 .. 2015-08
    assert len({f.name for f in files}) > 1  # several chunks
    assert pq.read_schema(files[0]) == CARD.arrow_schema()


def test_the_datacastle_csv_imports_without_rejects(tmp_path: Path) -> None:
    written = write_datacastle_csv(tmp_path / "card.csv", 20_000, 20, seed=3)

    report = import_datacastle_card(tmp_path / "card.csv", Lake.at(tmp_path / "lake"))

    assert (report.imported, report.rejected) == (written.rows, 0)


def test_poorer_students_eat_cheaper_and_top_up_smaller_sums(
    tmp_path: Path, duckdb_con: Any
) -> None:
    lake = Lake.at(tmp_path / "lake")
    written = write_card_lake(lake, 200_000, 400, seed=2)
    features = duckdb_con.execute(card_features(read_events(duckdb_con, lake, CARD)))
    poverty = dict(zip(written.population.student_ids, written.population.poverty, strict=True))
    features["poverty"] = features["student_id"].map(poverty)

    correlation = features[["poverty", "meal_cost_mean", "topup_mean"]].corr()["poverty"]

    assert correlation["meal_cost_mean"] < -0.5
    assert correlation["topup_mean"] < -0.3


def test_other_sources_and_labels_follow_the_population(tmp_path: Path, duckdb_con: Any) -> None:
    lake = Lake.at(tmp_path / "lake")
    population = make_population(50, seed=4)

    loans = write_library_lake(lake, population, seed=4)
    activity = write_jobs_lake(lake, population, seed=4)
    write_subsidy_labels(tmp_path / "subsidy.txt", population)

    ids = set(population.student_ids)
    for source, rows in (("library", loans), ("jobs", activity)):
        table = read_events(duckdb_con, lake, source)
        assert duckdb_con.execute(table.count()) == rows > 0
        assert set(duckdb_con.execute(table.student_id.name("id"))) <= ids
    labels = (tmp_path / "subsidy.txt").read_text().splitlines()
    assert len(labels) == 50
    assert {line.split(",")[1] for line in labels} <= {"0", "1000", "1500", "2000"}
