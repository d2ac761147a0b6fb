"""The `postings` import kind: job postings from BOSS直聘, 前程无忧 and 智联 exports (or any sheet
with the same columns), through the registry's wizard (read → map → check → apply).

Every row is one posting of one employer. The check parses salaries (`salary.py`), places
(`places.py`) and requirements (`requirements.py`) and plans the apply: postings new,
merged (same employer + title + city, in the file or already kept), employers new; what
could not be understood is kept as text and counted by reason, never guessed. Only a row
without a title or an employer is an error. A repeated header line (scrapers append one) is
skipped and counted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingzhun.jobs.credit_code import (
    credit_code_problem,
    normalise_credit_code,
    normalise_employer_name,
)
from jingzhun.jobs.matching import posting_tokens
from jingzhun.jobs.models import Employer, JobPosting
from jingzhun.jobs.places import city_code
from jingzhun.jobs.requirements import (
    headcount,
    looks_like_grassroots,
    looks_like_internship,
    requirements,
    title_key,
)
from jingzhun.jobs.runs import recommendation_run_queue
from jingzhun.jobs.salary import parse_salary, unwrap
from jingzhun.students.intake import parsers as p
from jingzhun.students.intake.apply import ApplyCounts
from jingzhun.students.intake.kinds import FieldSpec, KindSpec
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.setup import SetupValidation
from jingzhun.students.intake.validate import RowError


def _cell(max_length: int) -> p.Parser:
    """Text with 51job's `['…']` wrapping removed; longer than `max_length` is an error."""

    def parse(value: str) -> str:
        return p.text(max_length)(unwrap(value))

    return parse


def _raw(value: str) -> str:
    return value


def _date(value: str) -> dt.date | None:
    value = unwrap(value)
    return p.date(value) if value else None


def _flag(value: str) -> bool:
    value = unwrap(value)
    return p.boolean(value) if value else False


POSTINGS = KindSpec(
    slug="postings",
    label=_("Job postings"),
    model=JobPosting,
    key=(),
    per_student=False,
    fields=(
        FieldSpec("title", "职位名称", _cell(200), ("职位名称", "职位", "岗位名称", "岗位", "职位名", "招聘岗位", "jobname"), required=True),
        FieldSpec("employer", "公司名称", _cell(200), ("公司名称", "公司", "单位名称", "企业名称", "用人单位", "招聘单位", "name", "companyname"), required=True),
        FieldSpec("credit_code", "统一社会信用代码", _cell(40), ("统一社会信用代码", "社会信用代码", "信用代码")),
        FieldSpec("employer_info", "公司信息", _cell(200), ("公司信息", "公司规模", "企业规模", "size")),
        FieldSpec("city", "工作城市", _cell(200), ("工作城市", "职位地址", "地区", "工作地点", "工作地区", "城市", "jobarea")),
        FieldSpec("address", "公司地址", _cell(300), ("公司地址", "上班地址", "工作地址", "jobaddress")),
        FieldSpec("salary", "薪资", _raw, ("薪资", "薪资待遇", "薪酬", "月薪", "工资", "salary")),
        FieldSpec("requirements", "学历经验要求", _raw, ("学历经验要求", "经验学历要求", "任职资格")),
        FieldSpec("education", "学历", _raw, ("学历", "学历要求", "最低学历", "edulevel")),
        FieldSpec("experience", "工作经验", _raw, ("工作经验", "经验要求", "经验", "workingexp")),
        FieldSpec("headcount", "招聘人数", _raw, ("招聘人数", "人数", "需求人数", "plan")),
        FieldSpec("description", "职位描述", _cell(20000), ("职位描述", "岗位信息", "岗位职责", "职位详情", "岗位描述", "jobdetail")),
        FieldSpec("skills", "技能要求", _cell(500), ("技能要求", "技能", "jobskills")),
        FieldSpec("occupation", "职业类别", _cell(100), ("职业类别", "职业", "职位类别", "岗位类别")),
        FieldSpec("majors", "专业要求", _cell(500), ("专业要求", "所需专业", "招聘专业")),
        FieldSpec("deadline", "截止日期", _date, ("截止日期", "截止时间", "有效期至", "报名截止")),
        FieldSpec("published_on", "发布日期", _date, ("发布日期", "发布时间", "时间")),
        FieldSpec("url", "职位链接", _cell(500), ("职位链接", "详情页链接", "链接", "joburl")),
        FieldSpec("disability_friendly", "残疾人友好", _flag, ("残疾人友好", "接收残疾人", "助残岗位")),
        FieldSpec("internship", "见习岗位", _flag, ("见习岗位", "就业见习", "实习岗位")),
        FieldSpec("grassroots", "基层项目", _flag, ("基层项目", "基层岗位")),
    ),
)  # fmt: skip

