"""Background tasks of identification. Arguments are primary keys; tasks are idempotent."""

from __future__ import annotations

from django_tasks import task

from jingzhun.identification import services


@task()
def identification_run_task(run_id: int) -> str:
    return services.run_execute(run_id=run_id).status
