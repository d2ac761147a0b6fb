"""Background tasks of jobs. Arguments are primary keys; tasks call the execute services only."""

from __future__ import annotations

from django_tasks import task

from jingzhun.core.jobs import job_running
from jingzhun.jobs.runs import RECOMMEND_JOB, recommendation_run_execute


@task()
def recommendation_run_task(run_id: int) -> str:
    """Computes the requested recommendations once: a finished run is left alone, and the rows
    are replaced in one transaction, so a retry never leaves half of them."""
    with job_running(RECOMMEND_JOB, run_id) as progress:
        return recommendation_run_execute(run_id=run_id, progress=progress).status
