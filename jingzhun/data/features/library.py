"""Library-loan features per student per period."""

from __future__ import annotations

import ibis.expr.types as ir

from jingzhun.data.features.card import KEYS
from jingzhun.data.periods import TermCalendar, period_code_expr, period_label_expr

LIBRARY_FEATURES: dict[str, str] = {
    "library_loans": "books borrowed",
    "library_distinct_books": "distinct books borrowed",
    "library_loan_days": "days with a loan",
}


def library_features(loans: ir.Table, calendar: TermCalendar | None = None) -> ir.Table:
    """Counts of loans from normalised library events (student_id, ts, book_id)."""
    t = loans.mutate(period=period_code_expr(loans.ts, calendar), day=loans.ts.date())
    agg = t.group_by(list(KEYS)).aggregate(
        library_loans=t.count(),
        library_distinct_books=t.book_id.nunique(),
        library_loan_days=t.day.nunique(),
    )
    return agg.select(
        student_id=agg.student_id,
        period=period_label_expr(agg.period, calendar),
        **{name: agg[name].cast("int64") for name in LIBRARY_FEATURES},
    )
