"""Join per-source feature tables into one row per student and period."""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from jingzhun.data.features.card import KEYS


def combine_features(tables: Sequence[ir.Table]) -> ir.Table:
    """Outer-join feature tables on the keys: a student seen by one source only keeps a row,
    with NULL for the other sources' features (missing, not zero)."""
    if not tables:
        raise ValueError("no feature tables to combine")
    combined = tables[0]
    for table in tables[1:]:
        # Self-references keep Ibis from merging this join into the chain of an input
        # that is itself a projection of a join (it then rejects the predicates).
        left, right = combined.view(), table.view()
        joined = left.outer_join(right, [left[k] == right[k] for k in KEYS], rname="{name}__r")
        keys = {key: ibis.coalesce(joined[key], joined[f"{key}__r"]) for key in KEYS}
        others = [c for c in joined.columns if c not in KEYS and not c.endswith("__r")]
        combined = joined.select(**keys, **{c: joined[c] for c in others})
    return combined
