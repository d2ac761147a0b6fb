"""Salary text as job sites write it → monthly minimum and maximum in yuan, months paid a year.

Pure: no Django. Every platform writes pay its own way (`10-15K·13薪` on BOSS直聘,
`['1-1.5万/月']` on 前程无忧, `20K-30K` on 智联, `8千-1.2万/月`, `150-200元/天`, `面议`).

Units: `K`/`k`/`千` = 1,000 yuan, `W`/`w`/`万` = 10,000 yuan, `元` = 1 yuan. A number without a
unit takes the unit of the other end of its range (`0.8-1万` is 8,000-10,000); a salary with
no unit at all is not parsed (3000-5000 could be yuan a month or a typo), it is reported.

Conversions to a month (stated in docs/imports.md too):
- per month (`/月`, or no period with K/千/万 — how BOSS and 智联 write monthly pay): as is;
- per year (`/年`): ÷ the months paid when the text names them (`·14薪`), else ÷ 12;
- per day (`/天`, `/日`): × 21.75 working days a month (the statutory average, 人社部);
- per hour (`/时`, `/小时`): × 8 hours × 21.75 days.
`N薪` is the months paid a year (default 12): the monthly figures stay the base salary.
`以上` gives a minimum only, `以下` a maximum only. `面议` (negotiable) is a result, not an
error. Anything else is kept as text with a reason and never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

WORKING_DAYS_PER_MONTH = Decimal("21.75")
HOURS_PER_DAY = 8
DEFAULT_MONTHS = 12
# Outside these a parsed figure is a slip (a yearly salary typed as monthly, a missing 万).
MIN_MONTHLY, MAX_MONTHLY = 300, 2_000_000


class Basis(StrEnum):
    MONTH = "month"
    YEAR = "year"
    DAY = "day"
    HOUR = "hour"


class Problem(StrEnum):
    """Why a salary text was not turned into figures (the Chinese is what reports show)."""

    NO_UNIT = "no_unit"
    UNKNOWN_FORMAT = "unknown_format"
    REVERSED = "reversed"
    IMPLAUSIBLE = "implausible"

    @property
    def label(self) -> str:
        return PROBLEM_LABELS[self]


PROBLEM_LABELS = {
    Problem.NO_UNIT: "薪资缺少单位（K、千、万或元）",
    Problem.UNKNOWN_FORMAT: "薪资格式无法识别",
    Problem.REVERSED: "薪资下限高于上限",
    Problem.IMPLAUSIBLE: "折算后的月薪不在合理范围（300 元至 200 万元）",
}


@dataclass(frozen=True)
class Salary:
    text: str  # the text as given (51job's `['…']` removed)
    minimum: int | None = None  # yuan a month
    maximum: int | None = None
    months: int = DEFAULT_MONTHS
    basis: Basis | None = None
    negotiable: bool = False
    problem: Problem | None = None

    @property
    def parsed(self) -> bool:
        return self.problem is None and bool(self.text)

    @property
    def empty(self) -> bool:
        return not self.text


_UNITS = {"k": 1000, "千": 1000, "w": 10000, "万": 10000, "元": 1}
_PERIODS = {
    "月": Basis.MONTH, "年": Basis.YEAR, "天": Basis.DAY, "日": Basis.DAY,
    "时": Basis.HOUR, "小时": Basis.HOUR,
}  # fmt: skip
_NEGOTIABLE = re.compile(r"^(薪资)?(面议|薪酬面议|待遇面议|面谈|薪资面谈)$")
_MONTHS = re.compile(r"[·.,，]?(\d{2})薪$")
_PERIOD = re.compile(r"(?:/|每|一)(小时|月|年|天|日|时)$")
_NUMBER = r"(\d+(?:\.\d+)?)([k千w万元]?)"
_RANGE = re.compile(rf"^{_NUMBER}(?:-{_NUMBER})?(以上|以下|起)?$")
_DASHES = str.maketrans({"~": "-", "～": "-", "—": "-", "–": "-", "至": "-", "到": "-"})


def unwrap(text: str) -> str:
    """51job's cells are Python list literals: `['1-1.5万/月']` → `1-1.5万/月`, `[]` → ``."""
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        if len(inner) >= 2 and inner[0] == inner[-1] and inner[0] in "'\"":
            return inner[1:-1].strip()
        if not inner:
            return ""
    return text


