"""The notification service every stage calls, and the writes of the in-app list.

The contract (keep it; other apps call exactly this)::

    notify(*, recipients: Iterable[User], kind: str, title: str, body: str = "", url: str = "",
           channels: Collection[str] | None = None, dedupe_key: str = "") -> list[Notification]

- One in-app `Notification` per recipient, always, written in the caller's transaction.
- `channels`: the outside channels to try, of `"email"`, `"wecom"`, `"dingtalk"` (`"inapp"`
  may be named and is always on); `None` means every enabled one. A channel that is not
  configured is skipped; e-mail goes only to active recipients with an address; a group robot
  posts once per call, naming the (active) recipients.
- Outside deliveries are rows, sent by a task enqueued **when the transaction commits**: an
  action that rolls back sends nothing, and a channel that is down never makes the action fail
  or wait (the task retries with backoff, see `delivery.py`).
- `dedupe_key`: a second call with the same key creates nothing for a recipient who already
  has it (a daily reminder command run twice). Only the notifications created are returned.
- `kind` must be declared (`kinds.register`, from the sending app's `AppConfig.ready`); `url`
  must be a path on this site (`reverse(...)`) — both are programming errors (`ValueError`).
- `title` and `body` may be lazy translations: they are stored in the site's language
  (`LANGUAGE_CODE`, Chinese), which is what the recipients read. The group robots post the
  title and the link only, never the body: write no ID numbers or psychological details in a
  title.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from jingzhun.notifications import channels as outside
from jingzhun.notifications import kinds
from jingzhun.notifications.links import is_site_path
from jingzhun.notifications.models import Delivery, Notification
from jingzhun.org.models import User

logger = logging.getLogger(__name__)

IN_APP = "inapp"
TITLE_MAX = 200  # longer titles are cut; a longer link or key is the caller's mistake
URL_MAX = 500
DEDUPE_KEY_MAX = 150


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    channels: Collection[str] | None = None,
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each recipient in the app and on the enabled outside channels (see the module
    docstring for the contract)."""
    if not kinds.is_known(kind):
        raise ValueError(f"unknown notification kind {kind!r}: declare it with kinds.register")
    if url and not is_site_path(url):
        raise ValueError(f"a notification links to a path on this site, not {url!r}")
    if len(url) > URL_MAX or len(dedupe_key) > DEDUPE_KEY_MAX:
        raise ValueError(f"url ({URL_MAX}) or dedupe_key ({DEDUPE_KEY_MAX}) too long")
    wanted = _outside_channels(channels)
    users = list({user.pk: user for user in recipients}.values())
    if not users:
        return []
    with translation.override(settings.LANGUAGE_CODE):
        title_text, body_text = str(title)[:TITLE_MAX], str(body)
    rows = [
        Notification(recipient=user, kind=kind, title=title_text, body=body_text, url=url,
                     dedupe_key=dedupe_key)
        for user in users
    ]  # fmt: skip
    created = _create(rows, dedupe_key=dedupe_key)
    with translation.override(settings.LANGUAGE_CODE):  # the robots' "for whom" line
        deliveries = Delivery.objects.bulk_create(_deliveries(created, wanted))
    if deliveries:
        transaction.on_commit(partial(_enqueue_send, [d.pk for d in deliveries]), robust=True)
    return created


def _deliveries(created: list[Notification], wanted: list[str]) -> list[Delivery]:
    """An e-mail per recipient who can get one; one post per group robot for them all."""
    now = timezone.now()
    reached = [n for n in created if n.recipient.is_active]
    rows = []
    for channel in wanted:
        if channel in outside.ROBOTS:
            if reached:
                audience = outside.audience([str(n.recipient) for n in reached])
                rows.append(Delivery(notification=reached[0], channel=channel,
                                     next_attempt_at=now, audience=audience))  # fmt: skip
            continue
        rows += [
            Delivery(notification=n, channel=channel, next_attempt_at=now)
            for n in reached
            if outside.reaches(channel, n.recipient)
        ]
    return rows


def _outside_channels(channels: Collection[str] | None) -> list[str]:
    enabled = outside.enabled()
    if channels is None:
        return enabled
    unknown = set(channels) - {IN_APP, *outside.NAMES}
    if unknown:
        raise ValueError(f"unknown notification channels {sorted(unknown)}")
    return [name for name in enabled if name in channels]


def _create(rows: list[Notification], *, dedupe_key: str) -> list[Notification]:
    """Insert the rows, leaving out recipients who already hold `dedupe_key`."""
    if dedupe_key:
        holders = set(
            Notification.objects.filter(
                dedupe_key=dedupe_key, recipient_id__in=[r.recipient_id for r in rows]
            ).values_list("recipient_id", flat=True)
        )
        rows = [r for r in rows if r.recipient_id not in holders]
    return _insert(rows, dedupe_key=dedupe_key)


def _insert(rows: list[Notification], *, dedupe_key: str) -> list[Notification]:
    """One multi-row insert. A call racing another with the same key (both checked before
    either wrote) meets the unique constraint: then row by row, each in its own savepoint,
    keeping the rows that are new."""
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        if not dedupe_key:
            raise
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(row)
    return created


def _enqueue_send(delivery_ids: list[int]) -> None:
    from jingzhun.notifications.tasks import deliveries_send_task

    try:
        deliveries_send_task.enqueue(delivery_ids)
    except Exception:  # the action has committed; `send_notifications` will pick them up
        logger.exception("notifications: deliveries %s not enqueued", delivery_ids)


def notification_mark_read(*, user: User, notification: Notification) -> bool:
    """Mark one of the user's own notifications read; False when it already was."""
    if notification.recipient_id != user.pk:
        raise PermissionError("a notification is marked read by its recipient only")
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return updated == 1


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_prune(*, read_days: int, now: datetime | None = None) -> int:
    """Delete notifications read more than `read_days` ago, with their deliveries; unread ones
    stay however old. A reminder whose notification was pruned may be created again by a
    later call with the same `dedupe_key`. Returns how many notifications were deleted."""
    if read_days < 1:
        raise ValueError("read_days must be at least 1")
    cutoff = (now or timezone.now()) - timedelta(days=read_days)
    deleted = Notification.objects.filter(read_at__lt=cutoff).delete()[1]
    return deleted.get(Notification._meta.label, 0)
