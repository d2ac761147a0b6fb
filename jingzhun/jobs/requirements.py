"""What a posting asks for, from the cells job sites fill: education, experience, headcount.

Pure: no Django. BOSS直聘 writes education and experience in one cell (`1-3年本科`,
`经验不限学历不限`, `4天/周6个月本科`); 前程无忧 has two columns whose values slide left when
experience is missing (`工作经验` = `本科`, `学历` = `['英语熟练']`), so every cell given is
searched for both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from jingzhun.jobs.salary import unwrap

# Education levels in the order of `models.Education` (0 any … 6 doctorate).
_EDUCATION = (
    ("博士", 6), ("硕士", 5), ("研究生", 5), ("本科", 4), ("学士", 4), ("大专", 3), ("专科", 3),
    ("高职", 3), ("中专", 2), ("中技", 2), ("中职", 2), ("高中", 2), ("职高", 2), ("初中", 1),
    ("学历不限", 0), ("不限学历", 0),
)  # fmt: skip
_RANGE_YEARS = re.compile(r"(\d+)\s*-\s*\d+\s*年")
_AT_LEAST = re.compile(r"(\d+)\s*年(?:以上)?(?:工作)?经验|(\d+)\s*年以上")
_NONE = re.compile(r"经验不限|无(?:工作)?经验|不限经验|应届|在校|\d+\s*年以[内下]")
_INTERNSHIP_PATTERN = re.compile(r"\d+\s*天\s*/\s*周")
_INTERNSHIP_TITLE = re.compile(r"实习|见习")
_GRASSROOTS = re.compile(r"三支一扶|西部计划|选调生|大学生村官|特岗教师|基层服务")
_EXPERIENCE_TEXT = re.compile(
    r"(经验不限|无(?:工作)?经验|在校/应届|应届|\d+\s*天\s*/\s*周\s*\d+\s*个月|"
    r"\d+\s*-\s*\d+\s*年(?:工作经验)?|\d+\s*年以[上内下](?:工作经验)?|\d+\s*年工作经验)"
)


@dataclass(frozen=True)
class Requirements:
    education: int | None  # None: not stated (counts as any)
    experience: str
    experience_years: int | None
    internship: bool


def requirements(*cells: str) -> Requirements:
    """Education and experience from whichever of `cells` holds them."""
    education: int | None = None
    experience, years, internship = "", None, False
    for raw in cells:
        text = unicodedata.normalize("NFKC", unwrap(raw or "")).replace(" ", "")
        if not text:
            continue
        if education is None:
            education = next((level for word, level in _EDUCATION if word in text), None)
        if not experience and (match := _EXPERIENCE_TEXT.search(text)):
            experience = match[0]
            years = experience_years(experience)
        internship = internship or bool(_INTERNSHIP_PATTERN.search(text))
    return Requirements(education, experience, years, internship)


def experience_years(text: str) -> int | None:
    """Least years asked: `1-3年` → 1, `3年工作经验` → 3, `5年以上` → 5, `经验不限` → 0."""
    if _INTERNSHIP_PATTERN.search(text) or _NONE.search(text):
        return 0
    if match := _RANGE_YEARS.search(text):
        return int(match[1])
    if match := _AT_LEAST.search(text):
        return int(match[1] or match[2])
    return None


def headcount(text: str) -> int | None:
    """`2人`, `['2人']`, `5` → the number; `若干人` (some) → None."""
    digits = re.search(r"\d+", unwrap(text or ""))
    return int(digits[0]) if digits else None


def looks_like_internship(title: str) -> bool:
    return bool(_INTERNSHIP_TITLE.search(title))


def looks_like_grassroots(title: str) -> bool:
    return bool(_GRASSROOTS.search(title))


def title_key(title: str) -> str:
    """`Python 工程师` and `python工程师` are one title."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", title)).lower()
