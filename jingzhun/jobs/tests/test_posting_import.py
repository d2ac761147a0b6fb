"""The `postings` import kind through the wizard's services: reports, merges, employers."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import Job
from jingzhun.jobs.models import Education, Employer, JobPosting, RecommendationRun
from jingzhun.jobs.tests.helpers import import_postings
from jingzhun.students.intake.permissions import can_import

pytestmark = pytest.mark.django_db

HEADER = "职位名称,公司名称,统一社会信用代码,工作城市,薪资,学历,工作经验,截止日期\n"


def _csv(*lines: str) -> bytes:
    return (HEADER + "\n".join(lines) + "\n").encode("gb18030")


def test_a_file_is_checked_then_applied_with_merges_and_reasons(college: Any) -> None:
    actor = college.personas["employment_officer"]
    data = _csv(
        "Python 工程师,腾讯科技（深圳）有限公司,91350100M000100Y43,深圳-南山区,15-25K·14薪,本科,1-3年,2099-12-31",
        "python工程师,腾讯科技(深圳)有限责任公司,,深圳,16-26K,本科,3-5年,",
        "测试工程师,腾讯科技(深圳)有限公司,,昆山,3000-5000,大专,经验不限,",
        "会计,郑州某某会计师事务所,91350100M000100Y44,河南省郑州市,面议,,,2020-01-01",
        "见习文员,郑州某某会计师事务所,,郑州,,中专,,",
        ",没有职位的公司,,北京,5K,,,",
    )
    batch = import_postings(actor, "postings.csv", data, apply=False)
    plan = batch.reading["plan"]
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (6, 5, 1)
    assert batch.errors[0]["row"] == 7 and batch.errors[0]["message"] == "职位名称不能为空"
    assert plan["counts"] == {"merged_in_file": 1, "postings_new": 4, "merged_existing": 0,
                              "employers_new": 2, "employers_existing": 0, "rows": 6}  # fmt: skip
    assert plan["reasons"] == {
        "薪资缺少单位（K、千、万或元）": 1,
        "不是地级市或直辖市名称（县级市、区县无法识别）": 1,
        "统一社会信用代码无效（未保存）": 1,
        "薪资面议": 1,
        "未注明薪资": 1,
    }

    batch = import_postings(actor, "postings.csv", data, mode="valid_rows")
    assert (batch.created_count, batch.updated_count) == (4, 0)
    run = RecommendationRun.objects.get()  # the pool changed: every case's recommendations
    assert batch.reading["applied"]["recommendation_run"] == run.pk
    assert Job.objects.filter(kind="jobs.recommend", subject_id=run.pk).exists()
    tencent = Employer.objects.get(name_key="腾讯科技(深圳)")
    assert tencent.credit_code == "91350100M000100Y43"
    assert Employer.objects.get(name="郑州某某会计师事务所").credit_code == ""  # invalid: not kept
    engineer = JobPosting.objects.get(employer=tencent, title_key="python工程师")
    # the later row of the file wins the merge
    assert (engineer.salary_min, engineer.salary_max, engineer.salary_months) == (16000, 26000, 12)
    assert (engineer.city_code, engineer.education, engineer.experience_years) == (
        "440300",
        Education.BENKE,
        3,
    )
    assert engineer.tokens == "python 工程师"  # stored for matching
    tester = JobPosting.objects.get(title="测试工程师")
    assert (tester.salary_text, tester.salary_min, tester.salary_problem) == (
        "3000-5000",
        None,
        "no_unit",
    )
    assert (tester.city_code, tester.city_text) == ("", "昆山")
    assert JobPosting.objects.get(title="见习文员").internship is True
    active = set(JobPosting.objects.active().values_list("title", flat=True))
    assert active == {"python工程师", "测试工程师", "见习文员"}  # 会计 closed in 2020

    again = import_postings(actor, "postings.csv", data)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 4)
    assert RecommendationRun.objects.count() == 1  # nothing written, no new run
    changed = import_postings(
        actor, "postings.csv", data.replace("面议".encode("gb18030"), "5-6K".encode("gb18030"))
    )
    assert (changed.created_count, changed.updated_count, changed.unchanged_count) == (0, 1, 3)
    assert JobPosting.objects.get(title="会计").salary_min == 5000
    assert RecommendationRun.objects.count() == 2
    assert JobPosting.objects.count() == 4 and Employer.objects.count() == 2


def test_only_the_employment_office_imports_postings(college: Any) -> None:
    allowed = {name for name, actor in college.personas.items() if can_import(actor, "postings")}
    assert allowed == {"employment_officer", "outsider"}  # the outsider runs another college


# Each real file: (rows, errors, imported, merged in file, merged with earlier files,
# employers new, reasons). Imported in this order into one college.
REAL_FILES = [
    ("boss_zhipin_python_multicity.csv", 2411, 0, 2095, 315, 0, 1414, {"重复的表头行": 1}),
    ("51job_cugwhzenith_2019.gbk.csv", 4950, 0, 4915, 35, 0, 4702,
     {"未注明薪资": 269, "未注明城市": 28, "不是地级市或直辖市名称（县级市、区县无法识别）": 23,
      "只写到省，无法确定城市": 17}),
    ("51job_cugwhzenith_2019.utf8.csv", 4950, 0, 0, 35, 4915, 0,
     {"未注明薪资": 269, "未注明城市": 28, "不是地级市或直辖市名称（县级市、区县无法识别）": 23,
      "只写到省，无法确定城市": 17}),
    ("zhilian_zl.jsonl", 270, 0, 258, 11, 1, 165, {"薪资面议": 13}),
]  # fmt: skip


WRITTEN = {  # (updated, unchanged) of the postings already kept
    "boss_zhipin_python_multicity.csv": (0, 0),
    "51job_cugwhzenith_2019.gbk.csv": (0, 0),
    "51job_cugwhzenith_2019.utf8.csv": (0, 4915),
    "zhilian_zl.jsonl": (1, 0),
}


def test_the_real_files_are_imported_with_their_reports(college: Any, realdata_dir: Any) -> None:
    actor = college.personas["employment_officer"]
    for name, rows, errors, new, in_file, existing, employers, reasons in REAL_FILES:
        batch = import_postings(actor, name, (realdata_dir / "jobs_cn" / name).read_bytes())
        counts = batch.reading["plan"]["counts"]
        assert (batch.status, batch.total_rows, batch.error_rows) == ("applied", rows, errors), name
        assert (batch.created_count, counts["merged_in_file"], counts["merged_existing"]) == (
            new, in_file, existing,
        ), name  # fmt: skip
        # written again only when changed: the UTF-8 copy of the 51job file changes nothing
        assert (batch.updated_count, batch.unchanged_count) == WRITTEN[name], name
        assert counts["employers_new"] == employers, name
        assert batch.reading["plan"]["reasons"] == reasons, name
    assert JobPosting.objects.count() == 2095 + 4915 + 258
    # every salary of the real files was understood (the one failure was a header line)
    assert not JobPosting.objects.exclude(salary_problem="").exists()


def test_the_batch_page_shows_the_report(college: Any, client: Any) -> None:
    from django.urls import reverse

    actor = college.personas["employment_officer"]
    data = _csv("会计,甲公司,,郑州,面议,,,", "会计,甲有限公司,,郑州市,5-6K,,,")
    batch = import_postings(actor, "postings.csv", data, apply=False)
    client.force_login(college.user("employment_officer"))
    html = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert "新增岗位：1" in html and "合并：文件内重复（同一单位、职位、城市）：1" in html
    assert "薪资面议：1" in html
    batch = import_postings(actor, "postings.csv", data)
    html = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert (
        "新增岗位：1；合并更新岗位：0；已有且未变的岗位：0；文件内重复合并：1；新增用人单位：1"
        in html
    )


def test_an_employer_is_found_by_its_credit_code_under_another_name(college: Any) -> None:
    actor = college.personas["employment_officer"]
    kept = Employer.objects.create(institution=college.institution, name="甲科技有限公司", name_key="甲科技",
                                   credit_code="91350100M000100Y43", vetting=Employer.Vetting.BLACKLISTED)  # fmt: skip
    batch = import_postings(
        actor, "p.csv", _csv("文员,甲科技（郑州）分公司,91350100M000100Y43,郑州,4-5K,,,")
    )
    assert batch.reading["plan"]["counts"]["employers_existing"] == 1
    assert batch.reading["plan"]["counts"]["employers_new"] == 0
    assert batch.created_count == 1 and Employer.objects.count() == 1
    posting = JobPosting.objects.get()
    assert posting.employer == kept
    kept.refresh_from_db()
    assert (kept.name, kept.vetting) == (
        "甲科技有限公司",
        "blacklisted",
    )  # never renamed or re-vetted
    assert not JobPosting.objects.offerable().exists()  # a blacklisted employer's posting
