"""Per-student card features from a large synthetic lake: DuckDB, a pandas baseline, Spark.

    python benchmarks/features.py [--rows 100000000] [--baseline-rows 10000000] [--no-spark]

Generates (once) synthetic card events in the lake layout under the system temp folder,
keyed by rows and seed, so later runs reuse them; then times the Ibis feature pipeline per
student per term on DuckDB over --rows, and on --baseline-rows both DuckDB and an idiomatic
pandas group-by implementation of the same features (checked equal to DuckDB's) for the
ratio, and Spark local mode for reference. Spark's start-up is timed apart from the query.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jingzhun.data.backends import connect
from jingzhun.data.events import CARD, Lake, read_events
from jingzhun.data.features import KEYS, CardFeatureParams, card_features
from jingzhun.data.features.card import FEN_DIGITS
from jingzhun.data.periods import TermCalendar
from jingzhun.data.synthetic import write_card_lake

ROWS_PER_STUDENT = 1_100
"""About what DataCastle's real students have over two years (12M rows, 10.9k students)."""
COMPLETE_MARKER = "_complete"
TOLERANCE = 1e-9


def cached_lake(rows: int, seed: int) -> Lake:
    """The synthetic lake of `rows` rows, generated on first use and reused afterwards."""
    root = Path(tempfile.gettempdir()) / "jingzhun-bench-card" / f"rows={rows}-seed={seed}"
    if (root / COMPLETE_MARKER).exists():
        return Lake(root)
    shutil.rmtree(root, ignore_errors=True)
    started = time.perf_counter()
    written = write_card_lake(Lake.at(root), rows, max(1, rows // ROWS_PER_STUDENT), seed)
    (root / COMPLETE_MARKER).write_text(str(written.rows))
    print(f"generated {written.rows:,} rows in {written.files} files "
          f"in {time.perf_counter() - started:.0f} s → {root}")  # fmt: skip
    return Lake(root)


def lake_rows(lake: Lake) -> int:
    return int((lake.root / COMPLETE_MARKER).read_text())


def duckdb_features(lake: Lake, calendar: TermCalendar) -> pd.DataFrame:
    con = connect("duckdb")
    frame = con.execute(card_features(read_events(con, lake, CARD), calendar=calendar))
    con.disconnect()
    return frame


def spark_features(lake: Lake, calendar: TermCalendar) -> tuple[float, float, pd.DataFrame]:
    started = time.perf_counter()
    con = connect("spark")
    ready = time.perf_counter()
    frame = con.execute(card_features(read_events(con, lake, CARD), calendar=calendar))
    done = time.perf_counter()
    con._session.stop()  # type: ignore[attr-defined]
    return ready - started, done - ready, frame


# The pandas baseline: the same definitions written the way a pandas user would.


def pandas_terms(ts: pd.Series, calendar: TermCalendar) -> pd.Series:
    year, month = ts.dt.year, ts.dt.month
    start = np.where(month >= calendar.autumn_start_month, year, year - 1)
    spring = (month >= calendar.spring_start_month) & (month < calendar.autumn_start_month)
    labels = pd.Series(start).astype(str) + "-" + pd.Series(start + 1).astype(str)
    return labels + np.where(spring, "-2", "-1")


def pandas_features(lake: Lake, params: CardFeatureParams, calendar: TermCalendar) -> pd.DataFrame:
    df = (
        ds.dataset([str(p) for p in lake.part_files(CARD.name)], format="parquet")
        .to_table(columns=["student_id", "category", "kind", "ts", "amount"])
        .to_pandas(strings_to_categorical=True)
    )
    df["period"] = pandas_terms(df["ts"], calendar).astype("category").to_numpy()
    df["day"] = df["ts"].dt.normalize()
    hour = df["ts"].dt.hour
    spend = df["category"].isin(params.spend_categories) & (df["amount"] > 0)
    topup = df["category"].isin(params.topup_categories)
    late = (hour >= params.late_night_start_hour) | (hour < params.late_night_end_hour)
    df["late"] = late.astype(int)
    df["spend"] = df["amount"].where(spend, 0.0)
    df["supermarket"] = df["spend"].where(df["kind"] == params.supermarket_kind, 0.0)
    df["shower"] = df["spend"].where(df["kind"] == params.shower_kind, 0.0)
    df["topup"] = topup.astype(int)
    df["topup_amount"] = df["amount"].where(topup, 0.0)
    df["library"] = (df["kind"] == params.library_kind).astype(int)
    keys = list(KEYS)
    days = df.groupby([*keys, "day"], observed=True).agg(
        transactions=("amount", "size"), late=("late", "sum"), spend=("spend", "sum"),
        supermarket=("supermarket", "sum"), shower=("shower", "sum"), topups=("topup", "sum"),
        topup_amount=("topup_amount", "sum"), library=("library", "sum"),
    ).reset_index()  # fmt: skip
    grouped = days.groupby(keys, observed=True)
    agg = grouped.agg(
        active_days=("day", "size"), first=("day", "min"), last=("day", "max"),
        transactions=("transactions", "sum"), late=("late", "sum"), spend_mean=("spend", "mean"),
        spend_std=("spend", "std"), supermarket=("supermarket", "sum"), shower=("shower", "sum"),
        topups=("topups", "sum"), topup_amount=("topup_amount", "sum"), library=("library", "sum"),
    )  # fmt: skip
    span = (agg["last"] - agg["first"]).dt.days + 1
    window = params.rate_window_days
    out = pd.DataFrame(index=agg.index)
    out["active_days"], out["span_days"] = agg["active_days"], span
    out["supermarket_spend_per_day"] = agg["supermarket"] / agg["active_days"]
    out["shower_spend_per_day"] = agg["shower"] / agg["active_days"]
    out["topups_per_window"] = agg["topups"] * window / span
    out["topup_mean"] = (agg["topup_amount"] / agg["topups"]).where(agg["topups"] > 0)
    out["daily_spend_mean"] = agg["spend_mean"]
    out["spend_volatility"] = (agg["spend_std"] / agg["spend_mean"]).where(agg["spend_mean"] != 0)
    out["late_night_share"] = agg["late"] / agg["transactions"]
    out["library_entries_per_window"] = agg["library"] * window / span
    meals = pandas_meals(df[spend & (df["kind"] == params.canteen_kind)], params)
    out = out.join(meals, how="left")
    out[["meals", "canteen_days"]] = out[["meals", "canteen_days"]].fillna(0)
    out["no_canteen_days"] = out["span_days"] - out["canteen_days"]
    return out.reset_index()


def pandas_meals(taps: pd.DataFrame, params: CardFeatureParams) -> pd.DataFrame:
    keys = list(KEYS)
    taps = taps.sort_values([*keys, "ts"])
    same = (taps["student_id"] == taps["student_id"].shift()) & (
        taps["period"] == taps["period"].shift()
    )
    gap = taps["ts"].diff().dt.total_seconds()
    meal_no = (~same | (gap > params.meal_gap_seconds)).cumsum()
    meals = taps.groupby(meal_no.to_numpy()).agg(
        student_id=("student_id", "first"), period=("period", "first"),
        start=("ts", "first"), cost=("amount", "sum"),
    )  # fmt: skip
    meals["cost"] = meals["cost"].round(FEN_DIGITS)
    hour = meals["start"].dt.hour
    meals["day"] = meals["start"].dt.normalize()
    meals["breakfast"] = (hour >= params.breakfast_start_hour) & (hour < params.breakfast_end_hour)
    meals["cheap"] = meals["cost"] < params.cheap_meal_yuan
    by_day = meals.groupby([*keys, "day"], observed=True)["breakfast"].max().reset_index()
    days = by_day.groupby(keys, observed=True).agg(
        canteen_days=("day", "size"), breakfast_days=("breakfast", "sum")
    )
    stats = meals.groupby(keys, observed=True).agg(
        meals=("cost", "size"), meal_cost_mean=("cost", "mean"),
        meal_cost_median=("cost", "median"), cheap=("cheap", "sum"),
    )  # fmt: skip
    out = stats.join(days)
    out["meals_per_day"] = out["meals"] / out["canteen_days"]
    out["cheap_meal_share"] = out["cheap"] / out["meals"]
    out["breakfast_share"] = out["breakfast_days"] / out["canteen_days"]
    return out.drop(columns=["cheap", "breakfast_days"])


def same_features(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    """Equal per student and term on the columns both have, to the tolerance."""
    columns = [c for c in left.columns if c in right.columns and c not in KEYS]

    def ordered(frame: pd.DataFrame) -> pd.DataFrame:
        keys = {key: frame[key].astype(str) for key in KEYS}
        return frame.assign(**keys).sort_values(list(KEYS)).reset_index(drop=True)

    a, b = ordered(left), ordered(right)
    if len(a) != len(b) or not a[list(KEYS)].equals(b[list(KEYS)]):
        return False
    x, y = a[columns].astype(float).to_numpy(), b[columns].astype(float).to_numpy()
    return bool(np.allclose(x, y, rtol=TOLERANCE, atol=TOLERANCE, equal_nan=True))


@dataclass
class Timing:
    seconds: float
    rows: int

    @property
    def rate(self) -> float:
        return self.rows / self.seconds


def timed(fn, *args):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark reference run")
    args = parser.parse_args()
    calendar, params = TermCalendar(), CardFeatureParams()

    big, small = cached_lake(args.rows, args.seed), cached_lake(args.baseline_rows, args.seed)
    seconds, frame = timed(duckdb_features, big, calendar)
    main_run = Timing(seconds, lake_rows(big))
    print(f"DuckDB   {main_run.rows:>13,} rows  {seconds:7.1f} s  {main_run.rate:>12,.0f} rows/s  "
          f"({len(frame):,} student-terms)")  # fmt: skip

    duck_s, duck_frame = timed(duckdb_features, small, calendar)
    pandas_s, pandas_frame = timed(pandas_features, small, params, calendar)
    duck, pand = Timing(duck_s, lake_rows(small)), Timing(pandas_s, lake_rows(small))
    print(f"DuckDB   {duck.rows:>13,} rows  {duck.seconds:7.1f} s  {duck.rate:>12,.0f} rows/s")
    print(f"pandas   {pand.rows:>13,} rows  {pand.seconds:7.1f} s  {pand.rate:>12,.0f} rows/s  "
          f"(same features as DuckDB: {'yes' if same_features(duck_frame, pandas_frame) else 'NO'})")  # fmt: skip
    print(f"ratio    DuckDB is {pand.seconds / duck.seconds:.1f}x faster than pandas on "
          f"{duck.rows:,} rows ({main_run.rate / pand.rate:.1f}x by rows/s at --rows)")  # fmt: skip
    if not args.no_spark:
        startup, query, spark_frame = spark_features(small, calendar)
        same = same_features(duck_frame, spark_frame)
        print(f"Spark    {duck.rows:>13,} rows  {query:7.1f} s  {duck.rows / query:>12,.0f} rows/s  "
              f"(local[2]; start-up {startup:.0f} s apart; same as DuckDB: {'yes' if same else 'NO'})")  # fmt: skip


if __name__ == "__main__":
    main()
