"""Destination pages: the queue (paged, filtered, counted, query count), the detail and its
steps, the checks page, the rate page and its export, the portal page and its isolation, the
case-file timeline."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from jingzhun.core.models import AuditLog
from jingzhun.tracking.destinations import services
from jingzhun.tracking.destinations.models import DestinationRegistration
from jingzhun.tracking.destinations.timeline import entries_for
from jingzhun.tracking.tests.destination_helpers import open_window, photo, register, verified

pytestmark = pytest.mark.django_db
S = DestinationRegistration.Status


@pytest.fixture
def window(college, settings):
    open_window(settings, college.student_a, college.student_b)
    return college


def test_queue_shows_what_waits_for_my_step(window, client, django_assert_max_num_queries):
    college = window
    mine = register(college)
    register(college, persona="employment_officer", student=college.student_b)
    client.force_login(college.user("school_officer_a"))
    with django_assert_max_num_queries(16):
        response = client.get(reverse("tracking:destination-list"))
    assert [r.pk for r in response.context["page"].object_list] == [mine.pk]
    assert response.context["page"].paginator.count == 1
    client.force_login(college.user("employment_officer"))
    assert client.get(reverse("tracking:destination-list")).context["page"].paginator.count == 0
    everything = client.get(
        reverse("tracking:destination-list"), {"status": "", "school": college.school_b.pk}
    )
    assert everything.context["page"].paginator.count == 1


def test_detail_verify_and_return_through_the_pages(window, client):
    college = window
    r = register(college)
    client.force_login(college.user("school_officer_a"))
    page = client.get(reverse("tracking:destination-detail", args=[r.pk]))
    assert page.context["my_step"] is True
    assert b'data-testid="destination-verify"' in page.content
    client.post(reverse("tracking:destination-step", args=[r.pk, "verify"]))
    r.refresh_from_db()
    assert r.status == S.SCHOOL_VERIFIED
    client.force_login(college.user("employment_officer"))
    client.post(
        reverse("tracking:destination-step", args=[r.pk, "return"]),
        {"reason": "单位名称与公章不一致"},
    )
    r.refresh_from_db()
    assert (r.status, r.return_reason) == (S.RETURNED, "单位名称与公章不一致")


def test_bulk_verify_page(window, client):
    college = window
    a = register(college)
    client.force_login(college.user("school_officer_a"))
    response = client.post(reverse("tracking:destination-bulk-verify"), {"registrations": [a.pk]})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.status == S.SCHOOL_VERIFIED


def test_staff_register_page_keeps_input_on_error(window, client):
    college = window
    client.force_login(college.user("counsellor_a"))
    url = reverse("tracking:destination-new", args=[college.student_a.pk])
    response = client.post(url, {"code": "10", "employer_name": "洛阳银行", "city": "洛阳市"})
    assert response.status_code == 400
    assert response.context["form"]["employer_name"].value() == "洛阳银行"
    assert "evidence_file" in response.context["form"].errors
    assert not DestinationRegistration.objects.exists()
    ok = client.post(url, {"code": "10", "employer_name": "洛阳银行", "city": "洛阳市",
                           "evidence_kind": "agreement", "evidence_file": photo()})  # fmt: skip
    r = DestinationRegistration.objects.get()
    assert ok.url == reverse("tracking:destination-detail", args=[r.pk])
    assert (r.source, r.region_code) == ("staff", "4103")


def test_checks_page_counts_each_rule(window, client):
    college = window
    low = services.DestinationInput(
        code="12", employer_name="某商贸公司", city="郑州", monthly_wage=1200
    )
    register(
        college,
        data=low,
        evidence=[services.EvidenceUpload("employer_certificate", photo("单位证明.png"))],
    )
    client.force_login(college.user("employment_officer"))
    response = client.get(reverse("tracking:destination-checks"))
    counts = {rule.id: n for rule, n in response.context["rules"]}
    assert counts["wage_below_minimum"] == 1 and sum(counts.values()) == 1
    assert response.context["page"].paginator.count == 1


def test_rate_page_and_export(window, client):
    college = window
    verified(college, register(college))
    client.force_login(college.user("employment_officer"))
    params = {
        "cohort": college.student_a.cohort,
        "by": "school",
        "as_of": timezone.localdate().isoformat(),
    }
    page = client.get(reverse("tracking:placement-rate"), params)
    assert [(r.label, r.graduates, r.placed) for r in page.context["rows"]] == [
        ("信息工程学院", 1, 1),
        ("财经商贸学院", 1, 0),
    ]
    assert (page.context["total"].graduates, page.context["total"].placed) == (2, 1)
    export = client.get(reverse("tracking:placement-rate-export"), params)
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    )
    values = rows[2:]
    assert values == [["信息工程学院", 1.0, 1.0, 100.0], ["财经商贸学院", 1.0, 0.0, 0.0],
                      [values[2][0], 2.0, 1.0, 50.0]]  # fmt: skip
    assert AuditLog.objects.filter(action="export", detail__report="placement_rate").count() == 1


def test_portal_registers_and_shows_state(window, client):
    college = window
    client.force_login(college.user("student_a"))
    response = client.post(reverse("portal:destination"), {
        "code": "10", "employer_name": "郑州宇通客车股份有限公司", "city": "郑州市",
        "evidence_kind": "agreement", "evidence_file": photo(),
    })  # fmt: skip
    assert response.status_code == 302
    r = DestinationRegistration.objects.get()
    assert (r.student, r.source, r.status) == (college.student_a, "student", S.SUBMITTED)
    page = client.get(reverse("portal:destination"))
    assert b'data-status="submitted"' in page.content


def test_portal_isolation(window, client):
    college = window
    other = register(college, persona="employment_officer", student=college.student_b)
    client.force_login(college.user("student_a"))
    assert client.get(reverse("portal:destination")).context["registrations"] == []
    evidence = other.evidence.get()
    assert (
        client.get(reverse("tracking:destination-evidence", args=[evidence.pk])).status_code == 404
    )
    assert client.get(reverse("tracking:destination-detail", args=[other.pk])).status_code == 403
    assert (
        client.post(reverse("tracking:destination-step", args=[other.pk, "verify"])).status_code
        == 403
    )
    mine = register(college)
    download = client.get(reverse("tracking:destination-evidence", args=[mine.evidence.get().pk]))
    assert download.status_code == 200
    assert (
        AuditLog.objects.filter(
            action="view_sensitive", object_type="tracking.destinationevidence"
        ).count()
        == 1
    )


def test_timeline_entries(window):
    college = window
    r = verified(college, register(college))
    staff = entries_for(actor=college.personas["counsellor_a"], student=college.student_a)
    mine = [e for e in staff if e.stage == "tracking"]
    assert len(mine) == 3 and all(
        e.link == reverse("tracking:destination-detail", args=[r.pk]) for e in mine
    )
    own = [e for e in entries_for(actor=college.personas["student_a"], student=college.student_a)
           if e.stage == "tracking"]  # fmt: skip
    assert len(own) == 3 and all(e.link == "" and e.actor_name == "" for e in own)
    assert entries_for(actor=college.personas["outsider"], student=college.student_a) == []


def test_queue_filters_by_a_two_digit_code_with_its_refinements(window, client):
    college = window
    project = services.DestinationInput(code="502", employer_name="河南省三支一扶办公室")
    r = register(
        college, data=project, evidence=[services.EvidenceUpload("project_notice", photo())]
    )
    register(college, persona="employment_officer", student=college.student_b)
    client.force_login(college.user("employment_officer"))
    page = client.get(reverse("tracking:destination-list"), {"status": "", "code": "50"})
    assert [x.pk for x in page.context["page"].object_list] == [r.pk]


def test_graduates_without_a_verified_destination_page(
    window, client, django_assert_max_num_queries
):
    college = window
    verified(college, register(college))
    client.force_login(college.user("employment_officer"))
    with django_assert_max_num_queries(14):
        page = client.get(reverse("tracking:destination-missing"))
    assert [s.pk for s in page.context["page"].object_list] == [college.student_b.pk]
    assert reverse("tracking:destination-new", args=[college.student_b.pk]).encode() in page.content
    client.force_login(college.user("counsellor_a"))  # class A only: nobody left
    assert client.get(reverse("tracking:destination-missing")).context["page"].paginator.count == 0
