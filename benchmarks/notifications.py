"""Notifications at scale: the bell and the list with a million notifications in the table,
`notify` to a thousand people at once against one call per person, and the send task's
throughput against a robot receiver on loopback.

    python benchmarks/notifications.py [--notifications 1000000] [--database-url URL]

The bell's count and the list's first page are timed as queries and as whole requests through
the real views (best of ten; a request includes the session and the role lookups);
`notify` writes the in-app rows, an e-mail delivery each and one WeCom and one DingTalk
delivery (nothing is sent while it runs). The baseline for `notify` is one call per recipient, measured on a tenth of them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _setup import best_of, start_django

USERS = 10_000
FANOUT = 1_000
SENDS = 300


def make_users() -> list[Any]:
    from jingzhun.org.models import User

    User.objects.bulk_create(
        User(username=f"B{i:06d}", display_name=f"老师{i}", email=f"t{i}@example.edu.cn")
        for i in range(USERS)
    )
    return list(User.objects.order_by("pk"))


def fill(notifications: int, first_user: int) -> None:
    """Set-based: one INSERT … SELECT over a counter, the same SQL on SQLite and PostgreSQL.
    One in ten is unread; the users' ids are consecutive."""
    from django.db import connection, transaction
    from django.utils import timezone

    sql = f"""
        INSERT INTO notifications_notification
            (recipient_id, kind, title, body, url, dedupe_key, created_at, read_at)
        WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)
        SELECT {int(first_user)} + (n %% {USERS}), 'notifications.test', '行动逾期提醒', '正文',
               '/cases/', '', %s, CASE WHEN n %% 10 = 0 THEN NULL ELSE %s END
        FROM seq
    """  # noqa: S608 - integers only
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [notifications - 1, now, now])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE notifications_notification")


def time_pages(user: Any) -> dict[str, float]:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jingzhun.notifications.selectors import notification_list, unread_count

    setup_test_environment()
    client = Client()
    client.force_login(user)
    results = {
        "count query": best_of(10, lambda: unread_count(user=user)),
        "page query": best_of(10, lambda: list(notification_list(user=user)[:20])),
    }
    for name, url in (("bell", "/notifications/bell/"), ("list", "/notifications/"),
                      ("unread", "/notifications/?show=unread")):  # fmt: skip
        assert client.get(url).status_code == 200
        results[name] = best_of(10, lambda url=url: client.get(url))
    return results


def time_fanout(users: list[Any], settings: Any) -> tuple[float, float]:
    from jingzhun.notifications import kinds
    from jingzhun.notifications.services import notify

    settings.WECOM_WEBHOOK_URL = "http://127.0.0.1:9/wecom"
    settings.DINGTALK_WEBHOOK_URL = "http://127.0.0.1:9/dingtalk"
    started = time.perf_counter()
    created = notify(recipients=users[:FANOUT], kind=kinds.TEST, title="全体通知", url="/")
    bulk = time.perf_counter() - started
    assert len(created) == FANOUT
    subset = users[FANOUT : FANOUT + FANOUT // 10]
    started = time.perf_counter()
    for user in subset:
        notify(recipients=[user], kind=kinds.TEST, title="逐个通知", url="/")
    loop = (time.perf_counter() - started) * FANOUT / len(subset)
    return bulk, loop


def time_sending(users: list[Any], settings: Any) -> float:
    from jingzhun.notifications import kinds
    from jingzhun.notifications.delivery import deliveries_send
    from jingzhun.notifications.models import Delivery
    from jingzhun.notifications.services import notify
    from jingzhun.notifications.tests.servers import robot_receiver

    Delivery.objects.all().delete()
    with robot_receiver() as robot:
        settings.USE_EMAIL_NOTIFICATIONS = False
        settings.DINGTALK_WEBHOOK_URL = ""
        settings.WECOM_WEBHOOK_URL = f"{robot.url}/send"
        for user in users[:SENDS]:  # one robot post per call
            notify(recipients=[user], kind=kinds.TEST, title="发送测试", url="/")
        started = time.perf_counter()
        counts = deliveries_send(limit=SENDS)
        elapsed = time.perf_counter() - started
        assert counts["sent"] == SENDS and len(robot.requests) == SENDS, counts
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notifications", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    start_django(database_url=args.database_url)
    from django.conf import settings
    from django.db import connection

    users = make_users()
    started = time.perf_counter()
    fill(args.notifications, users[0].pk)
    print(f"{connection.vendor}: {args.notifications:,} notifications for {USERS:,} users "
          f"written in {time.perf_counter() - started:.1f} s")  # fmt: skip
    for name, seconds in time_pages(users[0]).items():
        print(f"  {name:12s}: {seconds * 1000:6.1f} ms (best of 10)")
    bulk, loop = time_fanout(users, settings)
    print(f"  notify {FANOUT:,} recipients (in-app + e-mail each, one post per robot): "
          f"{bulk * 1000:.0f} ms; one call each "
          f"(extrapolated from {FANOUT // 10}): {loop * 1000:.0f} ms; ratio {loop / bulk:.1f}×")  # fmt: skip
    sent = time_sending(users, settings)
    print(f"  send {SENDS} WeCom deliveries to a loopback receiver: {sent:.2f} s "
          f"({sent / SENDS * 1000:.1f} ms each)")  # fmt: skip


if __name__ == "__main__":
    main()
