"""A new self-application notifies the student's counsellor — in the app, by e-mail and on the
group robot — without naming the student or the reason where a group could read it."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from conftest import College
from jingzhun.core.errors import DomainError
from jingzhun.identification import services
from jingzhun.identification.models import Case, CaseEvent
from jingzhun.notifications.delivery import deliveries_send
from jingzhun.notifications.models import Notification
from jingzhun.notifications.tests.servers import robot_receiver
from jingzhun.org.models import ClassGroup

pytestmark = pytest.mark.django_db
REASON = "家里今年收入减少，心理压力也很大，想申请求职补贴。"
TITLE = "您班级有学生提交了帮扶申请"


@pytest.fixture
def types(college: College):
    return services.difficulty_types_ensure()


def apply(college: College, types) -> Case:
    return services.case_self_apply(
        actor=college.personas["student_a"], types=[types["economic"], types["psychological"]],
        note=REASON,
    )  # fmt: skip


def test_the_class_counsellor_is_notified(college: College, types):
    case = apply(college, types)

    notification = Notification.objects.get()
    assert notification.recipient == college.user("counsellor_a")
    assert (notification.kind, notification.title, notification.kind_label) == (
        "identification.self_application", TITLE, "学生申请"
    )  # fmt: skip
    assert notification.body == "王小明（计应2401）提交了帮扶申请，申请已进入审核队列。"
    assert notification.url == f"/identification/review/?class_group={college.class_a.pk}"
    assert notification.dedupe_key == f"identification.self_application:{case.pk}"
    for secret in (REASON, "心理", "经济"):
        assert secret not in notification.title + notification.body


def test_the_text_is_in_chinese_whatever_the_students_language(college: College, types):
    with translation.override("en"):
        apply(college, types)
    assert Notification.objects.get().title == TITLE


def test_an_application_joining_an_unreviewed_case_notifies_too(college: College, types):
    hidden = Case.objects.create(student=college.student_a, origin=Case.Origin.RUN, level=1)
    CaseEvent.objects.create(case=hidden, to_status="candidate", note="规则命中")

    assert apply(college, types).pk == hidden.pk
    assert Notification.objects.get().recipient == college.user("counsellor_a")


def test_without_a_class_counsellor_the_school_officers_hear_of_it(college: College, types):
    college.personas["counsellor_a"].classes.set(ClassGroup.objects.none())
    apply(college, types)
    assert [n.recipient for n in Notification.objects.all()] == [college.user("school_officer_a")]


def test_a_refused_application_notifies_nobody(college: College, types):
    apply(college, types)
    with pytest.raises(DomainError):
        apply(college, types)  # one open case per student
    assert Notification.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_group_robot_gets_the_title_and_link_but_not_the_student(
    college: College, types, settings
):
    with robot_receiver() as robot:
        settings.WECOM_WEBHOOK_URL = f"{robot.url}/send?key=K"
        settings.SITE_URL = "https://jiuye.example.edu.cn"
        with transaction.atomic():
            apply(college, types)
        assert DBTaskResult.objects.count() == 1  # enqueued on commit
        assert deliveries_send()["sent"] == 1
    (request,) = robot.requests
    content = request.body["text"]["content"]
    assert content == (
        f"【精准帮扶】致张辅导员：{TITLE}\n"
        f"https://jiuye.example.edu.cn/identification/review/?class_group={college.class_a.pk}"
    )
