"""The pure parts of destinations, table-driven: evidence per code, the quality checks, the
placement-rate formula, the calendar and contact rules, minimum wages."""

from __future__ import annotations

import datetime as dt

import pytest

from jingzhun.tracking.destinations import checks, rates, reference, rules, wages
from jingzhun.tracking.destinations.reference import Evidence as E


@pytest.mark.parametrize(
    ("code", "kinds", "ok"),
    [
        ("10", {E.AGREEMENT}, True),
        ("10", {E.LABOUR_CONTRACT}, False),
        ("10", set(), False),
        ("11", {E.LABOUR_CONTRACT}, True),
        ("12", {E.EMPLOYER_CERTIFICATE}, True),
        ("12", {E.INTERNSHIP_CERTIFICATE}, False),
        ("27", {E.LABOUR_CONTRACT}, True),  # either of two kinds
        ("27", {E.EMPLOYER_CERTIFICATE}, True),
        ("46", {E.ENLISTMENT_NOTICE}, True),
        ("502", {E.PROJECT_NOTICE}, True),  # a three-digit code needs its parent's evidence
        ("502", set(), False),
        ("75", {E.BUSINESS_LICENCE}, True),
        ("76", {E.FREELANCE_PROOF}, True),
        ("76", {E.AGREEMENT}, False),
        ("80", {E.ADMISSION_LETTER}, True),
        ("803", {E.ADMISSION_LETTER}, True),
        ("85", set(), False),
        ("70", set(), True),  # not placed: the contact rule guards it instead
        ("71", set(), True),
        ("72", set(), True),
    ],
)
def test_evidence_per_code(code: str, kinds: set[str], ok: bool):
    assert reference.evidence_satisfied(code, kinds) is ok


def test_every_seeded_code_has_a_rule_or_is_not_placed():
    from jingzhun.students.reference import DESTINATION_CODES

    for code, _name, category in [*DESTINATION_CODES, *reference.SUB_CODES]:
        assert bool(reference.required_evidence(code)) is (category != "not_placed"), code


def test_codes_match_the_design_table():
    from jingzhun.students.reference import DESTINATION_CODES

    two = {c: cat for c, _n, cat in DESTINATION_CODES}
    assert two == {
        "10": "employed", "11": "employed", "12": "employed", "27": "employed",
        "46": "employed", "50": "employed", "51": "employed", "75": "self_employed",
        "76": "freelance", "80": "further_study", "85": "further_study",
        "70": "not_placed", "71": "not_placed", "72": "not_placed",
    }  # fmt: skip
    for code, _name, category in reference.SUB_CODES:
        assert two[code[:2]] == category, code


BASE = checks.Facts(code="10", evidence_kinds=frozenset({E.AGREEMENT}), contacts=1)


def _with(**changes: object) -> checks.Facts:
    return checks.Facts(**{**BASE.__dict__, **changes})


@pytest.mark.parametrize(
    ("facts", "failed"),
    [
        (BASE, []),
        # wage: only codes 12, 27, 76; only where the local minimum is known
        (_with(code="12", evidence_kinds=frozenset({E.EMPLOYER_CERTIFICATE}), monthly_wage=1900, minimum_wage=2100), ["wage_below_minimum"]),
        (_with(code="12", evidence_kinds=frozenset({E.EMPLOYER_CERTIFICATE}), monthly_wage=2100, minimum_wage=2100), []),
        (_with(code="12", evidence_kinds=frozenset({E.EMPLOYER_CERTIFICATE}), monthly_wage=None, minimum_wage=2100), ["wage_below_minimum"]),
        (_with(code="12", evidence_kinds=frozenset({E.EMPLOYER_CERTIFICATE}), monthly_wage=900, minimum_wage=None), []),
        (_with(code="76", evidence_kinds=frozenset({E.FREELANCE_PROOF}), monthly_wage=1500, minimum_wage=1800), ["wage_below_minimum"]),
        (_with(code="11", evidence_kinds=frozenset({E.LABOUR_CONTRACT}), monthly_wage=900, minimum_wage=2100), []),
        # evidence
        (_with(evidence_kinds=frozenset()), ["evidence_missing"]),
        (_with(expired_kinds=frozenset({E.AGREEMENT})), ["evidence_expired"]),
        # a school's 75/76 share far above the institution's, with enough placed
        (_with(code="76", evidence_kinds=frozenset({E.FREELANCE_PROOF}), school_share=0.5, school_placed=20, institution_share=0.2), ["freelance_share_high"]),
        (_with(code="76", evidence_kinds=frozenset({E.FREELANCE_PROOF}), school_share=0.4, school_placed=20, institution_share=0.2), []),
        (_with(code="76", evidence_kinds=frozenset({E.FREELANCE_PROOF}), school_share=0.9, school_placed=9, institution_share=0.2), []),
        (_with(school_share=0.9, school_placed=50, institution_share=0.1), []),  # code 10 is not watched
        # credit code
        (_with(credit_code="91410100MA9XXXXXX0", credit_code_uses=9), ["credit_code_reused"]),
        (_with(credit_code="91410100MA9XXXXXX0", credit_code_uses=8), []),
        (_with(credit_code="91410100MA9XXXXXX0", credit_code_uses=30, employer_vetted=True), []),
        # internship
        (_with(internship_evidence=True), ["internship_as_employment"]),
        (_with(code="80", evidence_kinds=frozenset({E.ADMISSION_LETTER}), internship_evidence=True), []),
        # contact
        (_with(by_staff=True, contacts=0), ["no_contact"]),
        (_with(by_staff=False, contacts=0), []),
        (_with(by_staff=True, contacts=1), []),
        # several at once, in the table's order
        (_with(evidence_kinds=frozenset(), by_staff=True, contacts=0), ["evidence_missing", "no_contact"]),
    ],
)  # fmt: skip
def test_quality_checks(facts: checks.Facts, failed: list[str]):
    assert [rule.id for rule in checks.failing(facts)] == failed


