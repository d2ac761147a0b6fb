"""Write validated rows: one bulk insert for new rows, one bulk upsert for changed ones.

Both run inside the caller's transaction, so a batch lands completely or not at all.
Unchanged rows are not written, so re-applying the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from jingzhun.core.bulk import insert_rows
from jingzhun.org.models import ClassGroup
from jingzhun.students.changes import records_changed
from jingzhun.students.intake.kinds import ROSTER_CHECKS, STUDENTS, KindSpec
from jingzhun.students.intake.validate import LOOKUP_CHUNK, ValidRow
from jingzhun.students.services import placement_of


@dataclass(frozen=True)
class ApplyCounts:
    created: int
    updated: int
    unchanged: int


def _concrete(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def _placement_ids(class_group: ClassGroup) -> dict[str, Any]:
    placement = placement_of(class_group)
    return {
        "institution_id": placement["institution"].pk, "school_id": placement["school"].pk,
        "major_id": placement["major"].pk, "class_group_id": class_group.pk, "cohort": placement["cohort"],
    }  # fmt: skip


def _row_fields(
    kind: KindSpec, valid: ValidRow, placements: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    # A roster's class is stored as its placement; its school, major and year were checked.
    skipped = {"class_name", *ROSTER_CHECKS} if kind is STUDENTS else {"class_name"}
    values = {k: v for k, v in valid.values.items() if k not in skipped}
    if kind is STUDENTS:
        group = valid.class_group
        assert group is not None
        if group.pk not in placements:
            placements[group.pk] = _placement_ids(group)
        values.update(placements[group.pk])
    else:
        values.pop("student_number")
        values["student_id"] = valid.student_id
    return values


def _key(kind: KindSpec, values: dict[str, Any]) -> tuple[Any, ...]:
    if kind is STUDENTS:
        return (values["institution_id"], values["student_number"])
    return (values["student_id"], *(values.get(k) for k in kind.key))


def _unique_fields(kind: KindSpec) -> list[str]:
    return ["institution_id", "student_number"] if kind is STUDENTS else ["student_id", *kind.key]


def _existing(kind: KindSpec, rows: list[dict[str, Any]]) -> dict[tuple[Any, ...], dict[str, Any]]:
    model = kind.model
    columns = ["pk", *_concrete(model)]
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    if kind is STUDENTS:
        lookup, values = "student_number__in", sorted({r["student_number"] for r in rows})
        scope = {"institution_id": rows[0]["institution_id"]} if rows else {}
    else:
        lookup, values = "student_id__in", sorted({r["student_id"] for r in rows})
        scope = {}
    for start in range(0, len(values), LOOKUP_CHUNK):
        chunk = values[start : start + LOOKUP_CHUNK]
        for record in model._default_manager.filter(**scope, **{lookup: chunk}).values(*columns):
            found[_key(kind, record)] = record
    return found


def _defaults_for_new(kind: KindSpec, valid: ValidRow, values: dict[str, Any]) -> dict[str, Any]:
    if kind is not STUDENTS or valid.class_group is None:
        return values
    major = valid.class_group.major
    return {
        "entry_year": valid.class_group.cohort - major.duration_years,
        "education_level": major.level,
        **values,
    }


def _announce(
    kind: KindSpec, new: list[dict[str, Any]], changed: list[dict[str, Any]],
    changed_pks: list[int], fields: set[str],
) -> None:  # fmt: skip
    """One `records_changed` for the whole write (a new student has nothing derived yet)."""
    if kind is STUDENTS:
        ids = sorted(set(changed_pks))
    else:
        ids = sorted({row["student_id"] for row in [*new, *changed]})
        if new:
            fields = fields | {name for row in new for name in row}
    if ids:
        records_changed.send(sender=kind.model, student_ids=ids, fields=frozenset(fields))


def apply_rows(kind: KindSpec, valid_rows: Iterable[ValidRow]) -> ApplyCounts:
    placements: dict[int, dict[str, Any]] = {}
    pairs = [(valid, _row_fields(kind, valid, placements)) for valid in valid_rows]
    existing = _existing(kind, [values for _, values in pairs])
    new: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    changed_fields: set[str] = set()
    changed_pks: list[int] = []
    for valid, values in pairs:
        current = existing.get(_key(kind, values))
        if current is None:
            new.append(_defaults_for_new(kind, valid, values))
            continue
        diff = {k for k, v in values.items() if current.get(k) != v}
        if diff:
            changed_pks.append(current["pk"])
            changed.append(
                {k: v for k, v in current.items() if k not in {"pk", "created_at", "updated_at"}}
                | values
            )
            changed_fields |= diff
    insert_rows(kind.model, new)
    if changed:
        # The upsert conflicts on the natural key only; rows carry no primary key.
        insert_rows(
            kind.model, changed, conflict=_unique_fields(kind), update=sorted(changed_fields)
        )
    _announce(kind, new, changed, changed_pks, changed_fields)
    return ApplyCounts(
        created=len(new), updated=len(changed), unchanged=len(pairs) - len(new) - len(changed)
    )
