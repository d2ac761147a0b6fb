"""Eligibility reasons (`subsidy_rules`) in the reader's language, and the registry facts the
rules read. Reasons name the policy group and the certificate, never a hardship label."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from jingzhun.assistance.subsidy_rules import Evidence, Reason, ReasonCode, StudentFacts
from jingzhun.students.models import DisabilityRecord, PriorityGroupEvidence, Student

DISABLED_STUDENT = PriorityGroupEvidence.Group.DISABLED_STUDENT


def group_label(group: str) -> str:
    try:
        return str(PriorityGroupEvidence.Group(group).label)
    except ValueError:
        return group


def reason_text(code: str, params: Mapping[str, str]) -> str:
    certificate = params.get("certificate") or _("no certificate number on record")
    names = {"group": group_label(params.get("group", "")), "certificate": certificate}
    if code == ReasonCode.MATCHED:
        return _("%(group)s: %(certificate)s") % names
    if code == ReasonCode.EXPIRED:
        return _("%(group)s: %(certificate)s expired on %(date)s") % (
            names | {"date": params.get("valid_to", "")}
        )
    if code == ReasonCode.NOT_YET_VALID:
        return _("%(group)s: %(certificate)s is valid only from %(date)s") % (
            names | {"date": params.get("valid_from", "")}
        )
    if code == ReasonCode.NOT_GRADUATING:
        return _("For graduates of %(year)s; your graduation year is %(cohort)s") % {
            "year": params.get("year", ""), "cohort": params.get("cohort", "")}  # fmt: skip
    if code == ReasonCode.NOT_ENROLLED:
        return _("Only students on the register may apply")
    if code == ReasonCode.NO_EVIDENCE:
        groups = "、".join(group_label(g) for g in params.get("groups", "").split(",") if g)
        return _("No valid certificate of: %(groups)s") % {"groups": groups}
    return code


def reasons_stored(reasons: Iterable[Reason]) -> list[dict[str, Any]]:
    return [{"code": str(r.code), "params": dict(r.params)} for r in reasons]


def reasons_shown(stored: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Stored reasons as lines: {"code", "ok", "text"}."""
    return [
        {"code": r["code"], "ok": r["code"] == ReasonCode.MATCHED,
         "text": reason_text(r["code"], r.get("params", {}))}
        for r in stored
    ]  # fmt: skip


def _certificate(kind: str, number: str) -> str:
    """The certificate as reasons show and store it: its type and the last four characters of
    its number. A disability certificate's number is the holder's ID number plus two digits,
    and reasons are shown and kept beside the application."""
    shown = f"****{number[-4:]}" if len(number) > 4 else "*" * len(number)
    return " ".join(part for part in (kind, shown) if part)


def student_facts(student: Student) -> StudentFacts:
    """What eligibility reads of one student: cohort, status and every certificate (a
    disability record counts as evidence of the student's own disability)."""
    evidence = [
        Evidence(e.group, _certificate(e.certificate_type, e.certificate_number), e.valid_from, e.valid_to)
        for e in PriorityGroupEvidence.objects.filter(student=student)
    ]  # fmt: skip
    evidence += [
        Evidence(DISABLED_STUDENT, _certificate("残疾人证", d.certificate_number), None, d.valid_to)
        for d in DisabilityRecord.objects.filter(student=student)
    ]  # fmt: skip
    return StudentFacts(cohort=student.cohort, status=student.status, evidence=tuple(evidence))
