"""Matching postings to a student: hard filters, then a scored fit with a reason in Chinese.

Pure: no Django; plain values in, plain values out. The fit is a weighted sum of parts in
[0, 1] — major relatedness (MOE catalogue: same major > same 专业类 > same 专业大类), education,
city preference, salary against the expectation, and the similarity of the posting's text to
the student's profile (jieba tokens, BM25) — kept with the score so a page can show them.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from jingzhun.jobs.places import city_name
from jingzhun.jobs.salary import salary_shown
from jingzhun.org.major_catalogue import major_lookup

WEIGHTS = {"major": 0.35, "city": 0.2, "salary": 0.15, "education": 0.1, "internship": 0.15,
           "text": 0.2}  # fmt: skip
EDUCATION_NAMES = {
    0: "学历不限",
    1: "初中",
    2: "高中/中专",
    3: "大专",
    4: "本科",
    5: "硕士",
    6: "博士",
}


@dataclass(frozen=True)
class StudentProfile:
    major_code: str
    major_name: str
    education: int  # models.Education: 3 大专, 4 本科
    cities: tuple[str, ...] = ()  # six-digit codes, in order of preference
    city_required: bool = False
    salary_min: int | None = None  # expected yuan a month
    needs_disability_friendly: bool = False
    text: str = ""  # intention, major, certificates, skills: what the description is compared to
    # Employers the student interned with (normalised names): many vocational graduates stay
    # on where they did their placement (实习留用).
    internship_employers: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostingFacts:
    id: int
    title: str
    education: int
    city_code: str
    salary_min: int | None = None
    salary_max: int | None = None
    salary_months: int = 12
    deadline: dt.date | None = None
    blacklisted: bool = False
    disability_friendly: bool = False
    majors: tuple[str, ...] = ()  # MOE codes or names
    text: str = ""  # title, skills, description
    employer_key: str = ""  # normalised employer name


@dataclass(frozen=True)
class Recommendation:
    posting_id: int
    score: float
    parts: dict[str, float]
    reason: str


class Part(NamedTuple):
    value: float
    reason: str = ""


def excluded(student: StudentProfile, posting: PostingFacts, today: dt.date) -> str | None:
    """Why a posting may not be recommended at all, or None."""
    if posting.blacklisted:
        return "用人单位已列入黑名单"
    if posting.deadline is not None and posting.deadline < today:
        return "已过截止日期"
    if posting.education > student.education:
        return "学历要求高于学生学历"
    if student.city_required and student.cities and posting.city_code not in student.cities:
        return "不在学生要求的城市"
    if student.needs_disability_friendly and not posting.disability_friendly:
        return "非残疾人友好岗位"
    return None


def _short(name: str) -> str:
    return name.removesuffix("类").removesuffix("大类")


# The catalogue and place names are looked up for every pair scored: remembered (pure tables).
_major = functools.lru_cache(maxsize=4096)(major_lookup)
_city_name = functools.lru_cache(maxsize=4096)(city_name)
_salary_shown = functools.lru_cache(maxsize=65536)(salary_shown)
_CODE = re.compile(r"\d{5,6}[A-Za-z]{0,2}")


def major_class_short(major_code: str) -> str | None:
    """The student's 专业类 without its suffix (what a description may mention), if known."""
    mine = _major(major_code) if major_code else None
    return _short(mine.class_name) if mine is not None else None


def major_fit(student: StudentProfile, posting: PostingFacts) -> Part:
    if posting.majors:  # the text is not read: one answer per major and stated majors
        return _stated_major_fit(student.major_code, student.major_name, posting.majors)
    return _text_major_fit(student.major_code, student.major_name, posting.text)


@functools.lru_cache(maxsize=65536)
def _stated_major_fit(major_code: str, major_name: str, majors: tuple[str, ...]) -> Part:
    mine = _major(major_code) if major_code else None
    best = Part(0.0, "专业要求不符")
    for wanted in majors:
        other = _major(wanted) if _CODE.fullmatch(wanted) else None
        if other is not None and mine is not None:
            if other.code == mine.code:
                return Part(1.0, f"专业对口（{mine.name}）")
            if other.class_code == mine.class_code and best.value < 0.7:
                best = Part(0.7, f"专业同类（{mine.class_name}）")
            elif other.category_code == mine.category_code and best.value < 0.4:
                best = Part(0.4, f"专业相近（{mine.category_name}）")
        elif other is None:
            if wanted == major_name:
                return Part(1.0, f"专业对口（{major_name}）")
            if mine is not None and _short(mine.class_name) in wanted and best.value < 0.7:
                best = Part(0.7, f"专业同类（{mine.class_name}）")
    return best


def _text_major_fit(major_code: str, major_name: str, text: str) -> Part:
    """No majors stated: what the text says about the student's field."""
    if major_name and major_name in text:
        return Part(0.8, f"岗位描述提及本专业（{major_name}）")
    mine = _major(major_code) if major_code else None
    if mine is not None and len(_short(mine.class_name)) >= 2 and _short(mine.class_name) in text:
        return Part(0.5, f"岗位与专业类相关（{mine.class_name}）")
    return Part(0.2)


def education_fit(student: StudentProfile, posting: PostingFacts) -> Part:
    if posting.education == student.education:
        return Part(1.0, f"学历要求相符（{EDUCATION_NAMES.get(posting.education, '')}）")
    return Part(0.8)  # asks for less (filtered otherwise)


