"""Recommendations for one student: the pool, the student's profile, the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.jobs.models import Education, Employer, JobPosting
from jingzhun.jobs.recommendations import recommendations_for, student_profile
from jingzhun.students.models import DisabilityRecord, JobIntention

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 1)


def _posting(
    college: Any, title: str, vetting: str = Employer.Vetting.VERIFIED, **fields: Any
) -> JobPosting:
    employer, _ = Employer.objects.get_or_create(institution=college.institution, name=f"{vetting}单位",
                                                 name_key=f"{vetting}单位", defaults={"vetting": vetting})  # fmt: skip
    base = {"city_code": "410100", "place_key": "410100", "education": Education.ZHUANKE,
            "salary_min": 5000, "salary_max": 8000}  # fmt: skip
    return JobPosting.objects.create(institution=college.institution, employer=employer, title=title,
                                     title_key=title, **(base | fields))  # fmt: skip


def _intention(college: Any) -> None:
    JobIntention.objects.create(student=college.student_a, recorded_on=TODAY, plan="employment",
                                occupation="Python 软件开发", city="郑州", salary_min=4000)  # fmt: skip


def test_the_profile_comes_from_the_registry(college: Any) -> None:
    _intention(college)
    profile = student_profile(college.student_a)
    assert (profile.major_code, profile.education, profile.cities, profile.salary_min) == (
        "510201", Education.ZHUANKE, ("410100",), 4000,
    )  # fmt: skip
    assert profile.needs_disability_friendly is False
    assert profile.text == "Python 软件开发 计算机应用技术"


def test_recommendations_leave_out_what_a_student_may_not_be_offered(college: Any) -> None:
    _intention(college)
    _posting(college, "Python开发", majors=["510201"], description="Python 软件开发")
    _posting(college, "软件测试", majors=["510203"], description="测试")
    _posting(college, "黑名单岗位", Employer.Vetting.BLACKLISTED, majors=["510201"])
    _posting(college, "已截止", majors=["510201"], deadline=TODAY - dt.timedelta(days=1))
    _posting(college, "本科岗位", majors=["510201"], education=Education.BENKE)
    found = recommendations_for(student=college.student_a, today=TODAY)
    assert [r.posting.title for r in found] == ["Python开发", "软件测试"]
    assert (
        found[0].reason
        == "专业对口（计算机应用技术）；期望城市郑州；薪资 5-8K 高于期望；学历要求相符（大专）；描述与求职意向相近"
    )
    assert found[1].reason.startswith("专业同类（计算机类）；期望城市郑州")


def test_a_student_with_a_disability_record_gets_disability_friendly_postings_only(
    college: Any,
) -> None:
    DisabilityRecord.objects.create(student=college.student_a, category="physical", grade=4)
    _posting(college, "普通岗位")
    _posting(college, "助残岗位", disability_friendly=True)
    assert [
        r.posting.title for r in recommendations_for(student=college.student_a, today=TODAY)
    ] == ["助残岗位"]


def test_the_page_shows_reasons_without_the_disability(college: Any, client: Client) -> None:
    _intention(college)
    _posting(college, "Python开发", majors=["510201"])
    client.force_login(college.user("counsellor_a"))
    html = client.get(
        reverse("jobs:student-recommendations", args=[college.student_a.pk])
    ).content.decode()
    assert "Python开发" in html and "专业对口（计算机应用技术）；期望城市郑州" in html
