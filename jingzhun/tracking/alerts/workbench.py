"""What alerts ask of a person now, as counts with the filtered list (the workbench, in
analytics, a later layer, shows them next to the earlier stages' to-dos)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from jingzhun.org.models import RoleAssignment
from jingzhun.tracking.alerts import checks, permissions
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.alerts.services import alert_queryset


@dataclass(frozen=True)
class Todo:
    label: str
    value: int
    url: str


def alert_todos(actor: RoleAssignment | None) -> list[Todo]:
    """Open alerts owned by the actor, per kind (one query); none when there are none."""
    if not permissions.can_read_alerts(actor):
        return []
    assert actor is not None
    rows = (
        alert_queryset(actor=actor).filter(state=Alert.State.OPEN, owner_id=actor.user_id)
        .values("kind").annotate(n=Count("pk")).order_by("kind")
    )  # fmt: skip
    base = reverse("tracking:alert-list")
    return [
        Todo(_("Alerts: %(kind)s") % {"kind": checks.kind_of(row["kind"]).label}, row["n"],
             f"{base}?{urlencode({'kind': row['kind'], 'owner': 'me', 'state': 'open'})}")
        for row in rows if row["kind"] in checks.KINDS
    ]  # fmt: skip
