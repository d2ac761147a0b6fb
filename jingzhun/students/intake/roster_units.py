"""Propose the schools, majors and classes a roster names but the college lacks.

A roster whose check finds classes that do not exist carries what is needed to create them
(学院, 专业代码, 专业, 班级, 毕业年份): its distinct rows become an org-structure import that
the user checks and applies like any other; nothing is created before that apply, and the
roster is checked again after it.
"""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from pathlib import PurePosixPath

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.core.tabular import iter_rows_file
from jingzhun.org.major_catalogue import major_lookup
from jingzhun.org.models import RoleAssignment
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.permissions import administers_college

# The roster check's messages for a class it cannot find (validate.place_in_class).
MISSING_CLASS = ("班级不存在", "没有班级")
NEEDED = ("school_name", "major_code", "class_name", "graduation_year")
ORG_HEADER = ["学院", "专业代码", "专业名称", "班级", "届别"]
# An org batch proposed from a roster names it as its source: "花名册#12".
SOURCE_PREFIX = "花名册#"


class RosterUnitsError(StrEnum):
    NOT_POSSIBLE = "setup.roster_units_not_possible"


def may_propose_units(actor: RoleAssignment | None, batch: ImportBatch) -> bool:
    """A checked roster that misses classes and names their school, major and year."""
    return (
        administers_college(actor)
        and batch.kind == "students"
        and batch.status in {ImportBatch.Status.VALIDATED, ImportBatch.Status.REJECTED}
        and set(NEEDED) <= set(batch.mapping.values())
        and any(m in str(e.get("message", "")) for e in batch.errors for m in MISSING_CLASS)
    )


def _distinct_units(batch: ImportBatch) -> list[list[str]]:
    columns = {name: column for column, name in batch.mapping_by_column.items()}
    picked = [columns.get(n) for n in ("school_name", "major_code", "major_name", "class_name",
                                       "graduation_year")]  # fmt: skip
    seen: dict[tuple[str, ...], None] = {}
    with batch.rows_file.open("rb") as handle:
        for index, row in enumerate(iter_rows_file(handle)):
            if index <= batch.header_row:
                continue
            cells = tuple(row[c].strip() if c is not None and c < len(row) else "" for c in picked)
            if cells[3]:
                seen.setdefault(cells, None)
    units = []
    for school, code, name, klass, year in seen:
        if not name and (entry := major_lookup(code)) is not None:
            name = entry.name  # a roster without 专业: the catalogue's name
        units.append([school, code, name, klass, year])
    return units


def org_batch_from_roster(
    *, actor: RoleAssignment, batch: ImportBatch, request: HttpRequest | None = None
) -> ImportBatch:
    """An org-structure import of the roster's distinct units, queued to be read and checked.

    Reads the roster's rows as the worker stored them (plain text, already within the
    limits); the new batch goes through the same steps as an uploaded sheet.
    """
    from jingzhun.students.intake.services import import_batch_create

    if not may_propose_units(actor, batch):
        raise DomainError(RosterUnitsError.NOT_POSSIBLE,
                          _("This roster cannot propose schools, majors and classes."))  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(ORG_HEADER)
    writer.writerows(_distinct_units(batch))
    stem = PurePosixPath(batch.original_name).stem[:120]
    return import_batch_create(
        actor=actor, kind="org_structure", filename=f"{stem}-院系专业班级.csv",
        data=buffer.getvalue().encode("utf-8-sig"), source=f"{SOURCE_PREFIX}{batch.pk}",
        request=request,
    )  # fmt: skip


def roster_of(org_batch: ImportBatch) -> int | None:
    """The roster an org batch was proposed from, if it was."""
    if not org_batch.source.startswith(SOURCE_PREFIX):
        return None
    number = org_batch.source.removeprefix(SOURCE_PREFIX)
    return int(number) if number.isdigit() else None


def roster_recheck(org_batch: ImportBatch) -> int | None:
    """After the units are created, check the roster they came from again (on commit)."""
    from jingzhun.students.intake.services import import_batch_request_check

    roster_id = roster_of(org_batch)
    if roster_id is None:
        return None
    roster = ImportBatch.objects.filter(
        pk=roster_id, kind="students", institution_id=org_batch.institution_id,
        status__in=[ImportBatch.Status.VALIDATED, ImportBatch.Status.REJECTED],
    ).first()  # fmt: skip
    if roster is None:
        return None
    import_batch_request_check(batch=roster)
    return roster.pk
