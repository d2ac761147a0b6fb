"""Subsidy eligibility (求职创业补贴 and similar) as a pure function: no Django, no database.

A policy names the priority groups it is for and whether only the graduating cohort may
apply. A student qualifies when one piece of evidence of a named group is valid on the day
asked about (its validity dates include that day) and, for a graduating-year policy, their
cohort is the policy's year. The answer always carries its reasons, so a student and a
reviewer read the same thing: which group matched with which certificate, or what is missing.
Reasons are codes with parameters; `subsidy_texts` turns them into the user's language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

# Students who have left (退学) or graduated long ago cannot apply; a suspended student
# (休学) keeps the right like an enrolled one, as the policy is about the graduation year.
APPLYING_STATUSES = frozenset({"enrolled", "suspended", "graduated"})


class ReasonCode(StrEnum):
    MATCHED = "matched"  # group, certificate
    NOT_GRADUATING = "not_graduating"  # cohort, year
    NOT_ENROLLED = "not_enrolled"  # status
    EXPIRED = "expired"  # group, certificate, valid_to
    NOT_YET_VALID = "not_yet_valid"  # group, certificate, valid_from
    NO_EVIDENCE = "no_evidence"  # groups (the policy's, none on record)


@dataclass(frozen=True)
class Evidence:
    """One certificate of a priority group, as the registry holds it."""

    group: str
    certificate: str = ""  # "低保证 410102-2025-0031" — type and number as the registry has them
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


@dataclass(frozen=True)
class PolicyTerms:
    year: int  # the graduation year the policy is for
    groups: frozenset[str]
    graduating_only: bool = True


@dataclass(frozen=True)
class StudentFacts:
    cohort: int
    status: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: tuple[Reason, ...]

    @property
    def matched(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.code == ReasonCode.MATCHED)

    @property
    def missing(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.code != ReasonCode.MATCHED)


def eligibility(terms: PolicyTerms, student: StudentFacts, *, on: dt.date) -> Eligibility:
    """Whether `student` may receive the policy's subsidy on day `on`, and why (or why not).

    Every group the student has valid evidence for is named; a student who fails the cohort
    or status condition still learns which evidence would count, so staff see the whole
    picture in one place.
    """
    reasons: list[Reason] = []
    if student.status not in APPLYING_STATUSES:
        reasons.append(Reason(ReasonCode.NOT_ENROLLED, {"status": student.status}))
    if terms.graduating_only and student.cohort != terms.year:
        reasons.append(
            Reason(
                ReasonCode.NOT_GRADUATING, {"cohort": str(student.cohort), "year": str(terms.year)}
            )
        )
    relevant = sorted(
        (e for e in student.evidence if e.group in terms.groups),
        key=lambda e: (e.group, e.certificate),
    )
    matched = [e for e in relevant if e.valid_on(on)]
    reasons += [Reason(ReasonCode.MATCHED, _params(e)) for e in matched]
    if not matched:
        reasons += [_invalid(e, on) for e in relevant]
        if not relevant:
            reasons.append(
                Reason(ReasonCode.NO_EVIDENCE, {"groups": ",".join(sorted(terms.groups))})
            )
    blocked = any(r.code in (ReasonCode.NOT_ENROLLED, ReasonCode.NOT_GRADUATING) for r in reasons)
    return Eligibility(eligible=bool(matched) and not blocked, reasons=tuple(reasons))


def _params(evidence: Evidence) -> dict[str, str]:
    return {"group": evidence.group, "certificate": evidence.certificate}


def _invalid(evidence: Evidence, on: dt.date) -> Reason:
    if evidence.valid_to is not None and evidence.valid_to < on:
        return Reason(
            ReasonCode.EXPIRED, _params(evidence) | {"valid_to": evidence.valid_to.isoformat()}
        )
    assert evidence.valid_from is not None  # not valid on `on`, not expired: not yet valid
    return Reason(
        ReasonCode.NOT_YET_VALID,
        _params(evidence) | {"valid_from": evidence.valid_from.isoformat()},
    )


def fits_budget(*, budget: Decimal, committed: Decimal, paid: Decimal, adding: Decimal) -> bool:
    """Whether committing `adding` more keeps what is committed and paid within the budget."""
    return committed + paid + adding <= budget
