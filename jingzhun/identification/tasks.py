"""Background tasks of identification. Arguments are primary keys; tasks are idempotent.

Tasks call the execute services only (never the package `services`, whose start services
enqueue these tasks): start → task → execute, no cycle."""

from __future__ import annotations

from django_tasks import task

from jingzhun.core.jobs import job_running
from jingzhun.identification.services.risk_models import TRAIN_JOB, risk_model_training_execute
from jingzhun.identification.services.runs import RUN_JOB, run_execute


@task()
def identification_run_task(run_id: int) -> str:
    with job_running(RUN_JOB, run_id) as progress:
        return run_execute(run_id=run_id, progress=progress).status


@task()
def risk_model_training_task(training_id: int) -> str:
    """Trains what the request asked once: a finished request is left alone, and the models
    are stored in one transaction at the end, so a retry never leaves half a training."""
    with job_running(TRAIN_JOB, training_id) as progress:
        return risk_model_training_execute(training_id=training_id, progress=progress).status
