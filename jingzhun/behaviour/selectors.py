"""Reading behaviour snapshots: the ones an actor may see, the newest one of an institution,
its hidden-hardship candidates and its rows as a frame. Identification pulls the last two
(its feature snapshot and its runs' economic signals); behaviour never imports identification."""

from __future__ import annotations

import pandas as pd
from django.db.models import Exists, OuterRef, QuerySet

from jingzhun.behaviour import permissions
from jingzhun.behaviour.models import BehaviourBuild
from jingzhun.core.jobs import attach_jobs
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import BehaviourFeatures, BehaviourSnapshot, Student

# The query lives with the registry (the student profile reads it too); re-exported here.
from jingzhun.students.selectors import behaviour_latest as behaviour_latest

ROW_COLUMNS = ["student_id", "term", "hardship_score", "hardship_reasons"]
LIST_LIMIT = 20


def behaviour_snapshot_list(*, actor: RoleAssignment) -> list[BehaviourSnapshot]:
    """The newest snapshots of the actor's institution; none for a role that may not see
    them (snapshots describe family-finance data of the whole institution)."""
    institution_id = actor.institution_id
    if not permissions.can_manage_behaviour(actor) or institution_id is None:
        return []
    snapshots = BehaviourSnapshot.objects.filter(institution_id=institution_id)
    return list(snapshots.order_by("-version")[:LIST_LIMIT])


def behaviour_build_queryset(*, actor: RoleAssignment) -> QuerySet[BehaviourBuild]:
    if not permissions.can_manage_behaviour(actor) or actor.institution_id is None:
        return BehaviourBuild.objects.none()
    return BehaviourBuild.objects.filter(institution_id=actor.institution_id)


def behaviour_builds_open(*, actor: RoleAssignment) -> list[BehaviourBuild]:
    """Requested computations not finished yet (waiting, running, failed or interrupted) since
    the last one that finished, each
    with its newest job (`job`) and whether its worker stopped (`interrupted`)."""
    from jingzhun.behaviour.services.builds import BUILD_JOB

    finished_later = BehaviourBuild.objects.filter(
        institution_id=OuterRef("institution_id"),
        status=BehaviourBuild.Status.FINISHED,
        created_at__gt=OuterRef("created_at"),
    )
    unfinished = (  # a failure that a later computation made good is history
        behaviour_build_queryset(actor=actor)
        .exclude(status=BehaviourBuild.Status.FINISHED)
        .exclude(Exists(finished_later))
    )
    builds = list(unfinished.select_related("requested_by__user")[:LIST_LIMIT])
    return attach_jobs(builds, kind=BUILD_JOB)


def hardship_candidates(snapshot: BehaviourSnapshot | None) -> pd.DataFrame:
    """The snapshot's explained hidden-hardship candidates: student_id, score, reasons."""
    columns = ["student_id", "hardship_score", "hardship_reasons"]
    if snapshot is None:
        return pd.DataFrame(columns=columns)
    rows = BehaviourFeatures.objects.filter(snapshot=snapshot).exclude(hardship_reasons="")
    return pd.DataFrame(list(rows.order_by().values_list(*columns)), columns=columns)


def behaviour_frame(
    snapshot: BehaviourSnapshot | None, population: QuerySet[Student] | None = None
) -> pd.DataFrame:
    """The snapshot's rows: ROW_COLUMNS, then one float column per feature it stored.

    `population`: only the rows of these students, filtered in SQL (a subquery, so only the
    rows needed are read and JSON-decoded); None: every row of the snapshot."""
    if snapshot is None:
        return pd.DataFrame(columns=ROW_COLUMNS)
    rows = BehaviourFeatures.objects.filter(snapshot=snapshot).order_by()
    if population is not None:
        rows = rows.filter(student__in=population)
    data = list(rows.values_list(*ROW_COLUMNS[:2], "values", *ROW_COLUMNS[2:]).iterator())
    if not data:
        return pd.DataFrame(columns=ROW_COLUMNS + [c["name"] for c in snapshot.columns])
    frame = pd.DataFrame(data, columns=[*ROW_COLUMNS[:2], "values", *ROW_COLUMNS[2:]])
    values = pd.DataFrame(frame.pop("values").tolist(), index=frame.index).astype(float)
    return pd.concat([frame, values], axis=1)
