"""Recommendations for every active case: start (office only), execute, stored rows."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.errors import DomainError
from jingzhun.core.models import Job
from jingzhun.identification.models import Case
from jingzhun.jobs.models import (
    Education,
    Employer,
    JobPosting,
    JobRecommendation,
    RecommendationRun,
)
from jingzhun.jobs.runs import RECOMMEND_JOB, recommendation_run_execute, recommendation_run_start
from jingzhun.students.models import JobIntention

pytestmark = pytest.mark.django_db


def _postings(college: Any, count: int) -> None:
    employer = Employer.objects.create(institution=college.institution, name="甲", name_key="甲",
                                       vetting=Employer.Vetting.VERIFIED)  # fmt: skip
    for n in range(count):
        JobPosting.objects.create(institution=college.institution, employer=employer, title=f"开发{n}",
                                  title_key=f"开发{n}", place_key="410100", city_code="410100",
                                  education=Education.ZHUANKE, majors=["510201"] if n % 2 else [],
                                  salary_min=4000 + 100 * n, salary_max=6000 + 100 * n,
                                  tokens="python 开发")  # fmt: skip


def test_the_office_starts_a_run_as_a_long_job(college: Any) -> None:
    run = recommendation_run_start(actor=college.personas["employment_officer"])
    assert run.status == "queued"
    assert Job.objects.filter(kind=RECOMMEND_JOB, subject_id=run.pk).count() == 1
    with pytest.raises(DomainError):
        recommendation_run_start(actor=college.personas["counsellor_a"])
    assert RecommendationRun.objects.count() == 1


def test_a_run_stores_ten_recommendations_for_each_active_case_and_replaces_them(
    college: Any,
) -> None:
    _postings(college, 12)
    Case.objects.create(student=college.student_a, status=Case.Status.CONFIRMED)
    Case.objects.create(student=college.student_b, status=Case.Status.DISMISSED)
    JobIntention.objects.create(student=college.student_a, recorded_on="2026-11-01", plan="employment",
                                occupation="Python 开发", city="郑州", salary_min=5000)  # fmt: skip
    run = recommendation_run_start(actor=college.personas["employment_officer"])
    run = recommendation_run_execute(run_id=run.pk)
    assert (run.status, run.students, run.postings) == ("finished", 1, 12)
    rows = list(JobRecommendation.objects.filter(student=college.student_a))
    assert [r.rank for r in rows] == list(range(1, 11))
    assert not JobRecommendation.objects.filter(student=college.student_b).exists()  # dismissed
    best = rows[0]
    assert best.posting.title == "开发11" and best.reason.startswith(
        "专业对口（计算机应用技术）；期望城市郑州；薪资 5.1-7.1K 高于期望"
    )
    assert set(best.parts) == {"major", "city", "salary", "education", "text"}

    again = recommendation_run_execute(
        run_id=recommendation_run_start(actor=college.personas["employment_officer"]).pk
    )
    assert again.status == "finished"
    assert JobRecommendation.objects.count() == 10 and set(
        JobRecommendation.objects.values_list("run", flat=True)
    ) == {again.pk}
    assert recommendation_run_execute(run_id=again.pk) == again  # a finished run is left alone


def test_the_pages_start_a_run_and_show_what_it_stored(college: Any, client: Any) -> None:
    from django.urls import reverse

    _postings(college, 3)
    Case.objects.create(student=college.student_a, status=Case.Status.IN_ASSISTANCE)
    client.force_login(college.user("employment_officer"))
    response = client.post(reverse("jobs:recommendation-run"))
    assert response.status_code == 302
    run = RecommendationRun.objects.get()
    recommendation_run_execute(run_id=run.pk)
    html = client.get(reverse("jobs:posting-list")).content.decode()
    assert 'data-testid="recommendation-run"' in html and "1 名学生" in html
    JobPosting.objects.filter(title="开发0").update(deadline="2020-01-01")  # closed since the run
    html = client.get(
        reverse("jobs:student-recommendations", args=[college.student_a.pk])
    ).content.decode()
    assert 'data-testid="computed-at"' in html
    assert "开发2" in html and "开发1" in html and "开发0" not in html
    client.force_login(college.user("counsellor_a"))
    assert (
        'data-testid="recommendation-run"'
        not in client.get(reverse("jobs:posting-list")).content.decode()
    )


def test_a_run_superseded_by_a_later_finished_run_of_every_case_stores_nothing(
    college: Any,
) -> None:
    _postings(college, 3)
    Case.objects.create(student=college.student_a, status=Case.Status.CONFIRMED)
    office = college.personas["employment_officer"]
    older = recommendation_run_start(actor=office)
    newer = recommendation_run_execute(run_id=recommendation_run_start(actor=office).pk)

    older = recommendation_run_execute(run_id=older.pk)

    assert (older.status, older.students, newer.students) == ("finished", 0, 1)
    assert set(JobRecommendation.objects.values_list("run", flat=True)) == {newer.pk}
