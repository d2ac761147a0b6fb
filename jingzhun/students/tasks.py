"""Background tasks of the registry. Arguments are primary keys; each task is idempotent."""

from __future__ import annotations

from django_tasks import task

from jingzhun.students.intake import services


@task()
def import_read_task(batch_id: int) -> str:
    return services.import_batch_read(batch_id=batch_id).status


@task()
def import_check_task(batch_id: int) -> str:
    return services.import_batch_check(batch_id=batch_id).status


@task()
def import_apply_task(batch_id: int) -> str:
    return services.import_batch_apply(batch_id=batch_id).status