def parse_salary(raw: str) -> Salary:
    text = unwrap(raw or "")
    compact = unicodedata.normalize("NFKC", text).lower().replace(" ", "").translate(_DASHES)
    compact = compact.removesuffix("/人")
    if not compact:
        return Salary(text="")
    if _NEGOTIABLE.match(compact):
        return Salary(text=text, negotiable=True)
    months = DEFAULT_MONTHS
    if match := _MONTHS.search(compact):
        months, compact = int(match[1]), compact[: match.start()]
    basis = None
    if match := _PERIOD.search(compact):
        basis, compact = _PERIODS[match[1]], compact[: match.start()]
    match = _RANGE.match(compact)
    if not match or not 12 <= months <= 24:
        return Salary(text=text, problem=Problem.UNKNOWN_FORMAT)
    low, low_unit, high, high_unit, bound = match.groups()
    low_unit = low_unit or high_unit or ""
    high_unit = high_unit or low_unit
    if not low_unit:
        return Salary(text=text, problem=Problem.NO_UNIT)
    if basis is None:
        if low_unit == "元" or high_unit == "元":
            return Salary(text=text, problem=Problem.UNKNOWN_FORMAT)  # 元 with no period
        basis = Basis.MONTH
    first = _monthly(Decimal(low) * _UNITS[low_unit], basis, months)
    second = _monthly(Decimal(high) * _UNITS[high_unit], basis, months) if high else None
    return _bounded(text, first, second, bound, basis, months)


def _bounded(
    text: str, first: int, second: int | None, bound: str | None, basis: Basis, months: int
) -> Salary:
    if second is None:
        minimum, maximum = (None, first) if bound == "以下" else (first, None)
        if bound is None:  # a single figure: the posting pays that
            maximum = first
    else:
        minimum, maximum = first, second
    if minimum is not None and maximum is not None and minimum > maximum:
        return Salary(text=text, problem=Problem.REVERSED)
    figures = [f for f in (minimum, maximum) if f is not None]
    if any(not MIN_MONTHLY <= f <= MAX_MONTHLY for f in figures):
        return Salary(text=text, problem=Problem.IMPLAUSIBLE)
    return Salary(text=text, minimum=minimum, maximum=maximum, months=months, basis=basis)


def _monthly(amount: Decimal, basis: Basis, months: int) -> int:
    if basis == Basis.YEAR:
        amount = amount / months
    elif basis == Basis.DAY:
        amount = amount * WORKING_DAYS_PER_MONTH
    elif basis == Basis.HOUR:
        amount = amount * HOURS_PER_DAY * WORKING_DAYS_PER_MONTH
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def salary_shown(minimum: int | None, maximum: int | None, months: int = DEFAULT_MONTHS) -> str:
    """`5-8K`, `4K以上`, `8K以下`, `10-15K·13薪` — how the product writes a monthly range."""

    def k(value: int) -> str:
        return f"{Decimal(value) / 1000:.1f}".removesuffix(".0")

    if minimum is None and maximum is None:
        return ""
    if maximum is None:
        shown = f"{k(minimum or 0)}K以上"
    elif minimum is None:
        shown = f"{k(maximum)}K以下"
    elif minimum == maximum:
        shown = f"{k(minimum)}K"
    else:
        shown = f"{k(minimum)}-{k(maximum)}K"
    return shown + (f"·{months}薪" if months != DEFAULT_MONTHS else "")
