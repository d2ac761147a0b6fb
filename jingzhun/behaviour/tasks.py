"""Background tasks of the behaviour stage. Arguments are primary keys; tasks call the
execute services only (start → task → execute, no import cycle)."""

from __future__ import annotations

from django_tasks import task

from jingzhun.behaviour.services.builds import BUILD_JOB, behaviour_build_execute
from jingzhun.core.jobs import job_running


@task()
def behaviour_build_task(build_id: int) -> str:
    """Computes the requested snapshot once: a finished request is left alone, and a build
    writes only in its final transaction, so a retry never stores a half snapshot."""
    with job_running(BUILD_JOB, build_id) as progress:
        return behaviour_build_execute(build_id=build_id, progress=progress).status
