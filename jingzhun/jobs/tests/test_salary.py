"""The salary parser, table-driven on strings as each source writes them."""

from __future__ import annotations

import pytest

from jingzhun.jobs.salary import Basis, Problem, parse_salary, salary_shown

M, Y, D, H = Basis.MONTH, Basis.YEAR, Basis.DAY, Basis.HOUR

# text → (minimum, maximum, months, basis) in yuan a month
PARSED = [
    # BOSS直聘 (boss_zhipin_python_multicity.csv)
    ("12-18K", 12000, 18000, 12, M),
    ("25-35K·13薪", 25000, 35000, 13, M),
    ("15-30K·16薪", 15000, 30000, 16, M),
    ("300-330元/天", 6525, 7178, 12, D),  # × 21.75
    ("150-200元/天", 3263, 4350, 12, D),
    ("4000-6000元/月", 4000, 6000, 12, M),
    ("20-40元/时", 3480, 6960, 12, H),  # × 8 × 21.75
    # 前程无忧 (51job_cugwhzenith_2019.*.csv, cells wrapped like a Python list)
    ("['1-1.5万/月']", 10000, 15000, 12, M),
    ("['1.2-2万/月']", 12000, 20000, 12, M),
    ("['4.5-6千/月']", 4500, 6000, 12, M),
    ("['20-40万/年']", 16667, 33333, 12, Y),  # ÷ 12
    ("['110元/天']", 2393, 2393, 12, D),
    ("['100万以上/年']", 83333, None, 12, Y),
    ("['2万以下/年']", None, 1667, 12, Y),
    ("['1.5千以下/月']", None, 1500, 12, M),
    ("['10万以上/月']", 100000, None, 12, M),
    # 智联 (zhilian_zl.jsonl)
    ("20K-30K", 20000, 30000, 12, M),
    ("4K-5K", 4000, 5000, 12, M),
    # other shapes offices type
    ("8千-1.2万/月", 8000, 12000, 12, M),
    ("0.8-1万/月", 8000, 10000, 12, M),
    ("10-20万/年", 8333, 16667, 12, Y),
    ("28-42万/年·14薪", 20000, 30000, 14, Y),  # a year ÷ the months it is paid in
    ("4K以上", 4000, None, 12, M),
    ("5k起", 5000, None, 12, M),
    ("６－８Ｋ", 6000, 8000, 12, M),  # full-width
    ("6~8k", 6000, 8000, 12, M),
]


@pytest.mark.parametrize(("text", "low", "high", "months", "basis"), PARSED)
def test_salaries_become_a_monthly_range(text, low, high, months, basis):
    salary = parse_salary(text)
    assert (salary.minimum, salary.maximum, salary.months, salary.basis) == (
        low,
        high,
        months,
        basis,
    )
    assert salary.problem is None
    assert salary.negotiable is False


@pytest.mark.parametrize("text", ["面议", "薪资面议", "['面议']"])
def test_negotiable_is_a_result_not_an_error(text):
    salary = parse_salary(text)
    assert (salary.negotiable, salary.problem, salary.minimum, salary.maximum) == (
        True,
        None,
        None,
        None,
    )
    assert salary.parsed


@pytest.mark.parametrize("text", ["", "[]", "  "])
def test_no_salary_is_empty(text):
    salary = parse_salary(text)
    assert salary.empty and salary.problem is None and salary.minimum is None


UNPARSEABLE = [
    ("薪资", Problem.UNKNOWN_FORMAT),  # BOSS: the header line repeated at the end of the file
    ("3000-5000", Problem.NO_UNIT),
    ("3000元", Problem.UNKNOWN_FORMAT),  # yuan with no period
    ("15-10K", Problem.REVERSED),
    ("0.1-0.2K", Problem.IMPLAUSIBLE),
    ("5000万/月", Problem.IMPLAUSIBLE),
    ("底薪+提成", Problem.UNKNOWN_FORMAT),
    ("10-15K·99薪", Problem.UNKNOWN_FORMAT),
]


@pytest.mark.parametrize(("text", "problem"), UNPARSEABLE)
def test_what_cannot_be_parsed_is_kept_with_a_reason(text, problem):
    salary = parse_salary(text)
    assert (salary.problem, salary.minimum, salary.maximum, salary.text) == (
        problem,
        None,
        None,
        text,
    )
    assert problem.label  # the reason the report shows


@pytest.mark.parametrize(
    ("low", "high", "months", "shown"),
    [(5000, 8000, 12, "5-8K"), (4000, None, 12, "4K以上"), (None, 1500, 12, "1.5K以下"),
     (10000, 15000, 13, "10-15K·13薪"), (None, None, 12, "")],
)  # fmt: skip
def test_salary_shown(low, high, months, shown):
    assert salary_shown(low, high, months) == shown
