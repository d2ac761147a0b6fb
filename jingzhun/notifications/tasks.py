"""Background tasks of the notifications app."""

from __future__ import annotations

from django_tasks import task

from jingzhun.notifications.delivery import deliveries_send


@task()
def deliveries_send_task(delivery_ids: list[int] | None = None) -> dict[str, int]:
    """Send the given deliveries, or every due one (the periodic `send_notifications`)."""
    return deliveries_send(ids=delivery_ids)
