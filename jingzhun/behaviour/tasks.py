"""Background tasks of the behaviour stage. Arguments are primary keys; tasks call the
execute services only (start → task → execute, no import cycle)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from jingzhun.behaviour.services.snapshots import behaviour_snapshot_build
from jingzhun.org.models import Institution, RoleAssignment


@task()
def behaviour_snapshot_task(institution_id: int, as_of: str, actor_id: int | None = None) -> int:
    """Each call writes a new snapshot version (nothing is updated), so a retry costs a
    duplicate version at worst. The actor's permission is checked again when it runs: a role
    withdrawn while the task waited computes nothing."""
    actor = RoleAssignment.objects.select_related("user").get(pk=actor_id) if actor_id else None
    snapshot = behaviour_snapshot_build(
        actor=actor,
        institution=Institution.objects.get(pk=institution_id),
        as_of=dt.date.fromisoformat(as_of),
    )
    return snapshot.version
