"""Subsidy eligibility as a table: groups, certificates and their validity dates, the
graduating-year condition and the register status (pure, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.assistance.subsidy_rules import (
    Eligibility,
    Evidence,
    PolicyTerms,
    ReasonCode,
    StudentFacts,
    eligibility,
    fits_budget,
)

DAY = dt.date(2026, 12, 5)
POLICY = PolicyTerms(year=2027, groups=frozenset({"minimum_living", "poverty_alleviated",
                                                  "disabled_student", "student_loan"}))  # fmt: skip
DIBAO = Evidence(
    "minimum_living", "低保证 410102-2025-0031", dt.date(2025, 1, 1), dt.date(2027, 12, 31)
)
LOAN = Evidence("student_loan", "助学贷款合同 GJDK-2024-88", None, None)
EXPIRED = Evidence(
    "poverty_alleviated", "脱贫户证明 2023-17", dt.date(2023, 1, 1), dt.date(2025, 12, 31)
)
FUTURE = Evidence("minimum_living", "低保证 410102-2027-0002", dt.date(2027, 1, 1), None)
ORPHAN = Evidence("orphan", "孤儿证明", None, None)

M, NG, NE = ReasonCode.MATCHED, ReasonCode.NOT_GRADUATING, ReasonCode.NOT_ENROLLED
EX, NY, NO = ReasonCode.EXPIRED, ReasonCode.NOT_YET_VALID, ReasonCode.NO_EVIDENCE

CASES = [
    # (name, policy, cohort, status, evidence, eligible, reason codes in order)
    ("valid 低保 certificate in the graduating year", POLICY, 2027, "enrolled", (DIBAO,), True, [M]),
    ("a student loan counts when the policy names it", POLICY, 2027, "enrolled", (LOAN,), True, [M]),
    ("two valid groups are both named", POLICY, 2027, "enrolled", (LOAN, DIBAO), True, [M, M]),
    ("an expired certificate does not count", POLICY, 2027, "enrolled", (EXPIRED,), False, [EX]),
    ("a certificate valid only from next year does not count", POLICY, 2027, "enrolled", (FUTURE,), False, [NY]),
    ("one valid certificate is enough beside an expired one", POLICY, 2027, "enrolled", (EXPIRED, DIBAO), True, [M]),
    ("a group the policy does not name is missing evidence", POLICY, 2027, "enrolled", (ORPHAN,), False, [NO]),
    ("no evidence at all", POLICY, 2027, "enrolled", (), False, [NO]),
    ("not the graduating year", POLICY, 2028, "enrolled", (DIBAO,), False, [NG, M]),
    ("a policy for every year ignores the cohort",
     PolicyTerms(year=2027, groups=POLICY.groups, graduating_only=False), 2028, "enrolled", (DIBAO,), True, [M]),
    ("a suspended student keeps the right", POLICY, 2027, "suspended", (DIBAO,), True, [M]),
    ("a withdrawn student may not apply", POLICY, 2027, "withdrawn", (DIBAO,), False, [NE, M]),
    ("wrong year and no evidence give both reasons", POLICY, 2026, "enrolled", (), False, [NG, NO]),
]  # fmt: skip


@pytest.mark.parametrize(("name", "terms", "cohort", "status", "evidence", "eligible", "codes"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_eligibility_table(name, terms, cohort, status, evidence, eligible, codes):
    result = eligibility(
        terms, StudentFacts(cohort=cohort, status=status, evidence=evidence), on=DAY
    )
    assert result.eligible is eligible
    assert [r.code for r in result.reasons] == codes


def test_matched_reason_names_the_group_and_certificate():
    result = eligibility(POLICY, StudentFacts(2027, "enrolled", (DIBAO,)), on=DAY)
    assert result.matched[0].params == {
        "group": "minimum_living",
        "certificate": "低保证 410102-2025-0031",
    }
    assert result.missing == ()


def test_expired_reason_carries_the_end_date_and_validity_includes_its_last_day():
    expired = eligibility(POLICY, StudentFacts(2027, "enrolled", (EXPIRED,)), on=DAY)
    assert expired.reasons[0].params["valid_to"] == "2025-12-31"
    last_day = eligibility(
        POLICY, StudentFacts(2027, "enrolled", (EXPIRED,)), on=dt.date(2025, 12, 31)
    )
    assert last_day == Eligibility(True, last_day.reasons) and last_day.reasons[0].code == M


def test_missing_evidence_lists_the_policy_groups_sorted():
    result = eligibility(POLICY, StudentFacts(2027, "enrolled", ()), on=DAY)
    assert result.reasons[0].params == {
        "groups": "disabled_student,minimum_living,poverty_alleviated,student_loan"
    }


@pytest.mark.parametrize(("committed", "paid", "adding", "fits"), [
    ("0", "0", "1500", True), ("7000", "1500", "1500", True), ("7000", "1500", "1500.01", False),
    ("10000", "0", "0.01", False),
])  # fmt: skip
def test_budget_fits_up_to_the_last_fen(committed, paid, adding, fits):
    from decimal import Decimal as D

    assert (
        fits_budget(budget=D("10000"), committed=D(committed), paid=D(paid), adding=D(adding))
        is fits
    )
