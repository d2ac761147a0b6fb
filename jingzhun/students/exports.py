"""Excel export of a filtered student list: masked identifiers, audited, never formulas."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from jingzhun.core.excel import xlsx_export
from jingzhun.core.masking import mask_id_number, mask_phone
from jingzhun.students.models import Student

EXPORT_LIMIT = 200_000


def export_header() -> list[str]:
    return [
        _("Student number"), _("Name"), _("Gender"), _("Ethnicity"), _("School"), _("Major"), _("Class"),
        _("Cohort"), _("Education level"), _("Status"), _("ID number"), _("Phone"),
    ]  # fmt: skip


def student_row(s: Student) -> list[Any]:
    """One student's registry columns, identifiers masked (later stages append their own)."""
    return [
        s.student_number, s.name, s.get_gender_display(), s.get_ethnicity_display(), s.school.name,
        s.major.name, s.class_group.name, s.cohort, s.get_education_level_display(),
        s.get_status_display(), mask_id_number(s.id_number), mask_phone(s.phone),
    ]  # fmt: skip


def _rows(students: QuerySet[Student]) -> Iterator[list[Any]]:
    for s in students.iterator(chunk_size=2000):
        yield student_row(s)


def students_xlsx(students: QuerySet[Student]) -> bytes:
    return xlsx_export(export_header(), _rows(students[:EXPORT_LIMIT]), sheet=_("Students"))
