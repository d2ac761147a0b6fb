"""Employers and postings pages, the vetting service and the students' pool."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.jobs import selectors, services
from jingzhun.jobs.models import Education, Employer, EmployerContact, JobPosting

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)


def _employer(college: Any, name: str, vetting: str = Employer.Vetting.VERIFIED) -> Employer:
    return Employer.objects.create(
        institution=college.institution, name=name, name_key=name, vetting=vetting
    )


def _posting(employer: Employer, title: str, **fields: Any) -> JobPosting:
    defaults = {"city_code": "410100", "place_key": "410100", "education": Education.ZHUANKE}
    return JobPosting.objects.create(institution=employer.institution, employer=employer, title=title,
                                     title_key=title, **(defaults | fields))  # fmt: skip


def test_students_are_never_offered_blacklisted_employers_or_expired_postings(college: Any) -> None:
    good, bad = _employer(college, "甲"), _employer(college, "乙", Employer.Vetting.BLACKLISTED)
    pending = _employer(college, "丙", Employer.Vetting.PENDING)
    _posting(good, "open", deadline=TODAY)
    _posting(good, "no deadline")
    _posting(good, "closed", deadline=TODAY - dt.timedelta(days=1))
    _posting(bad, "blacklisted")
    _posting(pending, "pending employer")
    pool = selectors.postings_for_students(institution_id=college.institution.pk, today=TODAY)
    assert set(pool.values_list("title", flat=True)) == {"open", "no deadline", "pending employer"}


def test_blacklisting_needs_a_reason_and_is_audited(college: Any) -> None:
    officer = college.personas["employment_officer"]
    employer = _employer(college, "甲", Employer.Vetting.PENDING)
    with pytest.raises(DomainError) as refused:
        services.employer_vet(actor=officer, employer=employer, vetting="blacklisted", reason=" ")
    assert refused.value.code == "employer.reason_required"
    employer.refresh_from_db()
    assert (
        employer.vetting == "pending"
        and not AuditLog.objects.filter(object_id=str(employer.pk)).exists()
    )

    services.employer_vet(
        actor=officer, employer=employer, vetting="blacklisted", reason="拖欠实习工资"
    )
    employer.refresh_from_db()
    assert (employer.vetting, employer.vetting_reason, employer.vetted_by) == (
        "blacklisted",
        "拖欠实习工资",
        officer.user,
    )
    entry = AuditLog.objects.get(object_id=str(employer.pk))
    assert entry.detail == {"vetting": ["pending", "blacklisted"], "reason": "拖欠实习工资"}

    with pytest.raises(DomainError):
        services.employer_vet(
            actor=college.personas["school_officer_a"], employer=employer, vetting="verified"
        )


def test_the_postings_list_filters_and_counts(
    college: Any, client: Client, django_assert_num_queries: Any
) -> None:
    good = _employer(college, "甲")
    _posting(good, "开发", salary_min=8000, salary_max=12000, education=Education.BENKE)
    _posting(good, "文员", salary_min=4000, salary_max=5000, internship=True)
    _posting(good, "销售", city_code="110000", place_key="110000", salary_min=6000, salary_max=None)
    _posting(good, "过期", deadline=dt.date(2020, 1, 1))
    client.force_login(college.user("counsellor_a"))
    url = reverse("jobs:posting-list")

    def titles(**query: Any) -> list[str]:
        page = client.get(url, query).context["page"]
        return sorted(p.title for p in page)

    assert titles() == ["开发", "文员", "销售"]
    assert titles(city="110000") == ["销售"]
    assert titles(education=3) == ["文员", "销售"]  # a 大专 student: postings asking 大专 or less
    assert titles(salary_from=5500) == ["开发", "销售"]
    assert titles(salary_to=5000) == ["文员"]
    assert titles(flag="internship") == ["文员"]
    assert titles(state="expired") == ["过期"]
    assert titles(state="all", q="甲") == ["开发", "文员", "过期", "销售"]
    assert titles(city="<script>", education="x", salary_from="-1", state="bogus") == [
        "开发",
        "文员",
        "销售",
    ]
    response = client.get(url)
    page_html = response.content.decode()
    assert 'data-testid="posting-count">3<' in page_html
    assert "8-12K" in page_html and "6K以上" in page_html
    for n in range(60):
        _posting(good, f"岗位{n}")
    with django_assert_num_queries(9):  # the same as with 3 postings: no query per row
        client.get(url)


def test_employers_list_masks_contact_phones_and_vets(college: Any, client: Client) -> None:
    employer = _employer(college, "甲公司", Employer.Vetting.PENDING)
    EmployerContact.objects.create(employer=employer, name="王经理", phone="13812345678")
    client.force_login(college.user("employment_officer"))
    html = client.get(reverse("jobs:employer-list")).content.decode()
    assert "138****5678" in html and "13812345678" not in html
    client.post(
        reverse("jobs:employer-vet", args=[employer.pk]), {"vetting": "blacklisted", "reason": ""}
    )
    employer.refresh_from_db()
    assert employer.vetting == "pending"  # refused: no reason
    client.post(
        reverse("jobs:employer-vet", args=[employer.pk]),
        {"vetting": "blacklisted", "reason": "虚假招聘"},
    )
    employer.refresh_from_db()
    assert (employer.vetting, employer.vetting_reason) == ("blacklisted", "虚假招聘")
    html = client.get(reverse("jobs:employer-list"), {"vetting": "blacklisted"}).content.decode()
    assert 'data-testid="employer-count">1<' in html and "虚假招聘" in html


def test_posting_detail_shows_the_parsed_and_the_given_salary(college: Any, client: Client) -> None:
    posting = _posting(_employer(college, "甲"), "开发", salary_min=10000, salary_max=15000, salary_months=13,
                       salary_text="10-15K·13薪", description="负责开发\n熟悉 Python")  # fmt: skip
    client.force_login(college.user("school_officer_a"))
    html = client.get(reverse("jobs:posting-detail", args=[posting.pk])).content.decode()
    assert "10-15K·13薪" in html and "郑州市" in html and "负责开发<br>熟悉 Python" in html
