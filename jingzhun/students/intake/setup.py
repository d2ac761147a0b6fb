"""Checking and applying the kinds that set a college up (org structure, staff).

The wizard's steps are the registry imports' (`services`): these two functions are all they
call for a kind whose rows are not per student. A check stores its plan — what the apply
would create, what already exists, warnings — in the batch, for the page to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from jingzhun.students.intake.apply import ApplyCounts
from jingzhun.students.intake.kinds import KINDS, KindSpec
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.parsers import CellError
from jingzhun.students.intake.validate import RowError, Validation, ValidRow


@dataclass
class SetupValidation(Validation):
    columns: dict[str, str] = field(default_factory=dict)  # field → "C列 专业代码"
    warnings: list[RowError] = field(default_factory=list)
    plan: dict[str, Any] = field(default_factory=dict)
    salt: str = ""  # staff: the one-time passwords' salt, when hashed ahead of the apply

    def col(self, name: str, kind: KindSpec) -> str:
        return self.columns.get(name, kind.by_name[name].label)

    def reject(self, valid: ValidRow, error: RowError) -> None:
        self.errors.append(error)
        valid.values["_rejected"] = True

    def keep_accepted(self) -> None:
        self.valid = [v for v in self.valid if not v.values.get("_rejected")]
        self.errors.sort(key=lambda e: (e.row, e.column))
        self.warnings.sort(key=lambda e: (e.row, e.column))
        self.plan["warnings"] = [w.as_dict() for w in self.warnings[:500]]


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as the spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def parse_cells(
    rows: Iterable[list[str]], header_row: int, mapping: dict[int, str], kind: KindSpec
) -> SetupValidation:
    """Parse each mapped cell, as the registry kinds do; no database access."""
    rows = iter(rows)
    headers: list[str] = next((r for i, r in enumerate(rows) if i == header_row), [])
    result = SetupValidation()
    for column, name in mapping.items():
        header = headers[column] if column < len(headers) else ""
        result.columns[name] = f"{column_letter(column)}列 {header}".strip()
    absent = [s for s in kind.fields if s.required and s.name not in mapping.values()]
    for offset, row in enumerate(rows, start=header_row + 2):
        if not any(cell for cell in row):
            continue
        result.total += 1
        values: dict[str, Any] = {}
        errors = [RowError(offset, spec.label, "", "缺少必填列") for spec in absent]
        for column, name in mapping.items():
            spec = kind.by_name[name]
            raw = row[column].strip() if column < len(row) else ""
            if raw == "":
                if spec.required:
                    errors.append(
                        RowError(offset, result.columns[name], "", f"{spec.label}不能为空")
                    )
                continue
            try:
                values[name] = spec.parser(raw)
            except CellError as exc:
                errors.append(RowError(offset, result.columns[name], raw, str(exc)))
        if errors:
            result.errors += errors
        else:
            result.valid.append(ValidRow(row=offset, values=values))
    return result


def setup_check(batch: ImportBatch, rows: Iterable[list[str]]) -> SetupValidation:
    """Parse, then match against the college as it stands (nothing is written)."""
    from jingzhun.students.intake import org_import, staff_import

    kind = KINDS[batch.kind]
    result = parse_cells(rows, batch.header_row, batch.mapping_by_column, kind)
    check = kind.extra.get("check") or {"org_structure": org_import.org_check, "staff": staff_import.staff_check}[kind.slug]  # fmt: skip
    check(result, kind, institution_id=batch.institution_id)
    result.keep_accepted()
    if kind.slug == "staff" and batch.status == ImportBatch.Status.APPLYING:
        # Hashing takes ~0.3 s a password: done here, before the write transaction starts.
        staff_import.prepare_passwords(result)
    return result


def setup_apply(batch: ImportBatch, result: SetupValidation) -> ApplyCounts:
    """Write the checked rows inside the caller's transaction; records what was done."""
    from jingzhun.students.intake import org_import, staff_import

    apply = KINDS[batch.kind].extra.get("apply") or {"org_structure": org_import.org_apply, "staff": staff_import.staff_apply}[batch.kind]  # fmt: skip
    counts, done = apply(batch, result)
    if batch.kind == "org_structure":
        from jingzhun.students.intake.roster_units import roster_recheck

        done["roster_batch"] = roster_recheck(batch) or 0
    batch.reading = {**batch.reading, "plan": result.plan, "applied": done}
    return counts
