"""Scoped reads of alerts: the list with its filters and counts, the latest check run."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from jingzhun.core.jobs import latest_job
from jingzhun.core.models import Job
from jingzhun.org.models import RoleAssignment
from jingzhun.tracking.alerts.models import Alert, AlertCheckRun
from jingzhun.tracking.alerts.services import CHECK_JOB, alert_queryset

UNCLOSED, ALL_STATES = "", "all"
MINE = "me"


@dataclass(frozen=True)
class AlertFilters:
    kind: str = ""
    severity: int | None = None
    state: str = UNCLOSED
    school: int | None = None
    owner: str = ""  # "me", or a user id as text


def _filtered(qs: QuerySet[Alert], f: AlertFilters, *, actor: RoleAssignment) -> QuerySet[Alert]:
    if f.state == UNCLOSED:
        qs = qs.exclude(state=Alert.State.CLOSED)
    elif f.state != ALL_STATES:
        qs = qs.filter(state=f.state)
    if f.severity:
        qs = qs.filter(severity=f.severity)
    if f.school:
        qs = qs.filter(student__school_id=f.school)
    if f.owner == MINE:
        qs = qs.filter(owner_id=actor.user_id)
    elif f.owner.isdigit():
        qs = qs.filter(owner_id=int(f.owner))
    return qs


def alert_list(*, actor: RoleAssignment, filters: AlertFilters) -> QuerySet[Alert]:
    qs = _filtered(alert_queryset(actor=actor), filters, actor=actor)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    return qs.select_related("student__school", "student__class_group", "owner").order_by(
        "severity", "-opened_at", "pk"
    )


def alert_counts_by_kind(*, actor: RoleAssignment, filters: AlertFilters) -> dict[str, int]:
    """Alerts per kind under every filter but the kind (the tabs above the list)."""
    qs = _filtered(alert_queryset(actor=actor), filters, actor=actor)
    return {row["kind"]: row["n"] for row in qs.values("kind").annotate(n=Count("pk")).order_by()}


def latest_check() -> tuple[AlertCheckRun | None, Job | None]:
    run = AlertCheckRun.objects.order_by("-day").first()
    return run, (latest_job(run, kind=CHECK_JOB) if run else None)
