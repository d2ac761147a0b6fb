"""The placement rate (毕业去向落实率), pure: MOE's formula over counts.

rate = (employed + self-employed + freelance + further study) / graduates of the cohort.
`selectors.placement_counts` does the counting in the database, grouped by one dimension;
this module turns counts into rows and the total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PLACED_CATEGORIES = frozenset({"employed", "self_employed", "freelance", "further_study"})


@dataclass(frozen=True)
class RateRow:
    key: str
    label: str
    graduates: int
    placed: int
    by_category: Mapping[str, int]

    @property
    def rate(self) -> float | None:
        """Placed / graduates as a fraction; None for an empty group."""
        return self.placed / self.graduates if self.graduates else None

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate * 100:.1f}%"


def rate_rows(
    counts: Iterable[tuple[str, str, str | None, int]],
) -> list[RateRow]:
    """Rows from (key, label, category or None for no destination, graduates), grouped by key
    in first-seen order."""
    groups: dict[str, dict[str, int]] = {}
    labels: dict[str, str] = {}
    for key, label, category, n in counts:
        labels.setdefault(key, label)
        bucket = groups.setdefault(key, {})
        name = category or "none"
        bucket[name] = bucket.get(name, 0) + n
    return [
        RateRow(
            key=key,
            label=labels[key],
            graduates=sum(bucket.values()),
            placed=sum(n for c, n in bucket.items() if c in PLACED_CATEGORIES),
            by_category=dict(bucket),
        )
        for key, bucket in groups.items()
    ]


def total(rows: Iterable[RateRow], *, key: str = "total", label: str = "") -> RateRow:
    """The sum of rows that partition the cohort (not of overlapping groups such as types)."""
    merged: dict[str, int] = {}
    for row in rows:
        for category, n in row.by_category.items():
            merged[category] = merged.get(category, 0) + n
    return RateRow(key=key, label=label, graduates=sum(merged.values()),
                   placed=sum(n for c, n in merged.items() if c in PLACED_CATEGORIES),
                   by_category=merged)  # fmt: skip
