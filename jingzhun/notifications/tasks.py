"""Background tasks of the notifications app."""

from __future__ import annotations

from django_tasks import task

from jingzhun.notifications.delivery import deliveries_send
from jingzhun.notifications.services import notifications_prune


@task()
def deliveries_send_task(delivery_ids: list[int] | None = None) -> dict[str, int]:
    """Send the given deliveries, or every due one (the periodic `send_notifications`)."""
    return deliveries_send(ids=delivery_ids)


@task()
def notifications_prune_task(read_days: int) -> int:
    """Delete notifications read more than `read_days` ago (`send_notifications --prune`)."""
    return notifications_prune(read_days=read_days)
