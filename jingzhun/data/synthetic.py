"""Synthetic campus events for tests, demos and benchmarks: seeded, vectorised, streamed.

A population of students carries a hidden `poverty` in [0, 1] from which the subsidy class is
drawn (in the real class shares of the DataCastle data); poorer students eat fewer and cheaper
meals, shop less and top up more often with small amounts. Events are generated for a chunk of
students at a time with numpy and written out before the next chunk, so the size of the output
(hundreds of millions of rows) never has to fit in memory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from jingzhun.data.events.lake import Lake
from jingzhun.data.events.schemas import CARD

SECONDS_PER_DAY = 86_400
SECONDS_PER_HOUR = 3_600
SUBSIDY_CLASSES = (0, 1000, 1500, 2000)
SUBSIDY_SHARES = (0.8567, 0.0681, 0.0427, 0.0325)
"""Shares of the classes in DataCastle's subsidy_train.txt (9325/741/465/354 of 10885)."""
KINDS = ("食堂", "开水", "淋浴", "校车", "超市", "洗衣房", "图书馆", "文印中心", "教务处", "其他")
CANTEEN, SUPERMARKET = 0, 4
DAILY_RATES = np.array([0.8, 1.8, 0.45, 0.4, 0.35, 0.15, 0.12, 0.04, 0.01, 0.05])
"""Events per day of an average student by kind (for the canteen: days with meals)."""
PRESENCE = 0.6
"""Rates are per day on campus; share of calendar days a student is around."""
MEALS_PER_CANTEEN_DAY = 1.9
TOPUP_ROW_FACTOR = 1.02
KIND_HOURS = np.array([12.0, 13.0, 21.0, 12.5, 16.0, 19.0, 14.0, 15.0, 10.0, 14.0])
KIND_HOUR_SPREAD = np.array([0.0, 4.5, 1.0, 3.5, 3.5, 2.0, 3.0, 2.5, 1.5, 3.0])
KIND_MEAN_COST = np.array([0.0, 0.3, 1.2, 1.0, 8.0, 2.5, 1.0, 0.6, 10.0, 3.0])
DAY_OPENS, DAY_CLOSES = 6.0, 22.9
"""Hours outside late-night activity: campus services open and close."""
MEAL_HOURS = np.array([7.25, 11.9, 17.8])
MEAL_SPREAD_HOURS = 0.35
SPEND_CATEGORY = "POS消费"
TOPUP_CATEGORIES = ("卡充值", "圈存转账")
TOPUP_AMOUNTS = np.array([50.0, 100.0, 200.0, 300.0])
PLACES = 900
PLACE_STRIDE = 3
CSV_TIME_FORMAT = "%Y/%m/%d %H:%M:%S"


@dataclass(frozen=True)
class SyntheticParams:
    """The shape of the synthetic campus; the defaults mimic DataCastle's two years."""

    start: dt.date = dt.date(2013, 9, 1)
    end: dt.date = dt.date(2015, 8, 31)
    holiday_presence: float = 0.15
    """Relative chance of an event on a holiday day (students mostly go home)."""
    second_tap_share: float = 0.3
    """Share of meals paid with two taps a few minutes apart (dish, then rice or soup)."""
    second_tap_max_seconds: int = 240
    late_night_max: float = 0.08
    chunk_rows: int = 2_000_000


@dataclass(frozen=True)
class Population:
    student_ids: np.ndarray
    poverty: np.ndarray
    subsidy: np.ndarray

    def __len__(self) -> int:
        return len(self.student_ids)


def make_population(n_students: int, seed: int) -> Population:
    """Students "0".."n-1" with a hidden poverty and a subsidy class that mostly follows it."""
    rng = np.random.default_rng([seed, 0])
    poverty = rng.beta(2.0, 5.0, n_students)
    noisy = poverty + rng.normal(0.0, 0.08, n_students)
    cut = np.quantile(noisy, np.cumsum(SUBSIDY_SHARES)[:-1])
    subsidy = np.asarray(SUBSIDY_CLASSES)[np.searchsorted(cut, noisy)]
    ids = np.arange(n_students).astype(str)
    return Population(student_ids=ids, poverty=poverty, subsidy=subsidy)


