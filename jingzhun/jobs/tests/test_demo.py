"""The jobs demo on a small college: generated postings through the import, vetting, runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from jingzhun.identification.models import Case
from jingzhun.jobs.demo import LOCAL_FILE, seed_jobs_demo
from jingzhun.jobs.models import Employer, JobPosting, JobRecommendation, RecommendationRun
from jingzhun.students.demo.employers import OCCUPATIONS
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.models import GraduateDestination, Student

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def test_the_demo_without_public_files_generates_local_postings_and_recommends(
    college: Any,
) -> None:
    Student.objects.filter(pk=college.student_a.pk).update(status=Student.Status.GRADUATED)
    GraduateDestination.objects.create(student=college.student_a, code_id="11", city="郑州市",
                                       employer_name="郑州宇辰信息技术有限公司", recorded_on="2026-06-01")  # fmt: skip
    Case.objects.create(student=college.student_b, status=Case.Status.CONFIRMED)

    result = seed_jobs_demo(institution_code=college.institution.code, realdata_dir=None,
                            today=TODAY, returning=5, others=12)  # fmt: skip

    assert result is not None and result.real_files == 0
    batch = ImportBatch.objects.get()  # one file, through the import the office uses
    assert (batch.original_name, batch.status) == (LOCAL_FILE, "applied")
    postings = JobPosting.objects.filter(institution=college.institution)
    assert result.postings == postings.count() == batch.created_count
    # the employer that hired the graduate recruits again, in her city, in her line of work
    returning = postings.filter(employer__name="郑州宇辰信息技术有限公司")
    assert returning.exists() and {p.city_code for p in returning} == {"410100"}
    assert {p.occupation for p in returning} <= set(OCCUPATIONS["it"])
    # every salary text of the generated file is understood; deadlines ahead, a few passed
    assert not postings.exclude(salary_problem="").exists()
    assert not postings.filter(deadline__isnull=True).exists()
    assert postings.filter(deadline__gt=TODAY).count() > postings.count() // 2
    blacklisted = Employer.objects.filter(vetting=Employer.Vetting.BLACKLISTED)
    assert result.blacklisted == blacklisted.count() == 1 and blacklisted.get().vetting_reason
    # every run the imports queued is done; the confirmed case has its ten
    assert set(RecommendationRun.objects.values_list("status", flat=True)) == {"finished"}
    assert result.recommended_students == 1
    assert JobRecommendation.objects.filter(student=college.student_b).count() == min(
        10, postings.count()
    )

    assert seed_jobs_demo(institution_code=college.institution.code, realdata_dir=None) is None
    assert JobPosting.objects.count() == result.postings  # a second seed changes nothing
