"""A student sees only their own data, through any URL: the student side's matrix.

Generated from the URL conf like the staff matrix: every page of the `portal` namespace
needs a row here (`test_every_portal_page_has_a_row` fails otherwise), so a page another
engineer adds to the portal is exercised as student A on student B's objects before it can
land. Pages of other apps a student reaches (their file, notifications) have rows too, and
every REST API operation refuses a student's browser session (the API takes tokens only).

Student B has a login, an approved plan with a completed, rated action, a notification,
feedback and an article only their school reads; each carries a marker that must never
appear in what student A is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import College
from jingzhun.api.api import api
from jingzhun.assistance.tests.helpers import subsidy_application, subsidy_policy
from jingzhun.jobs.push_services import push_send
from jingzhun.jobs.tests.helpers import posting
from jingzhun.notifications import kinds
from jingzhun.notifications.services import notify
from jingzhun.tracking.satisfaction import services as satisfaction
from jingzhun.tracking.tests.publication_helpers import article, completed_action, student_b_login

pytestmark = pytest.mark.django_db

OK, REDIRECT, DENIED, HIDDEN = 200, 302, 403, 404
B_MARKERS = (
    "李小红", "B同学的反馈内容", "B同学的评价", "财经学院专属政策", "B同学的通知", "B同学的岗位",
)  # fmt: skip


@dataclass(frozen=True)
class Row:
    """What student A gets on their own object (`own`) and on student B's (`other`).
    `target` names the object that fills <pk>; pages without one have `other` None."""

    own: int
    other: int | None = None
    target: str = ""
    method: str = "get"


# Every page of the portal. A new portal page without a row fails the first test below.
PORTAL: dict[str, Row] = {
    "portal:home": Row(OK),
    "portal:apply": Row(OK),
    "portal:plan": Row(OK),
    "portal:plan-acknowledge": Row(REDIRECT, HIDDEN, target="plan", method="post"),
    "portal:action-rate": Row(REDIRECT, HIDDEN, target="action", method="post"),
    "portal:policy-list": Row(OK),
    "portal:policy-detail": Row(OK, HIDDEN, target="article"),
    "portal:feedback": Row(OK),
    "portal:push-list": Row(OK),
    "portal:push-detail": Row(OK, HIDDEN, target="push"),
    "portal:push-respond": Row(REDIRECT, HIDDEN, target="push", method="post"),
    "portal:destination": Row(OK),
    "portal:followup": Row(OK),
    "portal:subsidies": Row(OK),
    # The policy is the college's: student A may apply (refused here: she already has).
    "portal:subsidy-apply": Row(REDIRECT, target="policy", method="post"),
    "portal:subsidy-detail": Row(OK, HIDDEN, target="subsidy"),
    "portal:subsidy-resubmit": Row(REDIRECT, HIDDEN, target="subsidy", method="post"),
}
# Pages of other apps a student reaches.
ELSEWHERE: dict[str, Row] = {
    "students:me": Row(REDIRECT),
    "students:detail": Row(OK, HIDDEN, target="student"),
    "students:detail-tab": Row(OK, HIDDEN, target="student"),
    "students:reveal": Row(OK, HIDDEN, target="student", method="post"),
    "notifications:list": Row(OK),
    "notifications:read": Row(REDIRECT, HIDDEN, target="notification", method="post"),
}


@dataclass
class World:
    college: College
    own: dict[str, int]
    other: dict[str, int]


@pytest.fixture
def world(college: College) -> World:
    student_b = student_b_login(college)
    mine, theirs = completed_action(college), completed_action(college, student_b=True)
    satisfaction.action_rate(actor=student_b, action_id=theirs.pk, score=1, comment="B同学的评价")
    satisfaction.feedback_submit(actor=student_b, topic="other", text="B同学的反馈内容")
    for_a = article(college, "信息学院政策", schools=[college.school_a])
    for_b = article(college, "财经学院专属政策", schools=[college.school_b])
    (note_a,) = notify(recipients=[college.user("student_a")], kind=kinds.TEST, title="A的通知")
    (note_b,) = notify(recipients=[student_b.user], kind=kinds.TEST, title="B同学的通知")
    office = college.personas["employment_officer"]
    push_a = push_send(actor=office, posting=posting(college, "A的岗位"), student=college.student_a)
    push_b = push_send(
        actor=office, posting=posting(college, "B同学的岗位"), student=college.student_b
    )
    policy = subsidy_policy(college)
    subsidy_a = subsidy_application(college, policy=policy)
    subsidy_b = subsidy_application(college, policy=policy, student=college.student_b)
    return World(
        college=college,
        own={"plan": mine.plan_id, "action": mine.pk, "article": for_a.pk,
             "student": college.student_a.pk, "notification": note_a.pk, "push": push_a.pk,
             "policy": policy.pk, "subsidy": subsidy_a.pk},
        other={"plan": theirs.plan_id, "action": theirs.pk, "article": for_b.pk,
               "student": college.student_b.pk, "notification": note_b.pk, "push": push_b.pk,
               "policy": policy.pk, "subsidy": subsidy_b.pk},
    )  # fmt: skip


def _names(patterns: list[Any], namespace: str) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            names |= {
                f"{namespace}:{p.name}"
                for p in pattern.url_patterns
                if isinstance(p, URLPattern) and p.name
            }
    return names


def test_every_portal_page_has_a_row():
    assert _names(get_resolver().url_patterns, "portal") == set(PORTAL)


def _url(name: str, row: Row, objects: dict[str, int]) -> str:
    kwargs: dict[str, Any] = {"pk": objects[row.target]} if row.target else {}
    if name == "portal:subsidy-apply":
        kwargs = {"policy_pk": kwargs.pop("pk")}
    if name == "students:detail-tab":
        kwargs["tab"] = "basic"
    return reverse(name, kwargs=kwargs)


def _body(response: Any) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="ignore")


ROWS = sorted((PORTAL | ELSEWHERE).items())


@pytest.mark.parametrize(("name", "row"), ROWS, ids=[name for name, _ in ROWS])
def test_student_a_on_own_and_on_student_b(world: World, client, name: str, row: Row):
    client.force_login(world.college.user("student_a"))
    data = {"score": "4"} if name == "portal:action-rate" else {}

    own = getattr(client, row.method)(_url(name, row, world.own), data)
    assert own.status_code == row.own
    if own.status_code == OK:
        leaked = [m for m in B_MARKERS if m in _body(own)]
        assert not leaked, f"student A saw {leaked} at {name}"
    if row.other is not None:
        other = getattr(client, row.method)(_url(name, row, world.other), data)
        assert other.status_code == row.other
        assert not [m for m in B_MARKERS if m in _body(other)]


@pytest.mark.parametrize("name", sorted(PORTAL))
def test_staff_do_not_use_the_portal(world: World, client, name: str):
    row = PORTAL[name]
    for persona in ("employment_officer", "counsellor_a"):
        client.force_login(world.college.user(persona))
        response = getattr(client, row.method)(_url(name, row, world.own))
        assert response.status_code == DENIED, (persona, name)


def test_what_student_a_did_touched_nothing_of_student_b(world: World, client):
    from jingzhun.assistance.models import AssistancePlan
    from jingzhun.tracking.satisfaction.models import ActionRating

    client.force_login(world.college.user("student_a"))
    client.post(reverse("portal:action-rate", kwargs={"pk": world.other["action"]}), {"score": "5"})
    client.post(reverse("portal:plan-acknowledge", kwargs={"pk": world.other["plan"]}))

    assert ActionRating.objects.get(action_id=world.other["action"]).score == 1
    assert AssistancePlan.objects.get(pk=world.other["plan"]).status == "approved"


# The API's path parameters, filled with student B's values.
API_KWARGS = {"student_number": "2024020001", "kind": "grades", "source": "card"}
API_PUBLIC = {"openapi-json", "openapi-view", "api-root"}


def test_the_api_refuses_a_students_session(world: World, client):
    client.force_login(world.college.user("student_a"))
    patterns, _app, namespace = api.urls
    operations = [p for p in patterns if p.name not in API_PUBLIC]
    assert operations
    for pattern in operations:
        kwargs = {key: API_KWARGS[key] for key in pattern.pattern.converters}
        url = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
        statuses = {
            client.get(url).status_code,
            client.post(url, {}, content_type="application/json").status_code,
        }
        assert statuses <= {401, 405} and 401 in statuses, (url, statuses)
