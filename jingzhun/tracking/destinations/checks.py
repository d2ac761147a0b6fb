"""Data-quality checks of destinations (去向核查), pure: each rule has an id, a severity and
the reason a reviewer reads. A failing destination is listed to be fixed by a person — the
checks never change a record.

The facts are gathered set-based by `selectors.quality_facts`; this module only decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_noop

from jingzhun.tracking.destinations.reference import (
    SELF_REPORTED_CODES,
    asks_credit_code,
    evidence_satisfied,
    needs_wage,
    parent_code,
)

ERROR, WARNING = "error", "warning"
# A school's freelance and entrepreneurship share is "far above" the institution's when it is
# this many times higher, over at least SHARE_MIN_PLACED placed graduates (small schools vary).
SHARE_FACTOR = 2.0
SHARE_MIN_PLACED = 10
# One employer's credit code on more destinations of a cohort than this is implausible for the
# small employers behind most made-up records (large employers are vetted and exempted).
CREDIT_CODE_MAX = 8


@dataclass(frozen=True)
class Facts:
    """What the checks know of one destination registration."""

    code: str
    monthly_wage: int | None = None
    minimum_wage: int | None = None  # of the job's city; None when unknown
    evidence_kinds: frozenset[str] = frozenset()
    expired_kinds: frozenset[str] = frozenset()
    credit_code: str = ""
    credit_code_uses: int = 0  # destinations of the cohort naming the same credit code
    employer_vetted: bool = False
    school_share: float = 0.0  # the school's share of codes 75/76 among its placed graduates
    school_placed: int = 0
    institution_share: float = 0.0
    internship_evidence: bool = False  # an internship certificate, or evidence named 实习
    contacts: int = 0  # contact attempts and assistance records of the student
    by_staff: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    reason: str
    fails: Callable[[Facts], bool] = field(repr=False)


def _wage_low(f: Facts) -> bool:
    return (
        needs_wage(f.code)
        and f.minimum_wage is not None
        and (f.monthly_wage is None or f.monthly_wage < f.minimum_wage)
    )


def _share_high(f: Facts) -> bool:
    return (
        parent_code(f.code) in SELF_REPORTED_CODES
        and f.school_placed >= SHARE_MIN_PLACED
        and f.school_share > SHARE_FACTOR * f.institution_share
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "wage_below_minimum", ERROR, gettext_noop("Wage below the local minimum"),
        gettext_noop("Codes 12, 27 and 76 count as employment only with a monthly wage at or "
                     "above the local minimum wage of the place of work (MOE verification rules)."),
        _wage_low,
    ),
    Rule(
        "evidence_missing", ERROR, gettext_noop("Required evidence missing"),
        gettext_noop("Each destination code needs its own evidence on file (an agreement, a "
                     "labour contract, an employer certificate, an admission letter …); "
                     "without it the destination cannot be verified in a spot check."),
        lambda f: not evidence_satisfied(f.code, f.evidence_kinds),
    ),
    Rule(
        "evidence_expired", WARNING, gettext_noop("Evidence expired"),
        gettext_noop("A document on file was valid only until a date that has passed; ask "
                     "for a current one."),
        lambda f: bool(f.expired_kinds),
    ),
    Rule(
        "freelance_share_high", WARNING, gettext_noop("Freelance or entrepreneurship share far above the institution's"),
        gettext_noop("Freelance (76) and entrepreneurship (75) are the codes most often "
                     "reported without a real job; a school far above the institution's share "
                     "is checked destination by destination."),
        _share_high,
    ),
    Rule(
        "credit_code_reused", WARNING, gettext_noop("Same employer credit code used implausibly often"),
        gettext_noop("Many graduates of one cohort recorded at one unvetted employer's credit "
                     "code is a sign of copied or borrowed certificates."),
        lambda f: (asks_credit_code(f.code) and bool(f.credit_code)
                   and f.credit_code_uses > CREDIT_CODE_MAX and not f.employer_vetted),
    ),
    Rule(
        "internship_as_employment", ERROR, gettext_noop("Internship certificate presented as employment"),
        gettext_noop("An internship is not employment: an internship certificate cannot "
                     "support an employment code."),
        lambda f: f.internship_evidence and parent_code(f.code) in {"10", "11", "12", "27"},
    ),
    Rule(
        "no_contact", WARNING, gettext_noop("Destination recorded without any contact on record"),
        gettext_noop("Staff recorded this destination, but nobody has a contact with the "
                     "student on record: a destination must come from the student."),
        lambda f: f.by_staff and f.contacts == 0,
    ),
)  # fmt: skip

RULES_BY_ID = {rule.id: rule for rule in RULES}


def failing(facts: Facts, rules: Iterable[Rule] = RULES) -> list[Rule]:
    """The rules `facts` fail, in the table's order."""
    return [rule for rule in rules if rule.fails(facts)]
