"""Start services: check the actor, record what was asked, enqueue the task that executes.

The background tasks call only the execute services (`runs.run_execute`,
`risk_models.risk_model_train`), which never import the tasks; the start services import the
tasks. The graph is start → task → execute, never back. (Behaviour snapshots start in
`jingzhun.behaviour.services.starts`.)
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import (
    job_enqueue,
    subject_requeue,
)
from jingzhun.core.models import AuditLog
from jingzhun.identification import permissions
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import IdentificationRun, ModelTraining
from jingzhun.identification.services.risk_models import TRAIN_JOB, check_office
from jingzhun.identification.services.runs import DEFAULT_CAPACITY, RUN_JOB, capacity_checked
from jingzhun.org.models import RoleAssignment


def run_start(
    *,
    actor: RoleAssignment,
    as_of: dt.date,
    cohort: int | None = None,
    school_id: int | None = None,
    model_capacity: float = DEFAULT_CAPACITY,
) -> IdentificationRun:
    """Record a queued run of the actor's institution; the worker executes it after commit."""
    permissions.require(permissions.can_run(actor))
    run = IdentificationRun.objects.create(
        institution_id=permissions.institution_of(actor),
        cohort=cohort,
        school_id=school_id,
        as_of=as_of,
        started_by=actor.user,
        model_capacity=capacity_checked(model_capacity),
    )
    job_enqueue(kind=RUN_JOB, subject=run)
    return run


def run_retry(*, actor: RoleAssignment, run: IdentificationRun) -> IdentificationRun:
    """Run again a run whose worker stopped (interrupted) or that failed. Executing a run is
    idempotent: a finished run is left alone, an unfinished one has written nothing."""
    permissions.require(permissions.can_run(actor))
    if run.institution_id != permissions.institution_of(actor):
        raise IdentificationRun.DoesNotExist
    if not subject_requeue(run, kind=RUN_JOB):
        raise DomainError(
            IdentificationErrorCode.RUN_NOT_RETRYABLE,
            _("This run is %(status)s: only a failed or interrupted run is run again.")
            % {"status": run.get_status_display()},
        )
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=run, role=actor.role,
              detail={"requested": "retry"})  # fmt: skip
    run.refresh_from_db()
    return run


def risk_model_train_start(*, actor: RoleAssignment, as_of: dt.date) -> ModelTraining:
    """Training takes seconds to minutes: record the request and queue it as a long job; the
    models page follows it and lists both models when they are stored."""
    if actor.institution_id is None:
        raise DomainError(
            IdentificationErrorCode.MODEL_NOT_ALLOWED, _("This role belongs to no institution.")
        )
    check_office(actor, actor.institution_id)
    training = ModelTraining.objects.create(
        institution_id=actor.institution_id, as_of=as_of, requested_by=actor
    )
    job_enqueue(kind=TRAIN_JOB, subject=training)
    return training


def risk_model_training_retry(*, actor: RoleAssignment, training: ModelTraining) -> ModelTraining:
    """Train again a request whose worker stopped (interrupted) or that failed."""
    check_office(actor, training.institution_id)
    if not subject_requeue(training, kind=TRAIN_JOB):
        raise DomainError(
            IdentificationErrorCode.RUN_NOT_RETRYABLE,
            _("Only a failed or interrupted training is run again."),
        )
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=training,
              role=actor.role, detail={"requested": "retry"})  # fmt: skip
    training.refresh_from_db()
    return training