def city_fit(student: StudentProfile, posting: PostingFacts) -> Part:
    if not student.cities:
        return Part(0.5)
    if posting.city_code in student.cities:
        return Part(1.0, f"期望城市{_city_name(posting.city_code).removesuffix('市')}")
    provinces = {c[:2] for c in student.cities}
    if posting.city_code[:2] in provinces:
        return Part(0.5, f"同省（{_city_name(posting.city_code)}）")
    return Part(0.0)


def salary_fit(student: StudentProfile, posting: PostingFacts) -> Part:
    shown = _salary_shown(posting.salary_min, posting.salary_max, posting.salary_months)
    if not shown:
        return Part(0.5)
    top = posting.salary_max or posting.salary_min or 0
    if student.salary_min is None:
        return Part(0.5, f"薪资 {shown}")
    if posting.salary_min is not None and posting.salary_min >= student.salary_min:
        return Part(1.0, f"薪资 {shown} 高于期望")
    if top >= student.salary_min:
        return Part(0.8, f"薪资 {shown} 符合期望")
    return Part(max(0.0, top / student.salary_min - 0.3), f"薪资 {shown} 低于期望")


def internship_fit(student: StudentProfile, posting: PostingFacts) -> Part:
    if posting.employer_key and posting.employer_key in student.internship_employers:
        return Part(1.0, "曾在该单位实习")
    return Part(0.0)


# --- text similarity -------------------------------------------------------------------------

_STOPWORDS = frozenset(
    ["负责", "工作", "相关", "以上", "能力", "良好", "具有", "熟悉", "优先", "公司", "岗位", "职位", "要求", "任职", "职责", "进行", "完成", "以及", "具备", "经验", "学历", "专业", "团队", "合作", "沟通", "优秀", "较强", "一定", "能够", "参与", "根据", "提供", "我们", "及其", "其他", "和", "的", "与", "及", "等", "或", "在", "对", "有", "为", "了", "是", "者"]
)  # fmt: skip


def tokens(text: str) -> list[str]:
    """jieba words worth comparing: two or more characters (or a Latin word), no stopwords."""
    import jieba  # loaded on first use: its dictionary ships in the wheel

    jieba.setLogLevel(logging.WARNING)

    words = (w.strip().lower() for w in jieba.lcut(text or ""))
    return [
        w
        for w in words
        if w and w not in _STOPWORDS and (len(w) >= 2 or (w.isascii() and w.isalnum()))
    ]


TEXT_CHARS = 3000  # of a description: enough for its words, bounded work per posting


def posting_tokens(title: str, skills: str, description: str) -> list[str]:
    return tokens(f"{title} {skills} {description[:TEXT_CHARS]}")


@dataclass
class TextIndex:
    """BM25 over postings' tokens (k1 = 1.5, b = 0.75), answered through an inverted index."""

    postings: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    lengths: list[int] = field(default_factory=list)
    k1: float = 1.5
    b: float = 0.75

    @classmethod
    def build(cls, documents: Iterable[Sequence[str]]) -> TextIndex:
        index = cls()
        for number, words in enumerate(documents):
            index.lengths.append(len(words))
            for word, count in Counter(words).items():
                index.postings[word].append((number, count))
        return index

    def scores(self, query: Sequence[str]) -> list[float]:
        total = len(self.lengths)
        result = [0.0] * total
        if not total:
            return result
        average = sum(self.lengths) / total or 1.0
        for word in set(query):
            hits = self.postings.get(word, [])
            if not hits:
                continue
            idf = math.log(1 + (total - len(hits) + 0.5) / (len(hits) + 0.5))
            for number, count in hits:
                norm = count + self.k1 * (1 - self.b + self.b * self.lengths[number] / average)
                result[number] += idf * count * (self.k1 + 1) / norm
        return result


def recommend(
    student: StudentProfile,
    postings: Sequence[PostingFacts],
    *,
    today: dt.date,
    index: TextIndex | None = None,
    limit: int = 10,
) -> list[Recommendation]:
    """The best `limit` postings for the student, each with its parts and reason.

    `index` must hold the postings' tokens in the same order (built once for many students);
    without it the text part is left out of the weights."""
    text = index.scores(tokens(student.text)) if index is not None and student.text else []
    top_text = max(text, default=0.0) or 1.0
    found = [
        score_pair(student, posting, text[number] / top_text if text else None)
        for number, posting in enumerate(postings)
        if excluded(student, posting, today) is None
    ]
    found.sort(key=lambda r: (-r.score, r.posting_id))
    return found[:limit]


def score_pair(
    student: StudentProfile, posting: PostingFacts, similarity: float | None
) -> Recommendation:
    """One posting's parts, score and reason (`similarity`: the text part, None without it)."""
    parts = {
        "major": major_fit(student, posting),
        "city": city_fit(student, posting),
        "salary": salary_fit(student, posting),
        "education": education_fit(student, posting),
    }
    if student.internship_employers:  # a part only for students who interned somewhere
        parts["internship"] = internship_fit(student, posting)
    if similarity is not None:
        parts["text"] = Part(similarity, "描述与求职意向相近" if similarity >= 0.5 else "")
    weight = sum(WEIGHTS[k] for k in parts)
    score = sum(WEIGHTS[k] * p.value for k, p in parts.items()) / weight
    reason = "；".join(p.reason for p in parts.values() if p.reason)
    values = {k: round(p.value, 3) for k, p in parts.items()}
    return Recommendation(posting.id, round(score, 4), values, reason)
