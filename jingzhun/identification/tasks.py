"""Background tasks of identification. Arguments are primary keys; tasks are idempotent.

Tasks call the execute services only (never the package `services`, whose start services
enqueue these tasks): start → task → execute, no cycle."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from jingzhun.core.jobs import job_running
from jingzhun.identification.services.risk_models import risk_model_train
from jingzhun.identification.services.runs import RUN_JOB, run_execute
from jingzhun.org.models import Institution, RoleAssignment


@task()
def identification_run_task(run_id: int) -> str:
    with job_running(RUN_JOB, run_id) as progress:
        return run_execute(run_id=run_id, progress=progress).status


@task()
def risk_model_train_task(institution_id: int, as_of: str, actor_id: int | None = None) -> str:
    """Each call trains a new candidate model (nothing changes until one is approved), so a
    retried task costs a duplicate candidate at worst, never a changed run."""
    actor = RoleAssignment.objects.select_related("user").get(pk=actor_id) if actor_id else None
    model = risk_model_train(
        actor=actor,
        institution=Institution.objects.get(pk=institution_id),
        as_of=dt.date.fromisoformat(as_of),
    )
    return model.version
