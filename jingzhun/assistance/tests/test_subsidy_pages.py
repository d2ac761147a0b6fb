"""Subsidy pages: the queues per role with their filters and counts, the detail's steps, bulk
approve, the finance export (masked, no formulas), the policy page's budget, staff applying
for a student, and the student's portal pages (own applications only)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from jingzhun.assistance.subsidy_models import SubsidyApplication
from jingzhun.assistance.tests.helpers import (
    DOCUMENTS,
    PDF,
    dibao,
    subsidy_application,
    subsidy_policy,
)
from jingzhun.core.models import AuditLog
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


def _login(client, college, persona):
    client.force_login(college.user(persona))


def _another(college, n=2, **fields):
    return StudentFactory.create(
        class_group=college.class_a, student_number=f"202401000{n}", **fields
    )


@pytest.mark.parametrize(("persona", "status", "shown"), [
    ("school_officer_a", "submitted", ["2024010001"]),
    ("employment_officer", "school_approved", ["2024010002"]),
    ("aid_staff", "office_approved", ["2024010003"]),
])  # fmt: skip
def test_each_queue_opens_on_what_waits_for_that_role(college, client, persona, status, shown):
    policy = subsidy_policy(college)
    subsidy_application(college, policy=policy)
    subsidy_application(
        college, policy=policy, student=_another(college, 2), status="school_approved"
    )
    subsidy_application(
        college, policy=policy, student=_another(college, 3), status="office_approved"
    )
    _login(client, college, persona)
    response = client.get(reverse("assistance:subsidy-queue"))
    rows = [a.student.student_number for a in response.context["page"].object_list]
    assert (response.context["filters"].status, rows) == (status, shown)
    assert response.context["page"].paginator.count == 1
    assert response.context["bulk_step"] != ""


def test_the_queue_filters_by_school_and_policy_and_keeps_them_in_the_pager(
    college, client, django_assert_max_num_queries
):
    policy = subsidy_policy(college)
    other = subsidy_policy(college, name="一次性求职补贴")
    for n in range(2, 9):
        subsidy_application(
            college, policy=policy if n % 2 else other, student=_another(college, n)
        )
    _login(client, college, "employment_officer")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("assistance:subsidy-queue"), {"status": "all", "policy": policy.pk,
                                                                    "school": college.school_a.pk})  # fmt: skip
    assert response.context["page"].paginator.count == 3
    assert (
        response.context["querystring"]
        == f"policy={policy.pk}&status=all&school={college.school_a.pk}"
    )
    none = client.get(
        reverse("assistance:subsidy-queue"), {"status": "all", "school": college.school_b.pk}
    )
    assert none.context["page"].paginator.count == 0


def test_detail_shows_only_the_step_of_the_role_and_a_step_posts(college, client):
    app = subsidy_application(college)
    _login(client, college, "employment_officer")
    assert client.get(reverse("assistance:subsidy-detail", args=[app.pk])).context["steps"] == []
    early = client.post(
        reverse("assistance:subsidy-step", args=[app.pk, "office-approve"]), follow=True
    )
    assert SubsidyApplication.objects.get(pk=app.pk).status == "submitted"
    assert [m.level_tag for m in early.context["messages"]] == ["error"]
    _login(client, college, "school_officer_a")
    assert client.get(reverse("assistance:subsidy-detail", args=[app.pk])).context["steps"] == [
        "school-approve",
        "return",
        "reject",
    ]
    client.post(reverse("assistance:subsidy-step", args=[app.pk, "school-approve"]))
    assert SubsidyApplication.objects.get(pk=app.pk).status == "school_approved"


def test_bulk_approve_from_the_queue(college, client):
    policy = subsidy_policy(college)
    apps = [
        subsidy_application(college, policy=policy),
        subsidy_application(college, policy=policy, student=_another(college)),
    ]
    _login(client, college, "school_officer_a")
    response = client.post(reverse("assistance:subsidy-bulk"), {
        "step": "school_approved", "applications": [a.pk for a in apps], "back": "?status=submitted"})  # fmt: skip
    assert response["Location"] == reverse("assistance:subsidy-queue") + "?status=submitted"
    assert SubsidyApplication.objects.filter(status="school_approved").count() == 2


def test_bulk_approve_refuses_applications_outside_the_queue(college, client):
    from jingzhun.assistance.tests.helpers import school_officer_b

    app = subsidy_application(college)
    client.force_login(school_officer_b(college).user)
    client.post(
        reverse("assistance:subsidy-bulk"), {"step": "school_approved", "applications": [app.pk]}
    )
    assert SubsidyApplication.objects.get(pk=app.pk).status == "submitted"


def test_the_finance_export_masks_ids_and_writes_no_formula(college, client):
    Student.objects.filter(pk=college.student_a.pk).update(name='=HYPERLINK("x")')
    app = subsidy_application(college, status="paid")
    _login(client, college, "aid_staff")
    response = client.get(reverse("assistance:subsidy-export"), {"status": "paid"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_index(0)
        .to_python()
    )
    header, row = sheet[1], sheet[2]
    assert header[:3] == ["政策", "年度", "学号"] and len(sheet) == 3
    assert row[2] == "2024010001" and row[3] == '=HYPERLINK("x")'
    assert college.student_a.id_number not in str(sheet)
    assert row[6] == college.student_a.id_number[0] + "*" * 16 + college.student_a.id_number[-1]
    assert (float(str(row[7])), row[10]) == (1500.0, app.payment_reference)
    assert (
        AuditLog.objects.filter(action="export", detail__kind="subsidies", detail__rows=1).count()
        == 1
    )


def test_the_policy_page_shows_budget_used_and_left_and_saves(college, client):
    policy = subsidy_policy(college, budget="10000")
    subsidy_application(college, policy=policy, status="paid")
    subsidy_application(college, policy=policy, student=_another(college), status="office_approved")
    _login(client, college, "employment_officer")
    page = client.get(reverse("assistance:subsidy-policy-edit", args=[policy.pk]))
    figures = page.context["budget"]
    assert (str(figures.committed), str(figures.paid), str(figures.left)) == (
        "1500.00",
        "1500.00",
        "7000.00",
    )
    listing = client.get(reverse("assistance:subsidy-policy-list"))
    assert b'data-testid="left-%d">7000.00<' % policy.pk in listing.content
    # The policy's column is its name, not a person's (姓名).
    assert "<th>政策</th>" in listing.content.decode() and "姓名" not in listing.content.decode()
    edit = client.get(reverse("assistance:subsidy-policy-edit", args=[policy.pk]))
    assert "姓名" not in edit.content.decode()
    new = client.post(reverse("assistance:subsidy-policy-new"), {
        "year": "2027", "name": "一次性创业补贴", "amount": "3000", "budget": "30000",
        "eligible_groups": ["minimum_living", "student_loan"], "documents_required": "申请表\n营业执照",
        "opens_on": "2026-12-01", "closes_on": "2027-03-31", "graduating_only": "on", "is_active": "on"})  # fmt: skip
    assert new.status_code == 302
    bad = client.post(
        reverse("assistance:subsidy-policy-new"), {"year": "2027", "name": "x", "amount": "abc"}
    )
    assert bad.status_code == 400 and bad.context["error"].field == "amount"


def test_staff_apply_for_a_student_in_scope(college, client):
    policy = subsidy_policy(college)
    dibao(college.student_a)
    _login(client, college, "counsellor_a")
    page = client.get(reverse("assistance:subsidy-apply-for", args=[college.student_a.pk]))
    assert [o["offer"].eligibility.eligible for o in page.context["offers"]] == [True]
    files = {f"doc-{n}": SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(len(DOCUMENTS))}
    response = client.post(reverse("assistance:subsidy-apply-for", args=[college.student_a.pk]),
                           {"policy": policy.pk, **files})  # fmt: skip
    app = SubsidyApplication.objects.get()
    assert response["Location"] == reverse("assistance:subsidy-detail", args=[app.pk])
    hidden = client.get(reverse("assistance:subsidy-apply-for", args=[college.student_b.pk]))
    assert hidden.status_code == 404


def test_the_portal_lists_open_policies_with_eligibility_and_what_is_missing(college, client):
    subsidy_policy(college)
    _login(client, college, "student_a")
    with translation.override("en"):
        page = client.get(reverse("portal:subsidies"), HTTP_ACCEPT_LANGUAGE="en")
    (offer,) = page.context["offers"]
    assert offer["offer"].eligibility.eligible is False
    assert offer["reasons"][0]["text"].startswith("没有以下任一有效证明")  # the portal is Chinese
    assert b"apply-form-" not in page.content
    for label in ("困难生", "低保家庭学生", "贫困生"):
        assert label not in page.content.decode()


def test_the_student_applies_in_the_portal_and_sees_only_their_own(college, client):
    policy = subsidy_policy(college)
    dibao(college.student_a)
    _login(client, college, "student_a")
    files = {f"doc-{n}": SimpleUploadedFile(f"{n}.pdf", PDF) for n in range(len(DOCUMENTS))}
    response = client.post(reverse("portal:subsidy-apply", args=[policy.pk]), files)
    mine = SubsidyApplication.objects.get(student=college.student_a)
    assert response["Location"] == reverse("portal:subsidy-detail", args=[mine.pk])
    other = subsidy_application(college, policy=policy, student=_another(college))
    assert client.get(reverse("portal:subsidy-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("portal:subsidy-detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("portal:subsidy-resubmit", args=[other.pk])).status_code == 404
    assert client.get(reverse("assistance:subsidy-detail", args=[other.pk])).status_code == 403


@pytest.mark.parametrize(
    ("persona", "shown"), [("counsellor_a", True), ("leader", False), ("aid_staff", False)]
)
def test_the_student_file_links_staff_who_may_apply_to_the_subsidy_page(
    college, client, persona, shown
):
    _login(client, college, persona)
    page = client.get(reverse("students:detail", args=[college.student_a.pk]))
    link = reverse("assistance:subsidy-apply-for", args=[college.student_a.pk])
    assert (link in page.content.decode()) is shown


def test_the_case_file_timeline_shows_each_subsidy_step_to_its_readers(college):
    from jingzhun.assistance.timeline import entries_for

    app = subsidy_application(college, status="school_approved")

    def subsidy_entries(persona):
        entries = entries_for(actor=college.personas[persona], student=college.student_a)
        return [(e.kind, e.link, e.actor_name) for e in entries if e.kind == "subsidy_event"]

    link = reverse("assistance:subsidy-detail", args=[app.pk])
    assert subsidy_entries("counsellor_a") == [
        ("subsidy_event", link, "王小明"),
        ("subsidy_event", link, "信息学院就业专干"),
    ]
    assert subsidy_entries("student_a") == [("subsidy_event", "", "")] * 2
    assert subsidy_entries("psych_staff") == [] and subsidy_entries("aid_staff") == []
