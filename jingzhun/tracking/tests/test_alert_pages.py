"""The alert list and the batch pages: filters, counts, a constant number of queries, and
their forms reaching the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jingzhun.assistance.tests.helpers import confirmed_case
from jingzhun.core.models import Job
from jingzhun.students.tests.factories import StudentFactory
from jingzhun.tracking.alerts import checks
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.batches.models import BatchOperation
from jingzhun.tracking.tests.alert_helpers import reconcile

pytestmark = pytest.mark.django_db
TODAY = dt.date(2027, 7, 20)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_shows_alerts_in_scope_with_counts_in_constant_queries(client, college):
    confirmed_case(college, level=1)
    confirmed_case(college, student=college.student_b, level=1, signal=False)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    client.force_login(college.user("counsellor_a"))
    url = reverse("tracking:alert-list")

    response = client.get(url, {"kind": checks.HIGH_RISK_NO_PLAN})
    body = response.content.decode()

    assert response.context["page"].paginator.count == 1  # student B is outside the classes
    assert {k.code: n for k, n in response.context["kinds"]}[checks.HIGH_RISK_NO_PLAN] == 1
    assert college.student_a.name in body and college.student_b.name not in body

    few = _queries(client, url)
    for _ in range(3):
        student = StudentFactory.create(class_group=college.class_a)
        confirmed_case(college, student=student, level=1, signal=False)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    assert _queries(client, url) == few


def test_acknowledge_from_the_list_keeps_its_filters(client, college):
    confirmed_case(college, level=1)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    alert = Alert.objects.get()
    client.force_login(college.user("counsellor_a"))
    back = reverse("tracking:alert-list") + "?kind=high_risk_no_plan"

    response = client.post(
        reverse("tracking:alert-step", args=[alert.pk, "acknowledge"]), {"next": back}
    )

    assert response.status_code == 302 and response["Location"] == back
    alert.refresh_from_db()
    assert alert.state == Alert.State.ACKNOWLEDGED


def test_bulk_acknowledge_from_the_list(client, college):
    confirmed_case(college, level=1)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)
    client.force_login(college.user("school_officer_a"))

    client.post(reverse("tracking:alert-bulk-acknowledge"), {"alerts": [Alert.objects.get().pk]})

    assert Alert.objects.get().acknowledged_by == college.user("school_officer_a")


def test_the_batch_page_counts_then_starts_a_job(client, college):
    client.force_login(college.user("counsellor_a"))
    url = reverse("tracking:batch-new")

    page = client.get(url, {"cohort": 2027, "school": college.school_b.pk})
    assert page.context["count"] == 0  # school B: outside counsellor A's scope
    assert client.get(url, {"cohort": 2027}).context["count"] == 1

    response = client.post(url, {"cohort": 2027, "kind": "export"})

    operation = BatchOperation.objects.get()
    assert response["Location"] == reverse("tracking:batch-detail", args=[operation.pk])
    assert (operation.kind, operation.total, operation.filters["cohort"]) == ("export", 1, 2027)
    assert Job.objects.filter(subject_id=operation.pk, kind="tracking.batch_operation").exists()
    assert client.get(response["Location"]).status_code == 200


def test_a_refused_batch_says_why_and_starts_nothing(client, college):
    client.force_login(college.user("counsellor_a"))

    response = client.post(reverse("tracking:batch-new"), {"kind": "message", "title": ""})

    assert response.status_code == 400
    assert BatchOperation.objects.count() == 0


def test_the_workbench_shows_my_open_alerts_per_kind(client, college):
    from jingzhun.tracking.alerts.workbench import alert_todos

    confirmed_case(college, level=1)
    reconcile(checks.HIGH_RISK_NO_PLAN, TODAY)

    [todo] = alert_todos(college.personas["counsellor_a"])

    assert todo.value == 1
    assert todo.url == "/tracking/alerts/?kind=high_risk_no_plan&owner=me&state=open"
    assert alert_todos(college.personas["school_officer_a"]) == []  # not theirs
    assert alert_todos(college.personas["aid_staff"]) == []
    client.force_login(college.user("counsellor_a"))
    assert todo.url in client.get(reverse("home")).content.decode().replace("&amp;", "&")