# What the check found, counted by reason (the keys are what the page and the report show).
SALARY_MISSING = "未注明薪资"
SALARY_NEGOTIABLE = "薪资面议"
REPEATED_HEADER = "重复的表头行"
CREDIT_CODE_INVALID = "统一社会信用代码无效（未保存）"


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    employer_key: str
    merge_key: tuple[str, str, str]


def _majors(text: str) -> list[str]:
    return [m for m in re.split(r"[、,，;；/\s]+", text) if m][:20] if text else []


def posting_fields(values: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """The posting's stored fields from a row's parsed cells, and what was not understood
    (column, value, reason). Pure apart from the tables it reads."""
    problems: list[tuple[str, str, str]] = []
    title = values["title"]
    salary = parse_salary(values.get("salary", ""))
    if salary.problem is not None:
        problems.append(("salary", salary.text, salary.problem.label))
    place_text = values.get("city") or values.get("address", "")
    code, place_problem = city_code(place_text)
    if place_problem is not None:
        problems.append(("city", place_text, place_problem.label))
    need = requirements(
        values.get("requirements", ""), values.get("experience", ""), values.get("education", "")
    )
    fields = {
        "title": title,
        "title_key": title_key(title)[:200],
        "place_key": code or place_text.strip()[:100],
        "occupation": values.get("occupation", ""),
        "majors": _majors(values.get("majors", "")),
        "education": need.education or 0,
        "experience": need.experience[:60],
        "experience_years": need.experience_years,
        "city_code": code,
        "city_text": place_text[:200],
        "salary_text": salary.text[:60],
        "salary_min": salary.minimum,
        "salary_max": salary.maximum,
        "salary_months": salary.months,
        "salary_negotiable": salary.negotiable,
        "salary_problem": str(salary.problem or ""),
        "headcount": headcount(values.get("headcount", "")),
        "description": values.get("description", ""),
        "skills": values.get("skills", "").replace("\n", "、")[:500],
        "deadline": values.get("deadline"),
        "published_on": values.get("published_on"),
        "url": values.get("url", ""),
        "disability_friendly": values.get("disability_friendly", False),
        "internship": values.get("internship", False) or need.internship or looks_like_internship(title),
        "grassroots": values.get("grassroots", False) or looks_like_grassroots(title),
        "tokens": " ".join(posting_tokens(title, values.get("skills", ""), values.get("description", ""))),
    }  # fmt: skip
    return fields, problems


def postings_check(result: SetupValidation, kind: KindSpec, *, institution_id: int) -> None:
    """Plan the apply: new postings and employers, merges, and every problem by reason."""
    counts: Counter[str] = Counter(merged_in_file=0)
    reasons: Counter[str] = Counter()
    header_title = _header_value(result, "title")
    seen: dict[tuple[str, str, str], int] = {}
    employers: dict[str, dict[str, Any]] = {}
    for valid in result.valid:
        values = valid.values
        if header_title and values["title"] == header_title:
            reasons[REPEATED_HEADER] += 1
            valid.values["_rejected"] = True  # skipped, not an error
            continue
        fields, problems = posting_fields(values)
        for column, value, reason in problems:
            reasons[reason] += 1
            result.warnings.append(RowError(valid.row, result.col(column, kind), value, reason))
        if not fields["salary_text"]:
            reasons[SALARY_MISSING] += 1
        elif fields["salary_negotiable"]:
            reasons[SALARY_NEGOTIABLE] += 1
        employer = _employer_of(values, valid.row, result, kind, reasons)
        key = (employer["name_key"], fields["title_key"], fields["place_key"])
        employers.setdefault(employer["name_key"], employer)
        if key in seen:
            counts["merged_in_file"] += 1
        seen[key] = valid.row
        values["_posting"], values["_employer_key"] = fields, employer["name_key"]
    existing_employers = set(
        Employer.objects.filter(institution_id=institution_id, name_key__in=list(employers))
        .values_list("name_key", flat=True)
    )  # fmt: skip
    codes = {e["credit_code"]: key for key, e in employers.items() if e["credit_code"]}
    kept_codes = Employer.objects.filter(institution_id=institution_id, credit_code__in=list(codes))
    existing_employers |= {codes[c] for c in kept_codes.values_list("credit_code", flat=True)}
    existing_postings = _existing_posting_keys(institution_id, set(seen))
    counts["postings_new"] = len(set(seen) - existing_postings)
    counts["merged_existing"] = len(set(seen) & existing_postings)
    counts["employers_new"] = len(set(employers) - existing_employers)
    counts["employers_existing"] = len(set(employers) & existing_employers)
    counts["rows"] = result.total
    result.plan["counts"] = dict(counts)
    result.plan["reasons"] = dict(reasons.most_common())
    result.plan["report"] = [
        ["新增岗位", counts["postings_new"]],
        ["合并：文件内重复（同一单位、职位、城市）", counts["merged_in_file"]],
        ["合并：已有岗位（更新）", counts["merged_existing"]],
        ["新增用人单位", counts["employers_new"]],
        ["已有用人单位", counts["employers_existing"]],
        *([reason, n] for reason, n in reasons.most_common()),
    ]


def _header_value(result: SetupValidation, name: str) -> str:
    """The header text of the column mapped to `name` ("B列 职位名称" → "职位名称")."""
    shown = result.columns.get(name, "")
    return shown.split(" ", 1)[1] if " " in shown else ""


def _employer_of(
    values: dict[str, Any], row: int, result: SetupValidation, kind: KindSpec,
    reasons: Counter[str],
) -> dict[str, Any]:  # fmt: skip
    code = normalise_credit_code(values.get("credit_code", ""))
    if code and (problem := credit_code_problem(code)):
        reasons[CREDIT_CODE_INVALID] += 1
        result.warnings.append(RowError(row, result.col("credit_code", kind), code, problem))
        code = ""
    name = values["employer"]
    return {"name": name, "name_key": normalise_employer_name(name)[:200], "credit_code": code,
            "info": values.get("employer_info", "")[:200]}  # fmt: skip


def _existing_posting_keys(
    institution_id: int, keys: set[tuple[str, str, str]]
) -> set[tuple[str, str, str]]:
    titles = {k[1] for k in keys}
    found = JobPosting.objects.filter(
        institution_id=institution_id, title_key__in=list(titles)
    ).values_list("employer__name_key", "title_key", "place_key")
    return {(e, t, pl) for e, t, pl in found} & keys


def postings_apply(
    batch: ImportBatch, result: SetupValidation
) -> tuple[ApplyCounts, dict[str, Any]]:
    """Write inside the wizard's transaction: employers by credit code or name, then postings
    created or merged (the later row of a file wins, as a re-import refreshes a posting)."""
    assert transaction.get_connection().in_atomic_block
    rows = [v for v in result.valid if "_posting" in v.values]
    employers = _employers_ensure(batch.institution_id, rows)
    by_key: dict[tuple[int, str, str], dict[str, Any]] = {}
    for valid in rows:
        fields = valid.values["_posting"]
        employer = employers[valid.values["_employer_key"]]
        by_key[(employer.pk, fields["title_key"], fields["place_key"])] = fields
    compared = by_key_fields(by_key)
    existing = {
        (row["employer_id"], row["title_key"], row["place_key"]): row
        for row in JobPosting.objects.filter(
            employer_id__in={k[0] for k in by_key}, title_key__in={k[1] for k in by_key}
        ).values("pk", "employer_id", *compared)
    }
    source = (batch.source or batch.original_name)[:60]
    new, merged, unchanged = [], [], 0
    now = timezone.now()  # bulk_update does not fill auto_now fields
    for key, fields in by_key.items():
        kept = existing.get(key)
        if kept is not None and all(kept[name] == fields[name] for name in compared):
            unchanged += 1  # the same posting again (another export of one file): not written
            continue
        posting = JobPosting(institution_id=batch.institution_id, employer_id=key[0], source=source,
                             import_batch_id=batch.pk, updated_at=now, **fields)  # fmt: skip
        if kept is not None:
            posting.pk = kept["pk"]
            merged.append(posting)
        else:
            new.append(posting)
    JobPosting.objects.bulk_create(new, batch_size=500)
    JobPosting.objects.bulk_update(
        merged, [*compared, "source", "import_batch_id", "updated_at"], batch_size=500
    )
    done: dict[str, Any] = {"postings_new": len(new), "postings_merged": len(merged), "postings_unchanged": unchanged,
            "merged_in_file": len(rows) - len(by_key),
            "employers_new": sum(1 for e in employers.values() if getattr(e, "_new", False))}  # fmt: skip
    done["report"] = [["新增岗位", done["postings_new"]], ["合并更新岗位", done["postings_merged"]],
                      ["已有且未变的岗位", unchanged], ["文件内重复合并", done["merged_in_file"]],
                      ["新增用人单位", done["employers_new"]]]  # fmt: skip
    if new or merged:  # the pool changed: the cases' stored recommendations are refreshed
        done["recommendation_run"] = recommendation_run_queue(
            institution_id=batch.institution_id,
            requested_by=batch.applied_role or batch.uploaded_role,
        ).pk
    return ApplyCounts(created=len(new), updated=len(merged), unchanged=unchanged), done


def by_key_fields(by_key: dict[tuple[int, str, str], dict[str, Any]]) -> list[str]:
    """The posting fields a row sets (compared with the kept posting to skip unchanged ones)."""
    first = next(iter(by_key.values()), {})
    return list(first)


def _employers_ensure(institution_id: int, rows: list[Any]) -> dict[str, Employer]:
    """Employers by name key (or credit code), created when new; never renamed or re-vetted."""
    wanted: dict[str, dict[str, Any]] = {}
    for valid in rows:
        values = valid.values
        key = values["_employer_key"]
        code = normalise_credit_code(values.get("credit_code", ""))
        wanted.setdefault(key, {"name": values["employer"][:200], "credit_code":
                                 "" if credit_code_problem(code) else code,
                                 "info": values.get("employer_info", "")[:200]})  # fmt: skip
    found = {
        e.name_key: e
        for e in Employer.objects.filter(institution_id=institution_id, name_key__in=list(wanted))
    }
    codes = {w["credit_code"] for k, w in wanted.items() if k not in found and w["credit_code"]}
    for employer in Employer.objects.filter(institution_id=institution_id, credit_code__in=codes):
        for key, w in wanted.items():
            if w["credit_code"] == employer.credit_code:
                found.setdefault(key, employer)
    new: list[Employer] = []
    taken_codes: set[str] = set()
    for key, w in wanted.items():
        if key in found:
            continue
        code = w["credit_code"] if w["credit_code"] not in taken_codes else ""
        taken_codes.add(code)
        employer = Employer(institution_id=institution_id, name=w["name"], name_key=key,
                            credit_code=code, info=w["info"])  # fmt: skip
        employer._new = True  # type: ignore[attr-defined]
        new.append(employer)
    Employer.objects.bulk_create(new, batch_size=500)
    created = {e.name_key: e for e in new}
    if new and new[0].pk is None:  # backends that do not return keys from bulk inserts
        created = {
            e.name_key: e
            for e in Employer.objects.filter(institution_id=institution_id, name_key__in=created)
        }
        for e in created.values():
            e._new = True  # type: ignore[attr-defined]
    return found | created


POSTINGS.extra.update({"check": postings_check, "apply": postings_apply})