def test_every_rule_has_an_id_severity_and_reason():
    assert len(checks.RULES_BY_ID) == len(checks.RULES) == 7
    for rule in checks.RULES:
        assert rule.severity in (checks.ERROR, checks.WARNING)
        assert rule.title and len(rule.reason) > 40


def test_rate_rows_and_total():
    rows = rates.rate_rows([
        ("1", "信息工程学院", "employed", 6), ("1", "信息工程学院", None, 3),
        ("1", "信息工程学院", "further_study", 1), ("2", "财经商贸学院", "not_placed", 2),
        ("2", "财经商贸学院", "freelance", 2), ("3", "空", None, 0),
    ])  # fmt: skip
    assert [(r.key, r.graduates, r.placed, r.percent) for r in rows] == [
        ("1", 10, 7, "70.0%"), ("2", 4, 2, "50.0%"), ("3", 0, 0, "—"),
    ]  # fmt: skip
    total = rates.total(rows)
    assert (total.graduates, total.placed, total.rate) == (14, 9, 9 / 14)


@pytest.mark.parametrize(
    ("raw", "parsed"), [("08-31", (8, 31)), ("06-30", (6, 30)), (" 12-31 ", (12, 31))]
)
def test_month_day(raw: str, parsed: tuple[int, int]):
    assert rules.parse_month_day(raw) == parsed


@pytest.mark.parametrize("raw", ["8-31", "02-29", "04-31", "13-01", "", "0831"])
def test_month_day_refused(raw: str):
    with pytest.raises(ValueError):
        rules.parse_month_day(raw)


@pytest.mark.parametrize(
    ("today", "open_"),
    [(dt.date(2026, 8, 31), True), (dt.date(2026, 9, 1), False), (dt.date(2025, 12, 1), True)],
)
def test_deadline(today: dt.date, open_: bool):
    assert rules.is_open(2026, today, (8, 31)) is open_


@pytest.mark.parametrize(
    ("dates", "missing"),
    [
        ([], (2, 2)),
        ([dt.date(2026, 5, 1), dt.date(2026, 6, 30)], (0, 2)),  # the graduation day counts before
        ([dt.date(2026, 5, 1), dt.date(2026, 7, 1), dt.date(2026, 8, 1)], (1, 0)),
        (
            [dt.date(2026, 3, 1), dt.date(2026, 5, 1), dt.date(2026, 7, 1), dt.date(2026, 7, 2)],
            (0, 0),
        ),
        ([dt.date(2026, 7, 1)] * 5, (2, 0)),
    ],
)
def test_contact_rule(dates: list[dt.date], missing: tuple[int, int]):
    count = rules.count_contacts(dates, dt.date(2026, 6, 30))
    gap = rules.contacts_missing(count, (2, 2))
    assert (gap.before, gap.after) == missing


@pytest.mark.parametrize(
    ("city", "region", "wage"),
    [
        ("郑州", "4101", 2100), ("郑州市", "4101", 2100), ("河南省洛阳市", "4103", 2100),
        ("开封市", "4102", 1800),  # the province's lowest tier
        ("北京", "1101", 2540), ("北京市", "1101", 2540), ("上海", "3101", 2740),
        ("深圳市", "4403", 2520), ("成都市", "5101", None), ("火星", "", None),
    ],
)  # fmt: skip
def test_minimum_wage_by_city(city: str, region: str, wage: int | None):
    assert wages.city_region(city) == region
    assert (wages.minimum_wage(region) if region else None) == wage


def test_minimum_wage_overrides():
    overrides = wages.parse_overrides("41=1900, 5101=2100")
    assert wages.minimum_wage("4102", overrides) == 1900
    assert wages.minimum_wage("4101", overrides) == 2100  # the city's own row beats the province
    assert wages.minimum_wage("5101", overrides) == 2100
    with pytest.raises(ValueError):
        wages.parse_overrides("henan=2000")
