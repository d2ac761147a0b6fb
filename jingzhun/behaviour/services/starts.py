"""Start services: check the actor, record what was asked, enqueue the job that executes
(start → task → execute)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from jingzhun.behaviour import permissions
from jingzhun.behaviour.errors import BehaviourErrorCode
from jingzhun.behaviour.models import BehaviourBuild
from jingzhun.behaviour.services.builds import BUILD_JOB
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import (
    job_enqueue,
    subject_requeue,
)
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment


def behaviour_snapshot_start(*, actor: RoleAssignment, as_of: dt.date) -> BehaviourBuild:
    """Record a request for the next behaviour snapshot of the actor's institution and queue
    its computation (a long job the snapshot page follows)."""
    permissions.require(permissions.can_manage_behaviour(actor))
    institution_id = actor.institution_id
    assert institution_id is not None  # the permission table requires one
    with transaction.atomic():
        build = BehaviourBuild.objects.create(
            institution_id=institution_id, as_of=as_of, requested_by=actor
        )
        job_enqueue(kind=BUILD_JOB, subject=build)
    return build


def behaviour_build_retry(*, actor: RoleAssignment, build: BehaviourBuild) -> BehaviourBuild:
    """Compute again a request whose worker stopped (interrupted) or that failed. A build
    writes its snapshot in one transaction at its end, so one that died wrote nothing."""
    permissions.require(permissions.can_manage_behaviour(actor))
    permissions.require_institution(actor, build.institution_id)
    with transaction.atomic():
        if not subject_requeue(build, kind=BUILD_JOB):
            raise DomainError(
                BehaviourErrorCode.NOT_RETRYABLE,
                _("Only a failed or interrupted computation is run again."),
            )
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=build,
                  role=actor.role, detail={"requested": "retry"})  # fmt: skip
    build.refresh_from_db()
    return build
