"""Routing many plans' items at once, set-based: the same actions, assignees, history and
department routes as `actions.actions_create_for_plan` plan by plan, in a few statements.

Balance: the per-plan path reads each member's open caseload of the measure afresh for every
plan, so it sees the actions routed just before. Here the caseloads are read once and kept
running in memory while the batch is assigned in the same order (plan id, then item order),
which gives the same assignees without a query per action. The departments are locked for the
batch (`lock_departments`), so no approval routes into them meanwhile with stale loads.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from jingzhun.assistance.models import Action, ActionEvent, AssistancePlan, PlanItem, PlanVersion
from jingzhun.assistance.services.actions import (
    ROUTE_SOURCE,
    department_for,
    department_members,
    lock_departments,
)
from jingzhun.assistance.transitions import ACTION_OPEN
from jingzhun.core.bulk import insert_columns, write_cache
from jingzhun.org.models import User
from jingzhun.org.services import department_routes_open_many

CHUNK = 2000


@dataclass(frozen=True)
class _Item:
    pk: int
    plan_id: int
    student_id: int
    measure_id: int
    measure_name: str
    department_kind: str
    deadline_days: int


def _items(plan_ids: Sequence[int]) -> list[_Item]:
    """The items to route of a chunk of sorted plan ids: each plan's approved version, else
    its newest (a set-based first approval routes the draft's only version). Plans that
    already have actions are left out. Rows are read by id range (cheaper than a long IN
    list) and kept when they belong to the chunk."""
    wanted = set(plan_ids)
    low, high = plan_ids[0], plan_ids[-1]
    routed = set(
        Action.objects.filter(plan_id__gte=low, plan_id__lte=high).values_list("plan_id", flat=True)
    )
    newest: dict[int, int] = {}
    for plan_id, version_id in (
        PlanVersion.objects.filter(plan_id__gte=low, plan_id__lte=high).order_by("plan_id", "number")
        .values_list("plan_id", "pk")
    ):  # fmt: skip
        newest[plan_id] = version_id
    chosen = {
        plan_id: approved or newest[plan_id]
        for plan_id, approved in AssistancePlan.objects.filter(pk__gte=low, pk__lte=high)
        .values_list("pk", "approved_version_id")
        if plan_id in wanted and plan_id not in routed and (approved or plan_id in newest)
    }  # fmt: skip
    rows = (
        PlanItem.objects.filter(version__plan_id__gte=low, version__plan_id__lte=high)
        .order_by("version__plan_id", "order", "pk")
        .values_list("pk", "version__plan_id", "version__plan__student_id", "measure_id",
                     "measure__name", "department_kind", "deadline_days", "version_id")
    )  # fmt: skip
    return [_Item(*row[:7]) for row in rows if chosen.get(row[1]) == row[7]]


def _departments(institution_ids: Iterable[int], kinds: set[str]) -> dict[tuple[int, str], int]:
    return {
        (institution_id, kind): department_for(institution_id=institution_id, kind=kind).pk
        for institution_id in institution_ids
        for kind in kinds
    }


def _loads(members: dict[int, list[int]], measure_ids: set[int]) -> Counter[tuple[int, int]]:
    """Open actions per (member, measure), as `actions.open_caseload` counts them."""
    users = {u for ids in members.values() for u in ids}
    rows = (
        Action.objects.filter(assignee_id__in=users, measure_id__in=measure_ids, status__in=ACTION_OPEN)
        .values_list("assignee_id", "measure_id").annotate(n=Count("pk")).order_by()
    )  # fmt: skip
    return Counter({(user_id, measure_id): n for user_id, measure_id, n in rows})


def actions_route_many(*, plan_ids: Iterable[int], by: User) -> int:
    """One routed action per item of each plan's routed version, for plans not routed yet
    (re-running routes nothing twice). Returns the number of actions created."""
    ids = sorted(set(plan_ids))
    with transaction.atomic(), write_cache():
        items = [
            item
            for start in range(0, len(ids), CHUNK)
            for item in _items(ids[start : start + CHUNK])
        ]
        if not items:
            return 0
        institution_of = _institutions(ids)
        department_of = _departments(
            set(institution_of.values()), {i.department_kind for i in items}
        )
        lock_departments(department_of.values())
        members = {d: department_members(d) for d in set(department_of.values())}
        load = _loads(members, {i.measure_id for i in items})
        today = timezone.localdate()
        assignees: list[int | None] = []
        department_ids: list[int] = []
        for item in items:
            department_id = department_of[(institution_of[item.plan_id], item.department_kind)]
            assignee = _least_loaded(members[department_id], load, item.measure_id)
            if assignee is not None:
                load[(assignee, item.measure_id)] += 1
            assignees.append(assignee)
            department_ids.append(department_id)
        insert_columns(Action, {
            "plan_id": [i.plan_id for i in items], "item_id": [i.pk for i in items],
            "student_id": [i.student_id for i in items], "measure_id": [i.measure_id for i in items],
            "department_id": department_ids, "assignee_id": assignees,
            "due_date": [today + dt.timedelta(days=i.deadline_days) for i in items],
        }, constants={"status": Action.Status.TODO})  # fmt: skip
        _write_events(items, department_ids, by=by)
    return len(items)


def _institutions(plan_ids: Sequence[int]) -> dict[int, int]:
    """Plan id → institution id, for the sorted `plan_ids`."""
    return dict(
        AssistancePlan.objects.filter(pk__gte=plan_ids[0], pk__lte=plan_ids[-1])
        .values_list("pk", "student__institution_id")
    )  # fmt: skip


def _least_loaded(
    members: list[int], load: Counter[tuple[int, int]], measure_id: int
) -> int | None:
    """`actions.lowest_caseload` over the running load: fewest open, ties to the first."""
    best, best_load = None, 0
    for user_id in members:
        n = load[(user_id, measure_id)]
        if best is None or n < best_load:
            best, best_load = user_id, n
    return best


def _write_events(items: list[_Item], department_ids: list[int], *, by: User) -> None:
    """Each new action's first history event and its department route."""
    item_ids = sorted(i.pk for i in items)
    action_of: dict[int, int] = {}
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start : start + CHUNK]
        action_of.update(Action.objects.filter(item_id__gte=chunk[0], item_id__lte=chunk[-1])
                         .values_list("item_id", "pk"))  # fmt: skip
    action_ids = [action_of[i.pk] for i in items]
    insert_columns(ActionEvent, {"action_id": action_ids, "note": [i.measure_name for i in items]},
                   constants={"actor_id": by.pk, "from_status": "", "to_status": Action.Status.TODO})  # fmt: skip
    department_routes_open_many(
        source=ROUTE_SOURCE,
        routes=zip(department_ids, (i.student_id for i in items), action_ids, strict=True),
    )
