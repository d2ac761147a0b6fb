"""Job-platform activity features per student per period."""

from __future__ import annotations

import ibis.expr.types as ir

from jingzhun.data.features.card import KEYS, flag
from jingzhun.data.features.params import JobPlatformParams
from jingzhun.data.periods import TermCalendar, period_code_expr, period_label_expr

JOB_FEATURES: dict[str, str] = {
    "job_logins": "logins to the job platform",
    "job_resume_updates": "resume updates",
    "job_applications": "applications sent",
    "job_active_days": "days with any job-platform activity",
}


def job_features(
    activity: ir.Table,
    params: JobPlatformParams | None = None,
    calendar: TermCalendar | None = None,
) -> ir.Table:
    """Counts per action from normalised job-platform events (student_id, ts, action)."""
    params = params or JobPlatformParams()
    t = activity.mutate(period=period_code_expr(activity.ts, calendar), day=activity.ts.date())
    agg = t.group_by(list(KEYS)).aggregate(
        job_logins=flag(t.action == params.login_action).sum(),
        job_resume_updates=flag(t.action == params.resume_action).sum(),
        job_applications=flag(t.action == params.application_action).sum(),
        job_active_days=t.day.nunique(),
    )
    return agg.select(
        student_id=agg.student_id,
        period=period_label_expr(agg.period, calendar),
        **{name: agg[name].cast("int64") for name in JOB_FEATURES},
    )
