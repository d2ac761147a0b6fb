"""Small-group suppression for pages that leave the institution (the provincial overview).

The rule, in two steps:

1. **Primary**: every count below `THRESHOLD` (0 to 4 students) is shown as "<5". Zero is
   suppressed too: shown as 0 it would tell how many of the "<5" cells hold someone, and a
   row whose total is known with three "<5" cells of at least one each can pin them.
2. **Complementary**: a reader knows the page's additive identities (`Equation`: a total is
   the sum of its parts, e.g. the students in difficulty are the sum of the levels, and of
   the institutions) and that a primary cell lies in 0–4 and a complementary one is at least 5.
   From those facts `exposed` computes, by interval propagation, the range each hidden cell
   can still take. While a primary cell is pinned to one value, the smallest visible part of
   an equation through a pinned cell is hidden as well (shown as "—"); a total is hidden only
   when its equation has no visible part left.

The equations the overview declares form a tree (every pair of equations shares at most one
count and there are no cycles), where interval propagation gives the exact range over the
reals; a page that declared a cyclic system (row *and* column totals of one table) would need
a linear program instead, so the provincial page shows no column totals. See
docs/adr/0004-provincial-small-group-suppression.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

THRESHOLD = 5
_UNBOUNDED = 10**15


class Hidden(StrEnum):
    PRIMARY = "primary"  # under the threshold: shown as "<5"
    COMPLEMENTARY = "complementary"  # at least the threshold, hidden to protect another


@dataclass(frozen=True)
class Equation:
    """`total` = sum of `parts`, as a reader of the page can work out."""

    total: str
    parts: tuple[str, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.total, *self.parts)


Bounds = dict[str, tuple[int, int]]


def exposed(
    values: Mapping[str, int], hidden: Mapping[str, Hidden], equations: Sequence[Equation]
) -> Bounds:
    """The range of every count as a reader can narrow it down from what is shown."""
    bounds: Bounds = {}
    for key, value in values.items():
        kind = hidden.get(key)
        if kind is Hidden.PRIMARY:
            bounds[key] = (0, THRESHOLD - 1)
        elif kind is Hidden.COMPLEMENTARY:
            bounds[key] = (THRESHOLD, _UNBOUNDED)
        else:
            bounds[key] = (value, value)
    for _pass in range(100):  # converges in a few passes on a tree; the cap is a guard
        changed = [_narrow(bounds, eq) for eq in equations]  # every one, no short cut
        if not any(changed):
            break
    return bounds


def _narrow(bounds: Bounds, equation: Equation) -> bool:
    changed = False
    parts = [bounds[p] for p in equation.parts]
    low_sum, high_sum = sum(lo for lo, _ in parts), sum(hi for _, hi in parts)
    t_lo, t_hi = bounds[equation.total]
    new_total = (max(t_lo, low_sum), min(t_hi, high_sum))
    if new_total != (t_lo, t_hi):
        bounds[equation.total], changed = new_total, True
    t_lo, t_hi = new_total
    for key, (lo, hi) in zip(equation.parts, parts, strict=True):
        others_lo, others_hi = low_sum - lo, high_sum - hi
        narrowed = (max(lo, t_lo - others_hi), min(hi, t_hi - others_lo))
        if narrowed != bounds[key]:
            bounds[key], changed = narrowed, True
    return changed


def suppress(values: Mapping[str, int], equations: Iterable[Equation]) -> dict[str, Hidden]:
    """Which counts to hide, and why; every key an equation names must be in `values`."""
    eqs = list(equations)
    hidden = {k: Hidden.PRIMARY for k, v in values.items() if v < THRESHOLD}
    while True:
        bounds = exposed(values, hidden, eqs)
        # An empty range (the row sums written as identities overstate a row whose students
        # have two types) counts as pinned: hiding one more count is the safe side.
        pinned = {k for k in hidden if bounds[k][0] >= bounds[k][1]}
        if not any(hidden[k] is Hidden.PRIMARY for k in pinned):
            return hidden
        extra = _complement(values, hidden, [eq for eq in eqs if pinned & set(eq.keys)])
        if extra is None:  # nothing left to hide around it: hide every count of those equations
            extra_keys = {k for eq in eqs if pinned & set(eq.keys) for k in eq.keys} - set(hidden)
            if not extra_keys:
                return hidden
            hidden |= dict.fromkeys(extra_keys, Hidden.COMPLEMENTARY)
            continue
        hidden[extra] = Hidden.COMPLEMENTARY


def _complement(
    values: Mapping[str, int], hidden: Mapping[str, Hidden], equations: list[Equation]
) -> str | None:
    """The smallest visible part of these equations, else a visible total."""
    parts = {p for eq in equations for p in eq.parts if p not in hidden}
    if parts:
        return min(parts, key=lambda k: (values[k], k))
    totals = {eq.total for eq in equations if eq.total not in hidden}
    return min(totals, key=lambda k: (values[k], k)) if totals else None


def shown(value: int, kind: Hidden | None) -> str:
    """What the page prints for a count."""
    if kind is Hidden.PRIMARY:
        return f"<{THRESHOLD}"
    if kind is Hidden.COMPLEMENTARY:
        return "—"
    return f"{value:,}"
