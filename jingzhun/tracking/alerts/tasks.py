"""Background tasks of alerts. Arguments are primary keys; tasks are idempotent."""

from __future__ import annotations

from django_tasks import task

from jingzhun.core.jobs import job_running
from jingzhun.tracking.alerts.services import CHECK_JOB, alert_checks_execute


@task()
def alert_checks_task(run_id: int) -> str:
    with job_running(CHECK_JOB, run_id) as progress:
        run = alert_checks_execute(run_id=run_id, progress=progress)
        return str(run.day)
