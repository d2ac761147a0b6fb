"""Sending the outside deliveries, with retries.

A delivery that can no longer go out (its channel turned off, its recipient deactivated or
without an address any more) fails at once with that reason instead of being retried.

A delivery is claimed before it is sent (a conditional update on its attempt count, so two
workers never send the same attempt); a failure reschedules it after 1, 5, 30 and 120 minutes
and the fifth failure gives up, keeping the reason. A worker that dies between claiming and
recording leaves the claim to expire (`CLAIM`), after which the delivery is tried again.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation

from jingzhun.notifications import channels
from jingzhun.notifications.models import Delivery

RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
               timedelta(minutes=120))  # fmt: skip
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
CLAIM = timedelta(minutes=2)
BATCH = 200
ERROR_MAX = 500
DUE = (Delivery.Status.PENDING, Delivery.Status.RETRYING)


def deliveries_send(
    *, ids: list[int] | None = None, now: datetime | None = None, limit: int = BATCH
) -> dict[str, int]:
    """Send the deliveries that are due (of `ids`, when given); counts per outcome."""
    now = now or timezone.now()
    due = Delivery.objects.filter(status__in=DUE, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    counts = {"sent": 0, "retrying": 0, "failed": 0, "skipped": 0}
    rows = due.select_related("notification__recipient").order_by("next_attempt_at", "pk")
    with translation.override(settings.LANGUAGE_CODE):
        for delivery in rows[:limit]:
            counts[_attempt(delivery, now)] += 1
    return counts


def _attempt(delivery: Delivery, now: datetime) -> str:
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=delivery.status, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM)
    if claimed != 1:  # another worker has it
        return "skipped"
    attempt = delivery.attempts + 1
    gone = _undeliverable(delivery)
    if gone:  # nothing a retry could change
        _record(delivery, Delivery.Status.FAILED, last_error=gone, next_attempt_at=None)
        return "failed"
    try:
        channels.send(delivery.channel, message_for(delivery))
    except Exception as exc:  # whatever a channel raises, it is this delivery's failure
        reason = (
            str(exc) if isinstance(exc, channels.DeliveryError) else f"{type(exc).__name__}: {exc}"
        )
        if attempt >= MAX_ATTEMPTS:
            _record(delivery, Delivery.Status.FAILED, last_error=reason[:ERROR_MAX],
                    next_attempt_at=None)  # fmt: skip
            return "failed"
        _record(delivery, Delivery.Status.RETRYING, last_error=reason[:ERROR_MAX],
                next_attempt_at=now + RETRY_AFTER[attempt - 1])  # fmt: skip
        return "retrying"
    _record(delivery, Delivery.Status.SENT, last_error="", next_attempt_at=None,
            sent_at=timezone.now())  # fmt: skip
    return "sent"


def _undeliverable(delivery: Delivery) -> str:
    """Why the delivery can no longer go out (the channel was turned off, the account
    deactivated, the e-mail address removed since it was queued); "" when it can."""
    if not channels.is_on(delivery.channel):
        return f"{delivery.channel}: the channel is turned off"
    if delivery.channel not in channels.ROBOTS and not channels.reaches(
        delivery.channel, delivery.notification.recipient
    ):
        return f"{delivery.channel}: the recipient cannot be reached (no address or inactive)"
    return ""


def _record(delivery: Delivery, status: str, **fields: object) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=status, **fields)


def message_for(delivery: Delivery) -> channels.Message:
    notification = delivery.notification
    recipient = notification.recipient
    link = notification.url
    if link and settings.SITE_URL:
        link = settings.SITE_URL.rstrip("/") + link
    return channels.Message(
        recipient_name=delivery.audience or str(recipient), recipient_email=recipient.email or "",
        title=notification.title, body=notification.body, link=link,
    )  # fmt: skip