def day_weights(params: SyntheticParams) -> np.ndarray:
    """Chance of activity per calendar day: term days 1, holidays `holiday_presence`."""
    days = np.arange(np.datetime64(params.start), np.datetime64(params.end) + 1)
    month = days.astype("datetime64[M]").astype(int) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(int) + 1
    holiday = (month == 8) | ((month == 7) & (day > 10)) | ((month == 1) & (day > 15))
    holiday |= (month == 2) & (day < 25)
    weights = np.where(holiday, params.holiday_presence, 1.0)
    return weights / weights.sum()


def rows_per_student(params: SyntheticParams) -> float:
    """Expected card rows of an average student at scale 1, to size the rates (or the
    population) for a wanted number of rows. Approximate: the output is counted, not assumed."""
    others = DAILY_RATES[CANTEEN + 1 :].sum()
    meals = DAILY_RATES[CANTEEN] * MEALS_PER_CANTEEN_DAY * (1 + params.second_tap_share)
    return float((others + meals) * day_weights(params).size * PRESENCE * TOPUP_ROW_FACTOR)


@dataclass(frozen=True)
class Chunk:
    """Columns of one chunk of card events, sorted by student and time."""

    student: np.ndarray
    seconds: np.ndarray
    kind: np.ndarray
    category: np.ndarray
    place: np.ndarray
    amount: np.ndarray
    balance: np.ndarray


def _student_rates(rng: np.random.Generator, poverty: np.ndarray, scale: float) -> np.ndarray:
    """Per-student daily rates by kind (canteen: days with meals); poorer students eat at the
    canteen less often and shop less."""
    n = poverty.size
    rates = np.tile(DAILY_RATES * scale, (n, 1)) * rng.lognormal(0.0, 0.25, (n, DAILY_RATES.size))
    rates[:, CANTEEN] = np.minimum(rates[:, CANTEEN] * (1.0 - 0.3 * poverty), 1.0)
    rates[:, SUPERMARKET] *= 1.0 - 0.6 * poverty
    return rates


