"""notify(): one in-app row per recipient, deliveries queued on commit, dedupe, refusals."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from conftest import College
from jingzhun.notifications import kinds
from jingzhun.notifications.models import Delivery, Notification
from jingzhun.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(settings):
    settings.WECOM_WEBHOOK_URL = "http://127.0.0.1:9/wecom"
    settings.DINGTALK_WEBHOOK_URL = "http://127.0.0.1:9/dingtalk"


def test_one_in_app_notification_per_recipient(college: College):
    counsellor, mentor = college.user("counsellor_a"), college.user("mentor_a")

    created = notify(
        recipients=[counsellor, mentor, counsellor], kind=kinds.TEST, title="新的帮扶申请",
        body="王小明提交了自主申请。", url="/identification/review/",
    )  # fmt: skip

    assert [n.recipient for n in created] == [counsellor, mentor]
    rows = Notification.objects.order_by("recipient_id")
    assert [(n.recipient_id, n.kind, n.title, n.body, n.url, n.read_at) for n in rows] == [
        (counsellor.pk, kinds.TEST, "新的帮扶申请", "王小明提交了自主申请。", "/identification/review/", None),
        (mentor.pk, kinds.TEST, "新的帮扶申请", "王小明提交了自主申请。", "/identification/review/", None),
    ]  # fmt: skip
    # Nobody has an e-mail address and no robot is configured: in-app only.
    assert not Delivery.objects.exists()


def test_deliveries_are_enqueued_only_when_the_transaction_commits(
    college: College, robots, django_capture_on_commit_callbacks
):
    counsellor = college.user("counsellor_a")
    counsellor.email = "zhang@example.edu.cn"
    counsellor.save()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = notify(recipients=[counsellor], kind=kinds.TEST, title="提醒")
    assert DBTaskResult.objects.count() == 0
    deliveries = list(notification.deliveries.order_by("pk"))
    assert [(d.channel, d.status, d.attempts) for d in deliveries] == [
        ("email", "pending", 0), ("wecom", "pending", 0), ("dingtalk", "pending", 0)
    ]  # fmt: skip

    for callback in callbacks:
        callback()
    task = DBTaskResult.objects.get()
    assert task.task_path == "jingzhun.notifications.tasks.deliveries_send_task"
    assert task.args_kwargs["args"] == [[d.pk for d in deliveries]]


def test_channels_limit_the_outside_deliveries(college: College, robots):
    (notification,) = notify(
        recipients=[college.user("counsellor_a")], kind=kinds.TEST, title="提醒",
        channels=["inapp", "dingtalk"],
    )  # fmt: skip
    # The counsellor has no e-mail address; of the robots only DingTalk was asked for.
    assert [d.channel for d in notification.deliveries.all()] == ["dingtalk"]
    (notification,) = notify(
        recipients=[college.user("counsellor_a")], kind=kinds.TEST, title="提醒", channels=[]
    )
    assert not notification.deliveries.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_action_sends_nothing(college: College, robots):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipients=[college.user("counsellor_a")], kind=kinds.TEST, title="提醒")
        raise RuntimeError("the action failed")
    assert not Notification.objects.exists()
    assert not Delivery.objects.exists()
    assert DBTaskResult.objects.count() == 0


def test_dedupe_key_creates_nothing_new_for_the_same_recipient(college: College, robots):
    counsellor, mentor = college.user("counsellor_a"), college.user("mentor_a")
    first = notify(
        recipients=[counsellor], kind=kinds.TEST, title="逾期提醒", dedupe_key="action-7-overdue"
    )

    again = notify(recipients=[counsellor, mentor], kind=kinds.TEST, title="逾期提醒",
                   dedupe_key="action-7-overdue")  # fmt: skip

    assert [n.recipient for n in again] == [mentor]
    assert Notification.objects.filter(recipient=counsellor).get() == first[0]
    assert Delivery.objects.filter(notification__recipient=counsellor).count() == 2
    assert notify(recipients=[counsellor, mentor], kind=kinds.TEST, title="逾期提醒",
                  dedupe_key="action-7-overdue") == []  # fmt: skip
    # Without a key every call is a new notification.
    notify(recipients=[counsellor], kind=kinds.TEST, title="逾期提醒")
    assert Notification.objects.filter(recipient=counsellor).count() == 2


def test_titles_are_stored_in_the_site_language(college: College):
    from django.utils import translation
    from django.utils.translation import gettext_lazy

    with translation.override("en"):
        (notification,) = notify(
            recipients=[college.user("counsellor_a")], kind=kinds.TEST,
            title=gettext_lazy("Workbench"),  # type: ignore[arg-type]  # lazy text is allowed
        )  # fmt: skip
    assert notification.title == "工作台"


@pytest.mark.parametrize(
    "url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)",
            "/ok\n/", "cases/1/"],
)  # fmt: skip
def test_only_site_paths_are_links(college: College, url: str):
    with pytest.raises(ValueError, match="path on this site"):
        notify(recipients=[college.user("counsellor_a")], kind=kinds.TEST, title="t", url=url)
    assert not Notification.objects.exists()


def test_unknown_kinds_and_channels_are_programming_errors(college: College):
    user = college.user("counsellor_a")
    with pytest.raises(ValueError, match="unknown notification kind"):
        notify(recipients=[user], kind="assistance.typo", title="t")
    with pytest.raises(ValueError, match="unknown notification channels"):
        notify(recipients=[user], kind=kinds.TEST, title="t", channels=["sms"])
    with pytest.raises(ValueError, match="too long"):
        notify(recipients=[user], kind=kinds.TEST, title="t", url="/" + "a" * 500)
    with pytest.raises(ValueError, match="too long"):
        notify(recipients=[user], kind=kinds.TEST, title="t", dedupe_key="k" * 151)
    assert notify(recipients=[], kind=kinds.TEST, title="t") == []
    assert not Notification.objects.exists()
    (long,) = notify(recipients=[user], kind=kinds.TEST, title="长" * 300)
    assert long.title == "长" * 200


def test_marking_read_touches_only_the_own_notifications(college: College):
    counsellor, mentor = college.user("counsellor_a"), college.user("mentor_a")
    mine = notify(recipients=[counsellor], kind=kinds.TEST, title="一")[0]
    notify(recipients=[counsellor], kind=kinds.TEST, title="二")
    theirs = notify(recipients=[mentor], kind=kinds.TEST, title="三")[0]

    assert notification_mark_read(user=counsellor, notification=mine) is True
    assert notification_mark_read(user=counsellor, notification=mine) is False
    with pytest.raises(PermissionError):
        notification_mark_read(user=counsellor, notification=theirs)
    assert notifications_mark_all_read(user=counsellor) == 1
    assert notifications_mark_all_read(user=counsellor) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_a_racing_call_with_the_same_key_keeps_only_the_new_rows(college: College):
    """Two calls checked the key before either wrote: the second meets the unique constraint
    and inserts only the recipients the first did not."""
    from jingzhun.notifications.services import _insert

    counsellor, mentor = college.user("counsellor_a"), college.user("mentor_a")
    notify(recipients=[counsellor], kind=kinds.TEST, title="提醒", dedupe_key="k")
    rows = [
        Notification(recipient=user, kind=kinds.TEST, title="提醒", dedupe_key="k")
        for user in (counsellor, mentor)
    ]
    created = _insert(rows, dedupe_key="k")
    assert [n.recipient for n in created] == [mentor]
    assert Notification.objects.filter(dedupe_key="k").count() == 2


def test_a_group_robot_posts_once_naming_everyone(college: College, robots):
    names = ["leader", "employment_officer", "counsellor_a", "mentor_a"]
    created = notify(recipients=[college.user(p) for p in names], kind=kinds.TEST, title="会议")
    robot = Delivery.objects.filter(channel="wecom").get()
    assert robot.notification == created[0]
    assert robot.audience == "校领导、就业处干事、张辅导员、刘老师"
    assert Delivery.objects.filter(channel="dingtalk").count() == 1

    many = ["leader", "employment_officer", "assessor", "aid_staff", "psych_staff",
            "academic_staff", "counsellor_a"]  # fmt: skip
    notify(recipients=[college.user(p) for p in many], kind=kinds.TEST, title="会议")
    assert Delivery.objects.filter(channel="wecom").latest("pk").audience == (
        "校领导、就业处干事、考核办干事、资助中心老师、心理中心老师等7人"
    )


def test_an_inactive_account_gets_the_in_app_notification_only(college: College, robots):
    counsellor = college.user("counsellor_a")
    counsellor.email, counsellor.is_active = "zhang@example.edu.cn", False
    counsellor.save()
    (notification,) = notify(recipients=[counsellor], kind=kinds.TEST, title="提醒")
    assert notification.pk is not None
    assert not Delivery.objects.exists()


def test_pruning_deletes_only_notifications_read_long_ago(college: College, robots):
    from datetime import timedelta

    from django.utils import timezone

    from jingzhun.notifications.services import notifications_prune

    user = college.user("counsellor_a")
    now = timezone.now()
    old_read, recent_read, old_unread = (
        notify(recipients=[user], kind=kinds.TEST, title=t, dedupe_key=t)[0]
        for t in ("old-read", "recent-read", "old-unread")
    )
    Notification.objects.filter(pk=old_read.pk).update(read_at=now - timedelta(days=181))
    Notification.objects.filter(pk=recent_read.pk).update(read_at=now - timedelta(days=179))
    Notification.objects.filter(pk=old_unread.pk).update(created_at=now - timedelta(days=400))

    assert notifications_prune(read_days=180, now=now) == 1
    assert sorted(Notification.objects.values_list("title", flat=True)) == [
        "old-unread", "recent-read"
    ]  # fmt: skip
    assert not Delivery.objects.filter(notification_id=old_read.pk).exists()
    assert notifications_prune(read_days=180, now=now) == 0
    with pytest.raises(ValueError):
        notifications_prune(read_days=0)


def test_the_command_enqueues_the_sending_and_on_request_the_pruning():
    from django.core.management import CommandError, call_command

    call_command("send_notifications")
    assert [t.task_path.rsplit(".", 1)[1] for t in DBTaskResult.objects.all()] == [
        "deliveries_send_task"
    ]
    call_command("send_notifications", "--prune", "180")
    tasks = DBTaskResult.objects.order_by("enqueued_at")
    assert [t.task_path.rsplit(".", 1)[1] for t in tasks][1:] == [
        "notifications_prune_task", "deliveries_send_task"
    ]  # fmt: skip
    assert tasks[1].args_kwargs["args"] == [180]
    with pytest.raises(CommandError, match="at least 1"):
        call_command("send_notifications", "--prune", "0")
    with pytest.raises(CommandError, match="no user"):
        call_command("send_notifications", "--test", "nobody")
