"""Deliveries over real servers on loopback: an SMTP server and an HTTP receiver standing in for
the WeCom and DingTalk group robots. Failures are retried with backoff and never reach the
action that notified."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import College
from jingzhun.notifications import kinds
from jingzhun.notifications.delivery import _attempt, deliveries_send
from jingzhun.notifications.models import Delivery
from jingzhun.notifications.services import notify
from jingzhun.notifications.tests.servers import robot_receiver, smtp_server

pytestmark = pytest.mark.django_db

TITLE = "有学生提交了帮扶申请"
BODY = "王小明（计应2401）提交了自主申请，理由涉及家庭经济情况。"
PATH = "/identification/review/"
SITE = "https://jiuye.example.edu.cn"


@pytest.fixture
def only(settings):
    """Every outside channel off; a test turns on the one it tries."""
    settings.USE_EMAIL_NOTIFICATIONS = False
    settings.WECOM_WEBHOOK_URL = ""
    settings.DINGTALK_WEBHOOK_URL = ""
    settings.DINGTALK_SECRET = ""
    settings.SITE_URL = SITE
    settings.NOTIFICATION_TIMEOUT_SECONDS = 1
    return settings


@pytest.fixture
def smtp(only):
    with smtp_server() as (port, mailbox):
        only.USE_EMAIL_NOTIFICATIONS = True
        only.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        only.EMAIL_HOST, only.EMAIL_PORT = "127.0.0.1", port
        only.EMAIL_HOST_USER = only.EMAIL_HOST_PASSWORD = ""
        only.EMAIL_USE_TLS = only.EMAIL_USE_SSL = False
        only.DEFAULT_FROM_EMAIL = "jingzhun@example.edu.cn"
        yield mailbox


@pytest.fixture
def wecom(only):
    with robot_receiver() as receiver:
        only.WECOM_WEBHOOK_URL = f"{receiver.url}/cgi-bin/webhook/send?key=K1"
        yield receiver


@pytest.fixture
def dingtalk(only):
    with robot_receiver() as receiver:
        only.DINGTALK_WEBHOOK_URL = f"{receiver.url}/robot/send?access_token=T1"
        yield receiver


def counsellor(college: College, email: str = "") -> Any:
    user = college.user("counsellor_a")
    user.email = email
    user.save()
    return user


def notify_counsellor(college: College, **extra: Any) -> Delivery:
    (notification,) = notify(recipients=[college.user("counsellor_a")], kind=kinds.TEST,
                             title=TITLE, body=BODY, url=PATH, **extra)  # fmt: skip
    return notification.deliveries.get()


def test_email_goes_to_the_recipient_over_smtp(college: College, smtp):
    counsellor(college, email="zhang@example.edu.cn")
    delivery = notify_counsellor(college)

    assert deliveries_send() == {"sent": 1, "retrying": 0, "failed": 0, "skipped": 0}

    (message,) = smtp.messages
    assert smtp.envelopes == [("<jingzhun@example.edu.cn>", ["zhang@example.edu.cn"])]
    assert message["To"] == "zhang@example.edu.cn"
    assert message["Subject"].strip() == f"【精准帮扶】{TITLE}"  # folded after "Subject:"
    assert message.get_content().replace("\r\n", "\n") == (
        f"{BODY}\n\n查看：{SITE}{PATH}\n\n本邮件由精准帮扶平台自动发送，请勿直接回复。\n"
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")
    assert delivery.sent_at is not None and delivery.next_attempt_at is None


def test_an_smtp_server_that_is_down_reschedules_the_email(college: College, smtp):
    counsellor(college, email="zhang@example.edu.cn")
    smtp.refuse = True
    delivery = notify_counsellor(college)
    now = timezone.now()

    assert deliveries_send(now=now)["retrying"] == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert delivery.next_attempt_at == now + timedelta(minutes=1)
    assert delivery.last_error.startswith("e-mail: SMTPConnectError")
    smtp.refuse = False
    assert deliveries_send(now=now + timedelta(seconds=59))["sent"] == 0  # not due yet
    assert deliveries_send(now=now + timedelta(minutes=1))["sent"] == 1
    assert len(smtp.messages) == 1


def test_an_smtp_server_that_hangs_times_out(college: College, smtp):
    counsellor(college, email="zhang@example.edu.cn")
    smtp.silent = 3.0
    delivery = notify_counsellor(college)

    started = time.monotonic()
    assert deliveries_send()["retrying"] == 1
    assert time.monotonic() - started < 2.5  # the 1 s timeout, not the server's 3 s

    delivery.refresh_from_db()
    assert (
        delivery.last_error
        == "e-mail: SMTPServerDisconnected: Connection unexpectedly closed: timed out"
    )


def test_wecom_robot_gets_whom_it_is_for_the_title_and_the_link_only(college: College, wecom):
    delivery = notify_counsellor(college)

    assert deliveries_send()["sent"] == 1

    (request,) = wecom.requests
    assert (request.path, request.query) == ("/cgi-bin/webhook/send", {"key": "K1"})
    assert request.content_type == "application/json; charset=utf-8"
    assert request.body == {
        "msgtype": "text",
        "text": {"content": f"【精准帮扶】致张辅导员：{TITLE}\n{SITE}{PATH}"},
    }
    assert "王小明" not in str(request.body)  # the body never goes to a group
    delivery.refresh_from_db()
    assert delivery.status == "sent"


def test_dingtalk_robot_is_signed_with_the_secret(college: College, dingtalk, only):
    only.DINGTALK_SECRET = "SEC0123456789abcdef"
    notify_counsellor(college)
    before = int(time.time() * 1000)

    assert deliveries_send()["sent"] == 1

    (request,) = dingtalk.requests
    assert request.path == "/robot/send"
    assert set(request.query) == {"access_token", "timestamp", "sign"}
    assert request.query["access_token"] == "T1"
    timestamp = int(request.query["timestamp"])
    assert before - 1000 <= timestamp <= int(time.time() * 1000)
    expected = hmac.new(
        b"SEC0123456789abcdef", f"{timestamp}\nSEC0123456789abcdef".encode(), hashlib.sha256
    ).digest()
    assert base64.b64decode(request.query["sign"]) == expected
    assert request.body == {
        "msgtype": "text",
        "text": {"content": f"【精准帮扶】致张辅导员：{TITLE}\n{SITE}{PATH}"},
    }


def test_dingtalk_without_a_secret_is_not_signed(college: College, dingtalk):
    notify_counsellor(college)
    assert deliveries_send()["sent"] == 1
    assert dingtalk.requests[0].query == {"access_token": "T1"}


def test_a_robot_that_refuses_the_message_is_a_failure(college: College, wecom):
    wecom.mode = "refuse"
    delivery = notify_counsellor(college)
    assert deliveries_send()["retrying"] == 1
    delivery.refresh_from_db()
    assert delivery.last_error == "WeCom: errcode 310000 keywords not in content"


def test_a_slow_robot_times_out_and_is_rescheduled(college: College, wecom):
    wecom.mode, wecom.delay = "slow", 3.0
    delivery = notify_counsellor(college)

    started = time.monotonic()
    assert deliveries_send()["retrying"] == 1
    assert time.monotonic() - started < 2.5  # the 1 s timeout, not the robot's 3 s

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("retrying", 1)
    assert "timed out" in delivery.last_error


def test_backoff_then_give_up_after_five_attempts_keeping_the_reason(college: College, wecom):
    wecom.mode = "error"
    delivery = notify_counsellor(college)
    now = timezone.now()
    waits = []
    for attempt in range(1, 6):
        outcome = deliveries_send(now=now)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < 5:
            assert outcome["retrying"] == 1
            assert delivery.next_attempt_at is not None
            waits.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    assert waits == [timedelta(minutes=m) for m in (1, 5, 30, 120)]
    assert (delivery.status, delivery.next_attempt_at) == ("failed", None)
    assert delivery.last_error == "WeCom: HTTP 500"
    assert deliveries_send(now=now + timedelta(days=1)) == {
        "sent": 0, "retrying": 0, "failed": 0, "skipped": 0
    }  # fmt: skip
    assert len(wecom.requests) == 5


def test_a_delivery_claimed_by_another_worker_is_not_sent_twice(college: College, wecom):
    delivery = notify_counsellor(college)
    stale = Delivery.objects.select_related("notification__recipient").get(pk=delivery.pk)
    assert deliveries_send()["sent"] == 1
    assert _attempt(stale, timezone.now()) == "skipped"
    assert len(wecom.requests) == 1


@pytest.mark.django_db(transaction=True)
def test_the_action_succeeds_while_the_robot_is_down_and_the_retry_sends_once(
    college: College, wecom
):
    """The action commits at once; the worker's first try fails (HTTP 500) and is
    rescheduled; after the robot is fixed, the periodic command's run sends it exactly once."""
    wecom.mode = "error"
    with transaction.atomic():
        college.student_a.phone = "13900000000"  # the action's own write
        college.student_a.save()
        notify_counsellor(college)
    assert wecom.requests == []  # nothing is sent while the action runs

    call_command("worker", "--batch", "--interval", "0")
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        "retrying", 1, "WeCom: HTTP 500"
    )  # fmt: skip
    college.student_a.refresh_from_db()
    assert college.student_a.phone == "13900000000"

    wecom.mode = "ok"
    Delivery.objects.filter(pk=delivery.pk).update(  # a minute passes
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    call_command("send_notifications")
    call_command("worker", "--batch", "--interval", "0")
    call_command("send_notifications")  # cron again: nothing is left to send
    call_command("worker", "--batch", "--interval", "0")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert [r.answered for r in wecom.requests] == [500, 200]


def test_a_delivery_that_can_no_longer_go_out_fails_at_once(college: College, smtp, wecom, only):
    user = counsellor(college, email="zhang@example.edu.cn")
    notify_all = notify(recipients=[user], kind=kinds.TEST, title=TITLE)[0]
    email, robot = notify_all.deliveries.order_by("channel")[:2]
    user.email = ""  # the address was removed, and the robot turned off, after queueing
    user.save()
    only.WECOM_WEBHOOK_URL = ""

    assert deliveries_send() == {"sent": 0, "retrying": 0, "failed": 2, "skipped": 0}

    email.refresh_from_db()
    robot.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (
        "failed", 1, "email: the recipient cannot be reached (no address or inactive)"
    )  # fmt: skip
    assert (robot.status, robot.last_error) == ("failed", "wecom: the channel is turned off")
    assert smtp.messages == [] and wecom.requests == []


def test_the_robot_post_names_all_recipients(college: College, wecom):
    notify(recipients=[college.user("counsellor_a"), college.user("mentor_a")], kind=kinds.TEST,
           title=TITLE, url=PATH)  # fmt: skip
    assert deliveries_send()["sent"] == 1
    (request,) = wecom.requests
    assert (
        request.body["text"]["content"] == f"【精准帮扶】致张辅导员、刘老师：{TITLE}\n{SITE}{PATH}"
    )


@pytest.mark.django_db(transaction=True)
def test_the_operators_test_message_goes_out_on_every_enabled_channel(
    college: College, smtp, wecom, capsys
):
    counsellor(college, email="zhang@example.edu.cn")
    call_command("send_notifications", "--test", "T0008")
    assert "in-app, email, wecom (enabled: email, wecom)" in capsys.readouterr().out
    call_command("worker", "--batch", "--interval", "0")
    assert [m["To"] for m in smtp.messages] == ["zhang@example.edu.cn"]
    assert [r.body["text"]["content"] for r in wecom.requests] == [
        "【精准帮扶】致张辅导员：测试消息"
    ]
    assert Delivery.objects.filter(status="sent").count() == 2
