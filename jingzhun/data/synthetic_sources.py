"""Synthetic library loans and job-platform activity for the same population as the card data.

Simpler than the card generator: these sources have no known link to hardship in public data,
so their rates vary by student at random. They exist so that the other sources' importers,
features and backends are exercised on realistic volumes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from jingzhun.data.events.lake import Lake
from jingzhun.data.events.schemas import DORM, JOBS, LIBRARY
from jingzhun.data.features.params import DormParams, JobPlatformParams
from jingzhun.data.synthetic import (
    SECONDS_PER_DAY,
    SECONDS_PER_HOUR,
    Population,
    SyntheticParams,
    day_weights,
    write_month_partitions,
)

BOOKS = 50_000
STUDENTS_PER_CHUNK = 20_000


@dataclass(frozen=True)
class SourceRates:
    loans_per_day: float = 0.04
    logins_per_day: float = 0.08
    resume_share: float = 0.08
    application_share: float = 0.25
    """Resume updates and applications relative to logins."""
    opening_hour: float = 8.0
    closing_hour: float = 22.0


def _events(
    rng: np.random.Generator,
    counts: np.ndarray,
    first: int,
    weights: np.ndarray,
    rates: SourceRates,
) -> tuple[np.ndarray, np.ndarray]:
    """(student index, seconds since start) for `counts` events per student."""
    owner = np.repeat(np.arange(counts.size), counts) + first
    day = rng.choice(weights.size, owner.size, p=weights)
    hours = rng.uniform(rates.opening_hour, rates.closing_hour, owner.size)
    return owner, day * SECONDS_PER_DAY + (hours * SECONDS_PER_HOUR).astype(np.int64)


def _timestamps(seconds: np.ndarray, params: SyntheticParams) -> pa.Array:
    return pa.array((np.datetime64(params.start, "s") + seconds).astype("datetime64[us]"))


def write_library_lake(
    lake: Lake,
    population: Population,
    seed: int,
    params: SyntheticParams | None = None,
    rates: SourceRates | None = None,
) -> int:
    """Library loans into the lake; returns the number of rows."""
    params, rates = params or SyntheticParams(), rates or SourceRates()
    weights = day_weights(params)
    ids = pa.array(population.student_ids, pa.string())
    books = pa.array([f"B{n:06d}" for n in range(BOOKS)], pa.string())
    rows = 0
    for first in range(0, len(population), STUDENTS_PER_CHUNK):
        rng = np.random.default_rng([seed, 2, first])
        n = min(STUDENTS_PER_CHUNK, len(population) - first)
        expected = rates.loans_per_day * weights.size * rng.lognormal(0.0, 0.8, n)
        owner, seconds = _events(rng, rng.poisson(expected), first, weights, rates)
        table = pa.table({
            "student_id": ids.take(pa.array(owner)),
            "ts": _timestamps(seconds, params),
            "book_id": books.take(pa.array(rng.integers(0, BOOKS, owner.size))),
        }).cast(LIBRARY.arrow_schema())  # fmt: skip
        write_month_partitions(table, lake, LIBRARY.name, f"synthetic-{seed}-{first:07d}")
        rows += table.num_rows
    return rows


def write_jobs_lake(
    lake: Lake,
    population: Population,
    seed: int,
    params: SyntheticParams | None = None,
    rates: SourceRates | None = None,
    actions: JobPlatformParams | None = None,
) -> int:
    """Job-platform logins, resume updates and applications; returns the number of rows."""
    params, rates, actions = (
        params or SyntheticParams(),
        rates or SourceRates(),
        actions or JobPlatformParams(),
    )
    weights = day_weights(params) * np.linspace(0.2, 1.8, day_weights(params).size)
    weights /= weights.sum()  # activity grows towards graduation
    names = pa.array(
        [actions.login_action, actions.resume_action, actions.application_action], pa.string()
    )
    shares = np.array([1.0, rates.resume_share, rates.application_share])
    ids = pa.array(population.student_ids, pa.string())
    rows = 0
    for first in range(0, len(population), STUDENTS_PER_CHUNK):
        rng = np.random.default_rng([seed, 3, first])
        n = min(STUDENTS_PER_CHUNK, len(population) - first)
        logins = rates.logins_per_day * weights.size * rng.lognormal(0.0, 1.0, n)
        counts = rng.poisson(np.outer(logins, shares))
        owner, seconds = _events(rng, counts.sum(axis=1), first, weights, rates)
        action = np.tile(np.arange(shares.size), n).repeat(counts.ravel())
        table = pa.table({
            "student_id": ids.take(pa.array(owner)),
            "ts": _timestamps(seconds, params),
            "action": names.take(pa.array(action)),
        }).cast(JOBS.arrow_schema())  # fmt: skip
        write_month_partitions(table, lake, JOBS.name, f"synthetic-{seed}-{first:07d}")
        rows += table.num_rows
    return rows


def write_dorm_lake(
    lake: Lake,
    population: Population,
    seed: int,
    params: SyntheticParams | None = None,
    dorm: DormParams | None = None,
) -> int:
    """Dormitory passes: an exit in the morning and an entry in the evening on the days a
    student is on campus; each student has their own chance of coming back after 23:00
    (most rarely, a few often). Returns the number of rows."""
    params, dorm = params or SyntheticParams(), dorm or DormParams()
    weights = day_weights(params)
    ids = pa.array(population.student_ids, pa.string())
    directions = pa.array([dorm.entry_direction, "out"], pa.string())
    gates = pa.array([f"{n}号楼" for n in range(1, 9)], pa.string())
    rows = 0
    for first in range(0, len(population), STUDENTS_PER_CHUNK):
        rng = np.random.default_rng([seed, 4, first])
        n = min(STUDENTS_PER_CHUNK, len(population) - first)
        days_present = rng.poisson(weights.size * 0.6, n).clip(0, weights.size)
        owner = np.repeat(np.arange(n), days_present) + first
        day = rng.choice(weights.size, owner.size, p=weights)
        late_rate = rng.beta(1.0, 12.0, n)[owner - first]
        late = rng.random(owner.size) < late_rate
        evening = np.where(
            late, rng.uniform(23.0, 26.5, owner.size), rng.uniform(17.0, 22.9, owner.size)
        )
        morning = rng.uniform(6.5, 9.0, owner.size)
        seconds = np.concatenate([day * SECONDS_PER_DAY + (evening * SECONDS_PER_HOUR).astype(np.int64),
                                  day * SECONDS_PER_DAY + (morning * SECONDS_PER_HOUR).astype(np.int64)])  # fmt: skip
        who = np.concatenate([owner, owner])
        table = pa.table({
            "student_id": ids.take(pa.array(who)),
            "ts": _timestamps(seconds, params),
            "direction": directions.take(pa.array(np.repeat([0, 1], owner.size))),
            "gate": gates.take(pa.array(rng.integers(0, len(gates), who.size))),
        }).cast(DORM.arrow_schema())  # fmt: skip
        write_month_partitions(table, lake, DORM.name, f"synthetic-{seed}-{first:07d}")
        rows += table.num_rows
    return rows
