"""Dormitory access features per student per period: how often a student comes back late."""

from __future__ import annotations

import ibis.expr.types as ir

from jingzhun.data.features.card import KEYS, flag, in_hour_window
from jingzhun.data.features.params import DormParams
from jingzhun.data.periods import TermCalendar, period_code_expr, period_label_expr

DORM_FEATURES: dict[str, str] = {
    "dorm_entries": "entries into the dormitory",
    "dorm_late_entries": "entries in the late-night window (late returns)",
    "dorm_days": "days with any dormitory pass",
}


def dorm_features(
    passes: ir.Table, params: DormParams | None = None, calendar: TermCalendar | None = None
) -> ir.Table:
    """Counts from normalised dormitory events (student_id, ts, direction, gate)."""
    params = params or DormParams()
    t = passes.mutate(period=period_code_expr(passes.ts, calendar), day=passes.ts.date())
    entry = t.direction == params.entry_direction
    late = in_hour_window(t.ts.hour(), params.late_start_hour, params.late_end_hour)
    agg = t.group_by(list(KEYS)).aggregate(
        dorm_entries=flag(entry).sum(),
        dorm_late_entries=flag(entry & late).sum(),
        dorm_days=t.day.nunique(),
    )
    return agg.select(
        student_id=agg.student_id,
        period=period_label_expr(agg.period, calendar),
        **{name: agg[name].cast("int64") for name in DORM_FEATURES},
    )
