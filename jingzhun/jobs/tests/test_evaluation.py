"""The matching evaluation: which postings are closest to a destination, and the figures on a
small college worked out by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from jingzhun.jobs.credit_code import normalise_employer_name
from jingzhun.jobs.evaluation import (
    EMPLOYER,
    EMPLOYER_CITY,
    OCCUPATION_CITY,
    Destination,
    PoolKeys,
    PostingKey,
    closest_postings,
    matching_evaluate,
)
from jingzhun.jobs.models import Education, Employer, JobPosting
from jingzhun.students.models import GraduateDestination, Internship, JobIntention, Student

POOL = PoolKeys([
    PostingKey("宇辰", "410100", "软件测试工程师", "软件测试工程师"),
    PostingKey("宇辰", "310000", "运维工程师", "运维工程师"),
    PostingKey("华信", "410300", "会计助理", "会计助理（见习）"),
    PostingKey("立信", "410300", "", "会计助理"),
])  # fmt: skip


@pytest.mark.parametrize(
    ("destination", "rule", "indexes"),
    [
        (Destination("宇辰", "410100", "会计助理"), EMPLOYER_CITY, [0]),  # the employer first
        (Destination("宇辰", "440300"), EMPLOYER, [0, 1]),  # not in that city: anywhere
        (Destination("远景", "410300", "会计助理"), OCCUPATION_CITY, [2, 3]),  # occupation or title
        (Destination("远景", "410100", "会计助理"), "", []),  # not in that city
        (Destination("远景", "410300", ""), "", []),  # occupation unknown
        (Destination("", "410300", ""), "", []),
    ],
)
def test_the_closest_postings(destination, rule, indexes):
    assert closest_postings(destination, POOL) == (rule, indexes)


def _posting(college: Any, employer: str, title: str, city: str, major: str) -> JobPosting:
    key = normalise_employer_name(employer)
    found, _ = Employer.objects.get_or_create(institution=college.institution, name_key=key,
                                              defaults={"name": employer})  # fmt: skip
    return JobPosting.objects.create(
        institution=college.institution, employer=found, title=title, title_key=title,
        place_key=city, city_code=city, occupation=title, majors=[major],
        education=Education.ZHUANKE, salary_min=4000, salary_max=6000, tokens=title,
    )  # fmt: skip


def _graduate(
    student: Student, employer: str, city: str, occupation: str, wanted_city: str
) -> None:
    Student.objects.filter(pk=student.pk).update(status=Student.Status.GRADUATED)
    GraduateDestination.objects.create(student=student, code_id="11", employer_name=employer,
                                       city=city, recorded_on="2026-06-01")  # fmt: skip
    JobIntention.objects.create(student=student, recorded_on="2025-10-20", plan="employment",
                                occupation=occupation, city=wanted_city, salary_min=4000)  # fmt: skip


@pytest.mark.django_db
def test_the_matcher_the_major_only_baseline_and_chance_on_a_small_college(college: Any) -> None:
    # A (计算机应用技术) joined 宇辰 in Zhengzhou; B (大数据与会计) the 洛阳 firm of her placement.
    _graduate(college.student_a, "郑州宇辰信息技术有限公司", "郑州市", "软件测试工程师", "郑州")
    _graduate(college.student_b, "洛阳华信财务咨询有限公司", "洛阳市", "会计助理", "洛阳")
    Internship.objects.create(student=college.student_b, employer_name="洛阳华信财务咨询有限公司",
                              position="会计助理", city="洛阳市", start_date="2025-09-15")  # fmt: skip
    _posting(college, "郑州宇辰信息技术有限公司", "软件测试工程师", "410100", "510201")  # A's
    _posting(college, "郑州宇辰信息技术有限公司", "软件测试工程师", "310000", "510201")
    _posting(college, "北京启明软件科技有限公司", "Java开发工程师", "110000", "510201")
    _posting(college, "北京众诚商贸有限公司", "出纳", "110000", "530302")
    _posting(college, "洛阳立信会计师事务所", "会计助理", "410300", "530302")  # B's occupation

    result = matching_evaluate(institution_id=college.institution.pk, k=1)

    assert (result.postings, result.graduates, result.evaluated, result.skipped) == (5, 2, 2, 0)
    assert dict(result.by_rule) == {EMPLOYER_CITY: 1, OCCUPATION_CITY: 1}
    assert result.closest_mean == 1.0 and result.candidates_mean == 5.0
    # The matcher puts each closest posting first (same major, and the wanted city).
    assert (result.hit["matcher"], result.ndcg["matcher"]) == (1.0, 1.0)
    # Major only: A's posting tied with two other 510201 postings, B's with one 530302.
    assert result.hit["major only"] == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert result.ndcg["major only"] == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert result.hit["chance"] == pytest.approx(1 / 5)


@pytest.mark.django_db
def test_graduates_without_a_close_posting_are_counted_and_the_command_prints(
    college: Any, capsys: Any
) -> None:
    _graduate(college.student_a, "郑州宇辰信息技术有限公司", "郑州市", "软件测试工程师", "郑州")
    _posting(college, "北京启明软件科技有限公司", "Java开发工程师", "110000", "510201")

    result = matching_evaluate(institution_id=college.institution.pk)
    assert (result.graduates, result.evaluated, result.skipped, result.hit) == (1, 0, 1, {})

    call_command("evaluate_matching", "--institution", college.institution.code)
    out = capsys.readouterr().out
    assert "evaluated 0" in out and "skipped 1" in out and "Nothing to evaluate" in out
