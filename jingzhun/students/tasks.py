"""Background tasks of the registry. Arguments are primary keys; each task is idempotent."""

from __future__ import annotations

from django_tasks import task

from jingzhun.core.jobs import job_running
from jingzhun.students.intake import services


@task()
def import_read_task(batch_id: int) -> str:
    with job_running(services.READ_JOB, batch_id) as progress:
        progress.step(services.READ_STEP)
        return services.import_batch_read(batch_id=batch_id).status


@task()
def import_check_task(batch_id: int) -> str:
    with job_running(services.CHECK_JOB, batch_id) as progress:
        return services.import_batch_check(batch_id=batch_id, progress=progress).status


@task()
def import_apply_task(batch_id: int) -> str:
    with job_running(services.APPLY_JOB, batch_id) as progress:
        return services.import_batch_apply(batch_id=batch_id, progress=progress).status
