"""Reads of the in-app list: a user only ever sees their own notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from jingzhun.core.http import MAX_ID
from jingzhun.notifications.models import Notification
from jingzhun.org.models import User


def notification_list(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def notification_get(*, user: User, pk: int) -> Notification | None:
    """One of the user's notifications; None for another user's, exactly like a missing one."""
    if not 1 <= pk <= MAX_ID:
        return None
    return Notification.objects.filter(recipient=user, pk=pk).first()


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
