"""Academic results per finished term and the certificates students earn while studying.

Course scores are drawn from the student's aptitude, so failed courses are skewed the way
real transcripts are: most students fail none in a term, a few fail many. Credits owed
accumulate with only part cleared by resits, which is what triggers academic warnings.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from jingzhun.students.demo.cohorts import DEMO_TODAY, TERMS, finished_terms, term_code
from jingzhun.students.demo.people import Profile
from jingzhun.students.models import AcademicResult, Certificate

_COURSE_CREDITS = (1.5, 2.0, 2.0, 2.5, 3.0, 3.0, 4.0)
_FINAL_TERM_CREDITS = (12.0, 4.0, 2.0)  # placement (岗位实习), graduation project, one course
_RESIT_CLEARS = 0.6  # share of owed credits that resits and retakes clear by the next term
_WARNING_THRESHOLDS = ((24.0, 3), (16.0, 2), (10.0, 1))

# family → (1+X vocational skill certificate, training and evaluation organisation)
_ONE_PLUS_X = {
    "it": ("Web前端开发职业技能等级证书", "工业和信息化部教育与考试中心"),
    "design": ("界面设计职业技能等级证书", "腾讯科技（深圳）有限公司"),
    "manufacturing": ("数控车铣加工职业技能等级证书", "武汉华中数控股份有限公司"),
    "automotive": ("汽车运用与维修职业技能等级证书", "北京中车行高新技术有限公司"),
    "commerce": ("电子商务数据分析职业技能等级证书", "北京博导前程信息技术股份有限公司"),
    "finance": ("智能财税职业技能等级证书", "中联集团教育科技有限公司"),
    "construction": ("建筑信息模型（BIM）职业技能等级证书", "廊坊市中科建筑产业化创新研究中心"),
    "nursing": ("老年照护职业技能等级证书", "北京中福长者文化科技有限公司"),
    "medical": ("老年照护职业技能等级证书", "北京中福长者文化科技有限公司"),
    "care": ("老年照护职业技能等级证书", "北京中福长者文化科技有限公司"),
    "education": ("幼儿照护职业技能等级证书", "湖南金职伟业母婴护理有限公司"),
    "tourism": ("酒店运营管理职业技能等级证书", "华住酒店管理有限公司"),
    "language": ("实用英语交际职业技能等级证书", "北京外研在线数字科技有限公司"),
}
_MANDARIN_CHANCE = {"education": 0.92, "nursing": 0.4, "medical": 0.3, "care": 0.4,
                    "tourism": 0.55, "language": 0.55, "transport": 0.45}  # fmt: skip
# family → (qualification, issuer, chance) earned in the final months before graduation
_QUALIFICATIONS = {
    "nursing": ("护士执业资格证书", "国家卫生健康委员会", 0.72),
    "finance": ("初级会计专业技术资格证书", "财政部", 0.22),
    "education": ("教师资格证书（幼儿园）", "郑州市教育局", 0.55),
}


def study_records(rng: random.Random, p: Profile) -> list[AcademicResult | Certificate]:
    return [*_academic_results(rng, p), *_certificates(rng, p)]


def _academic_results(rng: random.Random, p: Profile) -> list[AcademicResult]:
    terms = finished_terms(p.entry_year)
    if p.suspended and terms:
        terms = terms[:-1]  # no result for the term in which they stopped attending
    owed = 0.0
    results = []
    for term in terms:
        credits, scores = _term_scores(rng, p, term)
        failed = [c for c, s in zip(credits, scores, strict=True) if s < 60]
        owed = round(owed * (1 - _RESIT_CLEARS) + sum(failed), 1)
        warning = next((level for limit, level in _WARNING_THRESHOLDS if owed >= limit), 0)
        warning = max(warning, 1 if len(failed) >= 4 else 0)
        p.failed_total += len(failed)
        p.max_warning = max(p.max_warning, warning)
        results.append(
            AcademicResult(
                term=term_code(p.entry_year, term),
                gpa=Decimal(f"{_gpa(credits, scores):.2f}"),
                failed_courses=len(failed),
                credits_earned=Decimal(f"{sum(credits) - sum(failed):.1f}"),
                credits_owed=Decimal(f"{owed:.1f}"),  # outstanding, as warnings count it
                academic_warning=warning,
            )
        )
    return results


def _term_scores(rng: random.Random, p: Profile, term: int) -> tuple[list[float], list[float]]:
    if term == TERMS:
        credits = list(_FINAL_TERM_CREDITS)
        mean = 84 + 4 * p.ability
    else:
        credits = [rng.choice(_COURSE_CREDITS) for _ in range(9 if term < 5 else 7)]
        mean = 76 + 6 * p.ability - 5 * (p.psych == 2) - 2 * (p.psych == 1)
    mean += rng.gauss(0.0, 2.0)  # a good or bad term
    scores = [min(100.0, rng.gauss(mean, 8.0)) for _ in credits]
    return credits, scores


def _gpa(credits: list[float], scores: list[float]) -> float:
    """Credit-weighted grade points: score / 10 - 5 for a pass (60 → 1.0), 0 for a fail."""
    points = sum(c * (s / 10 - 5 if s >= 60 else 0) for c, s in zip(credits, scores, strict=True))
    return max(0.0, points / sum(credits))


def _month(rng: random.Random, entry_year: int, first: int, last: int) -> date:
    """A day in month `first`..`last` counted from the September of entry (0)."""
    months = 8 + rng.randint(first, last)
    return date(entry_year + months // 12, months % 12 + 1, rng.randint(1, 28))


def _certificates(rng: random.Random, p: Profile) -> list[Certificate]:
    drafts = [
        draft
        for draft in (
            _computer(rng, p),
            _mandarin(rng, p),
            _english(rng, p),
            _one_plus_x(rng, p),
            _qualification(rng, p),
            _driving(rng, p),
        )
        if draft is not None and draft.issued_on is not None and draft.issued_on <= DEMO_TODAY
    ]
    p.certificates = len(drafts)
    return drafts


def _computer(rng: random.Random, p: Profile) -> Certificate | None:
    if rng.random() >= 0.28 + 0.08 * p.ability + 0.2 * (p.family == "it"):
        return None
    level = "二级" if p.family == "it" and rng.random() < 0.4 else "一级"
    return Certificate(name="全国计算机等级考试证书", kind="computer", level=level,
                       issued_on=_month(rng, p.entry_year, 8, 26), issuer="教育部教育考试院")  # fmt: skip


def _mandarin(rng: random.Random, p: Profile) -> Certificate | None:
    if rng.random() >= _MANDARIN_CHANCE.get(p.family, 0.15):
        return None
    level = rng.choices(("一级乙等", "二级甲等", "二级乙等"), weights=(3, 45, 52))[0]
    return Certificate(name="普通话水平测试等级证书", kind="language", level=level,
                       issued_on=_month(rng, p.entry_year, 3, 20), issuer="河南省语言文字工作委员会")  # fmt: skip


def _english(rng: random.Random, p: Profile) -> Certificate | None:
    if p.family == "language" and rng.random() < 0.35 + 0.1 * p.ability:
        return Certificate(name="大学英语四级考试成绩报告单", kind="language", level="CET-4",
                           issued_on=_month(rng, p.entry_year, 5, 27), issuer="教育部教育考试院")  # fmt: skip
    if rng.random() >= 0.2 + 0.08 * p.ability:
        return None
    level = "A级" if rng.random() < 0.3 + 0.1 * p.ability else "B级"
    return Certificate(name="高等学校英语应用能力考试证书", kind="language", level=level,
                       issued_on=_month(rng, p.entry_year, 4, 24), issuer="高等学校英语应用能力考试委员会")  # fmt: skip


def _one_plus_x(rng: random.Random, p: Profile) -> Certificate | None:
    if p.family not in _ONE_PLUS_X or rng.random() >= 0.35 + 0.1 * p.ability + 0.08 * p.drive:
        return None
    name, issuer = _ONE_PLUS_X[p.family]
    level = "中级" if rng.random() < 0.25 + 0.1 * p.ability else "初级"
    return Certificate(name=name, kind="vocational", level=level, issuer=issuer,
                       issued_on=_month(rng, p.entry_year, 15, 33))  # fmt: skip


def _qualification(rng: random.Random, p: Profile) -> Certificate | None:
    if p.family not in _QUALIFICATIONS:
        return None
    name, issuer, chance = _QUALIFICATIONS[p.family]
    if rng.random() >= chance + 0.1 * p.ability:
        return None
    return Certificate(name=name, kind="professional", issuer=issuer,
                       issued_on=_month(rng, p.entry_year, 31, 33))  # fmt: skip


def _driving(rng: random.Random, p: Profile) -> Certificate | None:
    if rng.random() >= 0.3 + 0.1 * (p.gender == "M"):
        return None
    return Certificate(name="机动车驾驶证", kind="driving", level="C1",
                       issued_on=_month(rng, p.entry_year, 0, 33),
                       issuer=f"{p.county.city}公安局交通警察支队")  # fmt: skip
