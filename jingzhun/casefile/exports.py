"""Excel export of the case list (帮扶台账): the same scope and filters as the page, student
identifiers masked, never formulas (`core.excel`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.excel import xlsx_export
from jingzhun.core.masking import mask_id_number
from jingzhun.identification.case_selectors import days_since, type_name
from jingzhun.identification.models import Case, Level
from jingzhun.students import exports as registry
from jingzhun.students.models import Student

EXPORT_LIMIT = 200_000


def export_header() -> list[str]:
    return [
        _("Student number"), _("Name"), _("ID number"), _("School"), _("Class"), _("Status"),
        _("Difficulty types"), _("Level"), _("Responsible"), _("Days since the last event"),
        _("Origin"), _("Opened on"),
    ]  # fmt: skip


def _rows(cases: QuerySet[Case], now: dt.datetime, allowed: frozenset[str]) -> Iterator[list[Any]]:
    for c in cases.iterator(chunk_size=2000):
        s = c.student
        responsible = c.responsible
        yield [
            s.student_number, s.name, mask_id_number(s.id_number), s.school.name, s.class_group.name,
            c.get_status_display(), "、".join(type_name(t, allowed=allowed) for t in c.types.all()),
            c.get_level_display() if c.level else "",
            (responsible.display_name or responsible.username) if responsible else "",
            days_since(c.last_event_at, now=now),  # type: ignore[attr-defined]
            c.get_origin_display(), timezone.localdate(c.created_at),
        ]  # fmt: skip


def cases_xlsx(cases: QuerySet[Case], *, now: dt.datetime, allowed: frozenset[str]) -> bytes:
    """`allowed`: the field groups the exporting role may open (restricted types unnamed)."""
    return xlsx_export(export_header(), _rows(cases[:EXPORT_LIMIT], now, allowed), sheet=_("Cases"))


def student_file_xlsx(students: QuerySet[Student]) -> bytes:
    """The student list as Excel: the registry's columns, then the open case's status and level
    (`students` annotated with `case_status` and `case_level` by the list's selector)."""
    statuses, levels = dict(Case.Status.choices), dict(Level.choices)
    header = [*registry.export_header(), _("Case"), _("Level")]

    def rows() -> Iterator[list[Any]]:
        for s in students[:EXPORT_LIMIT].iterator(chunk_size=2000):
            status, level = getattr(s, "case_status", None), getattr(s, "case_level", None)
            yield [*registry.student_row(s), str(statuses[status]) if status else "",
                   str(levels[level]) if level else ""]  # fmt: skip

    return xlsx_export(header, rows(), sheet=_("Students"))