def _meal_slots(
    rng: np.random.Generator, poverty: np.ndarray, owner: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Which meals each canteen day has: breakfast by habit, lunch and dinner skipped more
    often by poorer students. Returns (day row, slot) per meal."""
    n = poverty.size
    chance = np.column_stack([rng.beta(2.0, 3.0, n), 0.95 - 0.3 * poverty, 0.85 - 0.35 * poverty])[
        owner
    ]
    eaten = rng.random(chance.shape) < chance
    day_row, slot = np.nonzero(eaten)
    return day_row, slot


def _times(
    rng: np.random.Generator, kind: np.ndarray, slot: np.ndarray, late: np.ndarray, day: np.ndarray
) -> np.ndarray:
    """Seconds since the start of the period: meals around meal times, others by kind."""
    n = kind.size
    hours = np.clip(rng.normal(KIND_HOURS[kind], KIND_HOUR_SPREAD[kind]), DAY_OPENS, DAY_CLOSES)
    meal = kind == CANTEEN
    hours = np.where(meal, rng.normal(MEAL_HOURS[slot], MEAL_SPREAD_HOURS), hours)
    night = (~meal) & (rng.random(n) < late)
    hours = np.where(night, 23.0 + rng.random(n) * 2.0, hours)
    return day.astype(np.int64) * SECONDS_PER_DAY + (hours * SECONDS_PER_HOUR).astype(np.int64)


def _amounts(rng: np.random.Generator, kind: np.ndarray, meal_cost: np.ndarray) -> np.ndarray:
    mean = np.where(kind == CANTEEN, meal_cost, KIND_MEAN_COST[kind])
    return np.round(rng.gamma(4.0, mean / 4.0) + 0.1, 1)


def _split_meals(
    rng: np.random.Generator, params: SyntheticParams, cols: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Pay part of some meals with a second tap shortly after the first."""
    second = (cols["kind"] == CANTEEN) & (rng.random(cols["kind"].size) < params.second_tap_share)
    share = rng.uniform(0.2, 0.5, second.sum())
    extra = {name: values[second] for name, values in cols.items()}
    extra["seconds"] = extra["seconds"] + rng.integers(
        20, params.second_tap_max_seconds, share.size
    )
    extra["amount"] = np.round(extra["amount"] * share + 0.1, 1)
    cols["amount"] = cols["amount"].copy()
    cols["amount"][second] = np.round(cols["amount"][second] * (1 - share) + 0.1, 1)
    return {name: np.concatenate([cols[name], extra[name]]) for name in cols}


def _topups(
    rng: np.random.Generator,
    students: np.ndarray,
    poverty: np.ndarray,
    spend: np.ndarray,
    weights: np.ndarray,
) -> dict[str, np.ndarray]:
    """Enough top-ups to cover each student's spending; poorer students top up small sums."""
    pick = np.clip((1.0 - poverty) * TOPUP_AMOUNTS.size + rng.normal(0, 0.7, poverty.size), 0, None)
    amount = TOPUP_AMOUNTS[np.minimum(pick.astype(int), TOPUP_AMOUNTS.size - 1)]
    count = np.maximum(1, np.round(spend / amount)).astype(np.int64)
    owner = np.repeat(np.arange(students.size), count)
    day = rng.choice(weights.size, owner.size, p=weights)
    hours = rng.uniform(9.0, 21.0, owner.size)
    return {
        "student": students[owner],
        "seconds": day * SECONDS_PER_DAY + (hours * SECONDS_PER_HOUR).astype(np.int64),
        "kind": np.full(owner.size, -1),
        "category": (rng.random(owner.size) < 0.15).astype(np.int64) + 1,
        "place": np.full(owner.size, -1),
        "amount": amount[owner],
    }


def _balances(student: np.ndarray, signed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Running balance per student (rows sorted by student, time), never below zero."""
    running = np.cumsum(signed)
    starts = np.flatnonzero(np.r_[True, student[1:] != student[:-1]])
    offset = np.repeat(running[starts] - signed[starts], np.diff(np.r_[starts, student.size]))
    running = running - offset
    lowest = np.minimum.reduceat(running, starts)
    floor = np.repeat(
        -np.minimum(lowest, 0) + rng.uniform(5, 50, starts.size),
        np.diff(np.r_[starts, student.size]),
    )
    return np.round(running + floor, 2)


def card_chunk(
    population: Population, first: int, last: int, scale: float, seed: int, params: SyntheticParams
) -> Chunk:
    """Card events of students [first, last) as numpy columns."""
    rng = np.random.default_rng([seed, 1, first])
    poverty = population.poverty[first:last]
    students = np.arange(first, last)
    weights = day_weights(params)
    counts = rng.poisson(_student_rates(rng, poverty, scale) * weights.size * PRESENCE)
    owner = np.repeat(np.repeat(np.arange(students.size), DAILY_RATES.size), counts.ravel())
    kind = np.tile(np.arange(DAILY_RATES.size), students.size).repeat(counts.ravel())
    day = rng.choice(weights.size, owner.size, p=weights)
    slot = np.zeros(owner.size, dtype=np.int64)
    canteen_day = np.flatnonzero(kind == CANTEEN)
    day_row, meal_slot = _meal_slots(rng, poverty, owner[canteen_day])
    keep = np.r_[np.flatnonzero(kind != CANTEEN), canteen_day[day_row]]
    owner, kind, day = owner[keep], kind[keep], day[keep]
    slot = np.r_[slot[: keep.size - meal_slot.size], meal_slot]
    late = rng.uniform(0.0, params.late_night_max, students.size)
    meal_cost = (7.0 - 4.0 * poverty) * rng.lognormal(0.0, 0.12, students.size)
    cols = {
        "student": students[owner],
        "seconds": _times(rng, kind, slot, late[owner], day),
        "kind": kind,
        "category": np.zeros(owner.size, dtype=np.int64),
        "place": rng.integers(0, PLACES, owner.size) + kind * PLACE_STRIDE,
        "amount": _amounts(rng, kind, meal_cost[owner]),
    }
    cols = _split_meals(rng, params, cols)
    spend = np.bincount(cols["student"] - first, weights=cols["amount"], minlength=students.size)
    tops = _topups(rng, students, poverty, spend, weights)
    cols = {name: np.concatenate([cols[name], tops[name]]) for name in cols}
    order = np.lexsort((cols["seconds"], cols["student"]))
    cols = {name: values[order] for name, values in cols.items()}
    signed = np.where(cols["category"] > 0, cols["amount"], -cols["amount"])
    return Chunk(balance=_balances(cols["student"], signed, rng), **cols)


def card_chunks(
    population: Population, rows: int, seed: int, params: SyntheticParams | None = None
) -> Iterator[Chunk]:
    """About `rows` card events for the population, in chunks of about `chunk_rows`."""
    params = params or SyntheticParams()
    per_student = rows / len(population)
    scale = per_student / rows_per_student(params)
    step = max(1, int(params.chunk_rows / per_student))
    for first in range(0, len(population), step):
        yield card_chunk(population, first, min(first + step, len(population)), scale, seed, params)


def chunk_table(chunk: Chunk, population: Population, params: SyntheticParams) -> pa.Table:
    """The chunk in the lake's normalised card schema."""
    start = np.datetime64(params.start, "s")
    kinds = pa.array(KINDS, pa.string())
    categories = pa.array((SPEND_CATEGORY, *TOPUP_CATEGORIES), pa.string())
    places = pa.array([f"地点{n}" for n in range(PLACES + len(KINDS) * PLACE_STRIDE)], pa.string())
    ids = pa.array(population.student_ids, pa.string())
    no_kind = chunk.kind < 0
    return pa.table(
        {
            "student_id": ids.take(pa.array(chunk.student)),
            "category": categories.take(pa.array(chunk.category)),
            "place": places.take(pa.array(np.where(no_kind, 0, chunk.place), mask=no_kind)),
            "kind": kinds.take(pa.array(np.where(no_kind, 0, chunk.kind), mask=no_kind)),
            "ts": pa.array((start + chunk.seconds).astype("datetime64[us]")),
            "amount": pa.array(chunk.amount, pa.float64()),
            "balance": pa.array(chunk.balance, pa.float64()),
        }
    ).cast(CARD.arrow_schema())


def write_month_partitions(table: pa.Table, lake: Lake, source: str, name: str) -> int:
    """Split a chunk by month into the lake's partitions; returns the number of files."""
    months = table["ts"].to_numpy().astype("datetime64[M]")
    order = np.argsort(months, kind="stable")
    table, months = table.take(pa.array(order)), months[order]
    labels, starts = np.unique(months, return_index=True)
    ends = np.r_[starts[1:], months.size]
    for label, start, end in zip(labels, starts, ends, strict=True):
        target = lake.partition_dir(source, str(label)) / f"part-{name}.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table.slice(start, end - start), target)
    return len(labels)


@dataclass(frozen=True)
class Written:
    rows: int
    files: int
    population: Population


def write_card_lake(
    lake: Lake,
    rows: int,
    n_students: int,
    seed: int,
    params: SyntheticParams | None = None,
    population: Population | None = None,
) -> Written:
    """Synthetic card events into the lake layout, one file per chunk and month; the
    students are `population` (e.g. a registry's, with their hardship) or made up."""
    params = params or SyntheticParams()
    population = population or make_population(n_students, seed)
    written = files = 0
    for number, chunk in enumerate(card_chunks(population, rows, seed, params)):
        table = chunk_table(chunk, population, params)
        files += write_month_partitions(table, lake, CARD.name, f"synthetic-{seed}-{number:05d}")
        written += table.num_rows
    return Written(rows=written, files=files, population=population)


def write_datacastle_csv(
    path: Path, rows: int, n_students: int, seed: int, params: SyntheticParams | None = None
) -> Written:
    """Synthetic card events in the DataCastle export format (headerless, unquoted)."""
    params = params or SyntheticParams()
    population = make_population(n_students, seed)
    options = pacsv.WriteOptions(include_header=False, quoting_style="none")
    written = 0
    with path.open("wb") as sink:
        for chunk in card_chunks(population, rows, seed, params):
            table = chunk_table(chunk, population, params)
            seconds = table["ts"].cast(pa.timestamp("s"))
            table = table.set_column(4, "ts", pc.strftime(seconds, format=CSV_TIME_FORMAT))
            pacsv.write_csv(table, sink, options)
            written += table.num_rows
    return Written(rows=written, files=1, population=population)


def write_subsidy_labels(path: Path, population: Population) -> None:
    """`id,subsidy` lines without header, like DataCastle's subsidy_train.txt."""
    lines = (f"{i},{s}\n" for i, s in zip(population.student_ids, population.subsidy, strict=True))
    path.write_text("".join(lines), encoding="utf-8")
