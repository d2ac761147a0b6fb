"""Background task of batch work. The argument is a primary key; the task is idempotent."""

from __future__ import annotations

from django_tasks import task

from jingzhun.core.jobs import job_running
from jingzhun.tracking.batches.services import BATCH_JOB, batch_execute


@task()
def batch_operation_task(operation_id: int) -> str:
    with job_running(BATCH_JOB, operation_id) as progress:
        return batch_execute(operation_id=operation_id, progress=progress).status
