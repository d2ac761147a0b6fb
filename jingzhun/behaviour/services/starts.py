"""Start services: check the actor, enqueue the task that executes (start → task → execute)."""

from __future__ import annotations

import datetime as dt

from jingzhun.behaviour import permissions
from jingzhun.behaviour.tasks import behaviour_snapshot_task
from jingzhun.core.tasks import enqueue_on_commit
from jingzhun.org.models import RoleAssignment


def behaviour_snapshot_start(*, actor: RoleAssignment, as_of: dt.date) -> None:
    """Queue the next behaviour snapshot of the actor's institution."""
    permissions.require(permissions.can_manage_behaviour(actor))
    enqueue_on_commit(behaviour_snapshot_task, actor.institution_id, as_of.isoformat(), actor.pk)
