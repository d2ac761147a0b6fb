"""Execute a requested snapshot computation (what the task calls): idempotent, so a retried
or recovered job finds a finished request and does nothing."""

from __future__ import annotations

import logging

from jingzhun.behaviour.models import BehaviourBuild
from jingzhun.behaviour.services.snapshots import behaviour_snapshot_build
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress

logger = logging.getLogger(__name__)

BUILD_JOB = "behaviour.build"  # its long job (jingzhun.core.jobs), registered in apps.py


def behaviour_build_execute(*, build_id: int, progress: Progress | None = None) -> BehaviourBuild:
    build = BehaviourBuild.objects.select_related("institution", "requested_by__user").get(
        pk=build_id
    )
    if build.status == BehaviourBuild.Status.FINISHED:
        return build
    BehaviourBuild.objects.filter(pk=build.pk).update(
        status=BehaviourBuild.Status.RUNNING, failure=""
    )
    try:
        snapshot = behaviour_snapshot_build(
            actor=build.requested_by, institution=build.institution, as_of=build.as_of,
            progress=progress,
        )  # fmt: skip
    except DomainError as exc:  # refused (no card data, role withdrawn): say why, no retry
        BehaviourBuild.objects.filter(pk=build.pk).update(
            status=BehaviourBuild.Status.FAILED, failure=str(exc.message)[:300]
        )
    except Exception as exc:
        logger.exception("Behaviour build %s failed", build.pk)
        BehaviourBuild.objects.filter(pk=build.pk).update(
            status=BehaviourBuild.Status.FAILED, failure=f"{type(exc).__name__}: {exc}"[:300]
        )
        raise
    else:
        BehaviourBuild.objects.filter(pk=build.pk).update(
            status=BehaviourBuild.Status.FINISHED, snapshot=snapshot
        )
    build.refresh_from_db()
    return build
