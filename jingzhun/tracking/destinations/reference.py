"""Reference data of destinations, pure: the three-digit MOE sub-codes and the evidence each
code requires.

The two-digit codes are seeded by `students/migrations/0002_destination_codes.py`; the
three-digit ones below refine codes 50, 51 and 80 (the national and local grassroots
projects, and the kinds of further study) and are added by tracking's migration. Both stay
editable in the back office; a code that is not listed here requires the evidence of its
two-digit parent.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# (code, name, counts as) — three-digit codes of DESIGN.md's table.
SUB_CODES: list[tuple[str, str, str]] = [
    ("502", "三支一扶", "employed"),
    ("503", "西部计划", "employed"),
    ("512", "地方选调生", "employed"),
    ("519", "其他地方基层项目", "employed"),
    ("801", "研究生", "further_study"),
    ("802", "第二学士学位", "further_study"),
    ("803", "专升本", "further_study"),
]

# Codes that need a monthly wage at or above the local minimum (其他录用形式就业, 科研助理,
# 自由职业): their evidence is the employer's or the client's word, not a contract on file.
WAGE_CODES: frozenset[str] = frozenset({"12", "27", "76"})
# Codes whose share is watched against the institution's (easy to claim, hard to check).
SELF_REPORTED_CODES: frozenset[str] = frozenset({"75", "76"})
# Codes staff may record only after the contact rule holds: the student's outcome is unknown.
NOT_PLACED_CATEGORY = "not_placed"


class Evidence:
    """Kinds of evidence file."""

    AGREEMENT = "agreement"
    LABOUR_CONTRACT = "labour_contract"
    EMPLOYER_CERTIFICATE = "employer_certificate"
    ADMISSION_LETTER = "admission_letter"
    BUSINESS_LICENCE = "business_licence"
    FREELANCE_PROOF = "freelance_proof"
    ENLISTMENT_NOTICE = "enlistment_notice"
    PROJECT_NOTICE = "project_notice"
    INTERNSHIP_CERTIFICATE = "internship_certificate"
    OTHER = "other"


EVIDENCE_LABELS = {
    Evidence.AGREEMENT: _("Employment agreement (就业协议书)"),
    Evidence.LABOUR_CONTRACT: _("Labour contract"),
    Evidence.EMPLOYER_CERTIFICATE: _("Employer certificate with the monthly wage"),
    Evidence.ADMISSION_LETTER: _("Admission letter"),
    Evidence.BUSINESS_LICENCE: _("Business licence"),
    Evidence.FREELANCE_PROOF: _("Signed freelance proof"),
    Evidence.ENLISTMENT_NOTICE: _("Enlistment notice"),
    Evidence.PROJECT_NOTICE: _("Project appointment notice"),
    Evidence.INTERNSHIP_CERTIFICATE: _("Internship certificate"),
    Evidence.OTHER: _("Other"),
}

# Each code: the kinds of which at least one must be on file (any one of a tuple will do).
# Not-placed codes need none: the contact rule guards them instead.
REQUIRED_EVIDENCE: dict[str, tuple[str, ...]] = {
    "10": (Evidence.AGREEMENT,),
    "11": (Evidence.LABOUR_CONTRACT,),
    "12": (Evidence.EMPLOYER_CERTIFICATE,),
    "27": (Evidence.EMPLOYER_CERTIFICATE, Evidence.LABOUR_CONTRACT),
    "46": (Evidence.ENLISTMENT_NOTICE,),
    "50": (Evidence.PROJECT_NOTICE,),
    "51": (Evidence.PROJECT_NOTICE,),
    "75": (Evidence.BUSINESS_LICENCE,),
    "76": (Evidence.FREELANCE_PROOF,),
    "80": (Evidence.ADMISSION_LETTER,),
    "85": (Evidence.ADMISSION_LETTER,),
}

# Codes for which an employer (or school) name is part of the record.
EMPLOYER_CODES: frozenset[str] = frozenset(
    {"10", "11", "12", "27", "46", "50", "51", "75", "80", "85"}
)
# Codes for which the employer's unified social credit code is asked (an organisation hires).
CREDIT_CODE_CODES: frozenset[str] = frozenset({"10", "11", "12", "27", "75"})


def parent_code(code: str) -> str:
    """The two-digit code a three-digit one refines (502 → 50)."""
    return code[:2]


def required_evidence(code: str) -> tuple[str, ...]:
    """The kinds of evidence of which one must be on file for `code` (empty: none)."""
    return REQUIRED_EVIDENCE.get(code) or REQUIRED_EVIDENCE.get(parent_code(code), ())


def evidence_satisfied(code: str, kinds: set[str] | frozenset[str]) -> bool:
    required = required_evidence(code)
    return not required or bool(set(required) & set(kinds))


def needs_wage(code: str) -> bool:
    return parent_code(code) in WAGE_CODES


def needs_employer(code: str) -> bool:
    return parent_code(code) in EMPLOYER_CODES


def asks_credit_code(code: str) -> bool:
    return parent_code(code) in CREDIT_CODE_CODES


def evidence_label(kind: str) -> str:
    return str(EVIDENCE_LABELS.get(kind, kind))
