"""`jingzhun send_notifications`: enqueue sending of every due delivery (cron, every minute).

`--prune DAYS` also enqueues deleting the notifications read more than DAYS ago (daily cron).
`--test USERNAME` first notifies that user with a test message on every enabled channel, so
an operator can check the e-mail settings and the group-robot webhooks after changing them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from jingzhun.notifications import channels, kinds
from jingzhun.notifications.services import notify
from jingzhun.notifications.tasks import deliveries_send_task, notifications_prune_task
from jingzhun.org.models import User


class Command(BaseCommand):
    help = "Enqueue the sending of notification deliveries that are due, retries included."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--test", metavar="USERNAME", help="first send this user a test notification"
        )
        parser.add_argument(
            "--prune", metavar="DAYS", type=int,
            help="also delete notifications read more than DAYS ago",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        if options["test"]:
            self._test(options["test"])
        if options["prune"] is not None:
            if options["prune"] < 1:
                raise CommandError("--prune takes a number of days, at least 1")
            pruning = notifications_prune_task.enqueue(options["prune"])
            self.stdout.write(f"enqueued {pruning.id}")
        result = deliveries_send_task.enqueue()
        self.stdout.write(f"enqueued {result.id}")

    def _test(self, username: str) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no user {username!r}")
        with transaction.atomic():
            (notification,) = notify(
                recipients=[user], kind=kinds.TEST, title=_("Test message"),
                body=_("If you can read this, notifications reach you."),
            )  # fmt: skip
        outside = [d.channel for d in notification.deliveries.all()]
        self.stdout.write(
            f"test notification {notification.pk} for {user.username}: in-app"
            + "".join(f", {name}" for name in outside)
            + (f" (enabled: {', '.join(channels.enabled()) or 'none'})")
        )
