"""The assistance ledger (帮扶台账) of a set of students, as a safe .xlsx (core's writer: no
cell becomes a formula). Read set-based: one query per column group, not per student.

Difficulty types are left out: some are sensitive (psychological, health), and the ledger
goes to people whose role may not open them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext as _

from jingzhun.assistance.models import Action, AssistancePlan
from jingzhun.assistance.transitions import ACTION_OPEN
from jingzhun.core.excel import xlsx_export
from jingzhun.identification.models import Case
from jingzhun.identification.transitions import OPEN as CASE_OPEN
from jingzhun.org.models import RoleAssignment
from jingzhun.students.selectors import student_queryset
from jingzhun.tracking.alerts.models import Alert
from jingzhun.tracking.contacts import with_last_contact


def ledger_header() -> list[str]:
    return [
        _("Student number"), _("Full name"), _("School"), _("Major"), _("Class"), _("Cohort"),
        _("Case status"), _("Level"), _("Responsible person"), _("Plan status"),
        _("Open actions"), _("Open alerts"), _("Last contact"),
    ]  # fmt: skip


def _rows(actor: RoleAssignment, ids: list[int]) -> Iterator[list[Any]]:
    students = (
        with_last_contact(student_queryset(actor=actor).filter(pk__in=ids))
        .select_related("school", "major", "class_group").order_by("-cohort", "student_number")
    )  # fmt: skip
    cases = {
        c.student_id: c
        for c in Case.objects.filter(student_id__in=ids, status__in=CASE_OPEN).select_related("responsible")
    }  # fmt: skip
    plans = {
        p.student_id: p
        for p in AssistancePlan.objects.filter(student_id__in=ids, case__status__in=CASE_OPEN)
    }  # fmt: skip
    actions = Counter(dict(
        Action.objects.filter(student_id__in=ids, status__in=ACTION_OPEN)
        .values_list("student_id").annotate(n=Count("pk")).values_list("student_id", "n")
    ))  # fmt: skip
    alerts = Counter(dict(
        Alert.objects.filter(student_id__in=ids).exclude(state=Alert.State.CLOSED)
        .values_list("student_id").annotate(n=Count("pk")).values_list("student_id", "n")
    ))  # fmt: skip
    for s in students:
        case, plan = cases.get(s.pk), plans.get(s.pk)
        yield [
            s.student_number, s.name, s.school.name, s.major.name, s.class_group.name, s.cohort,
            case.get_status_display() if case else "", case.get_level_display() if case and case.level else "",
            str(case.responsible) if case and case.responsible else "",
            plan.get_status_display() if plan else "", actions[s.pk], alerts[s.pk],
            s.last_contact_on,  # type: ignore[attr-defined]
        ]  # fmt: skip


def ledger_xlsx(*, actor: RoleAssignment, student_ids: list[int]) -> bytes:
    return xlsx_export(ledger_header(), _rows(actor, student_ids), sheet=_("Ledger"))
