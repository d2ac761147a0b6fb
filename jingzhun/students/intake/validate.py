"""Turn rows of text into validated values, reporting every bad cell by row and column.

Look-ups (classes, students) are done once per file in bulk; rows are checked in memory.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from jingzhun.org.models import ClassGroup, RoleAssignment
from jingzhun.org.roles import DataScope
from jingzhun.org.selectors import class_group_list
from jingzhun.students.intake.headers import column_letter
from jingzhun.students.intake.kinds import ROSTER_CHECKS, STUDENTS, KindSpec
from jingzhun.students.intake.parsers import CellError
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

LOOKUP_CHUNK = 5000


@dataclass(frozen=True)
class RowError:
    row: int  # 1-based row number as the spreadsheet shows it
    column: str  # header text (or field label when the column is missing)
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ValidRow:
    row: int
    values: dict[str, Any]
    student_id: int | None = None  # related kinds: the student the record belongs to
    class_group: ClassGroup | None = None  # students kind: the placement


@dataclass
class Validation:
    total: int = 0
    valid: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # field name → how errors name its column ("C列 班级"); absent fields are not in it
    columns: dict[str, str] = field(default_factory=dict)

    def column(self, name: str, label: str) -> str:
        return self.columns.get(name, label)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


_column_letter = column_letter  # the org-structure import (setup.py) reads it under this name


def spreadsheet_row(row: int) -> str:
    return f"第 {row} 行"


def parse_rows(
    rows: Iterable[list[str]],
    header_row: int,
    mapping: dict[int, str],
    kind: KindSpec,
    describe_row: Callable[[int], str] = spreadsheet_row,
) -> Validation:
    """Parse each mapped cell; no database access. `describe_row` names rows in messages.

    `rows` is consumed once, in order, so a file streams through with only its results kept.
    """
    rows = iter(rows)
    headers: list[str] = []
    for index, row in enumerate(rows):
        if index == header_row:
            headers = row
            break
    names = {column: f"{column_letter(column)}列 {headers[column] if column < len(headers) else ''}".strip()
             for column in mapping}  # fmt: skip
    mapped = set(mapping.values())
    absent_required = [s for s in kind.fields if s.required and s.name not in mapped]
    result = Validation(columns={name: names[column] for column, name in mapping.items()})
    specs = [(column, name, kind.by_name[name]) for column, name in mapping.items()]
    for offset, row in enumerate(rows, start=header_row + 2):
        if not any(cell for cell in row):
            continue
        result.total += 1
        values: dict[str, Any] = {}
        row_errors = [RowError(offset, spec.label, "", "缺少必填列") for spec in absent_required]
        for column, name, spec in specs:
            raw = row[column] if column < len(row) else ""
            if raw == "":
                if spec.required:
                    row_errors.append(RowError(offset, names[column], "", f"{spec.label}不能为空"))
                continue
            try:
                values[name] = spec.parser(raw)
            except CellError as exc:
                row_errors.append(RowError(offset, names[column], raw, str(exc)))
        row_errors += _cross_field_errors(values, offset, kind, result)
        if row_errors:
            result.errors += row_errors
        else:
            result.valid.append(ValidRow(row=offset, values=values))
    _reject_duplicates(result, kind, describe_row)
    return result


def _cross_field_errors(
    values: dict[str, Any], row: int, kind: KindSpec, result: Validation
) -> list[RowError]:
    errors = []
    if kind is STUDENTS and values.get("id_number") and values.get("gender"):
        male = int(values["id_number"][16]) % 2 == 1  # already validated by its parser
        if (values["gender"] == "M") != male:
            column = result.column("gender", "性别")
            errors.append(RowError(row, column, values["gender"], "性别与身份证号不一致"))
    if (
        values.get("salary_min")
        and values.get("salary_max")
        and values["salary_min"] > values["salary_max"]
    ):
        errors.append(RowError(row, "期望月薪下限", str(values["salary_min"]), "下限高于上限"))
    if (
        values.get("start_date")
        and values.get("end_date")
        and values["end_date"] < values["start_date"]
    ):
        errors.append(
            RowError(row, "结束日期", values["end_date"].isoformat(), "结束日期早于开始日期")
        )
    return errors


def _reject_duplicates(
    result: Validation, kind: KindSpec, describe_row: Callable[[int], str]
) -> None:
    """A key twice in one file is ambiguous: keep the first, report the later rows."""
    seen: dict[tuple[Any, ...], int] = {}
    kept = []
    for valid in result.valid:
        key = tuple(valid.values.get(n) for n in ("student_number", *kind.key))
        if key in seen:
            result.errors.append(
                RowError(
                    valid.row,
                    result.column("student_number", "学号"),
                    str(valid.values["student_number"]),
                    f"与{describe_row(seen[key])}重复",
                )
            )
            continue
        seen[key] = valid.row
        kept.append(valid)
    result.valid = kept


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), LOOKUP_CHUNK):
        yield items[start : start + LOOKUP_CHUNK]


def resolve(
    result: Validation, kind: KindSpec, *, institution_id: int, actor: RoleAssignment | None
) -> Validation:
    """Attach classes or students from the database, within the actor's scope."""
    if kind is STUDENTS:
        _resolve_classes(result, institution_id=institution_id, actor=actor)
    else:
        _resolve_students(result, institution_id=institution_id, actor=actor)
    result.errors.sort(key=lambda e: (e.row, e.column))
    return result


def _resolve_classes(
    result: Validation, *, institution_id: int, actor: RoleAssignment | None
) -> None:
    allowed = class_group_list(actor=actor).filter(major__school__institution_id=institution_id)
    by_name: dict[str, list[ClassGroup]] = defaultdict(list)
    for group in allowed.select_related("major__school__institution").order_by(
        "major__school__code", "pk"
    ):
        by_name[group.name].append(group)
    refused = _numbers_refused(
        [v.values["student_number"] for v in result.valid],
        institution_id=institution_id,
        actor=actor,
    )
    kept = []
    for valid in result.valid:
        number = valid.values["student_number"]
        if number in refused:
            column = result.column("student_number", "学号")
            result.errors.append(RowError(valid.row, column, number, NOT_YOURS_TO_CREATE))
            continue
        placed, problems = place_in_class(valid.values, by_name.get(valid.values["class_name"], []))
        if placed is None:
            result.errors += [
                RowError(valid.row, result.column(name, STUDENTS.by_name[name].label), value, text)
                for name, value, text in problems
            ]
            continue
        valid.class_group = placed
        kept.append(valid)
    result.valid = kept


Problem = tuple[str, str, str]  # field name, value as shown, message


def place_in_class(
    values: dict[str, Any], groups: list[ClassGroup]
) -> tuple[ClassGroup | None, list[Problem]]:
    """The one class a roster row names, or what is wrong: no such class, a name several
    schools (or majors) use that the row does not tell apart, or a 学院 / 专业代码 / 专业 /
    毕业年份 that contradicts the class. `groups` are the classes in scope with that name."""
    name = values["class_name"]
    if not groups:
        return None, [("class_name", name, "班级不存在或不在您的数据范围内")]
    code = values.get("class_code")
    if code:  # a class code names one class even where schools reuse the class name
        coded = [g for g in groups if g.code and _same(code, g.code)]
        if not coded:
            return None, [("class_code", code, f"班级代码 {code} 与班级 {name} 不符，或该班级未登记代码")]  # fmt: skip
        groups = coded
    if len(groups) > 1:
        fitting = [g for g in groups if not _contradictions(g, values)]
        if len(fitting) == 1:
            return fitting[0], []
        if not fitting and values.get("school_name"):
            fitting = [g for g in groups if _same(values["school_name"], *_school_names(g))]
            if not fitting:
                return None, [_no_class_in_school(values, groups)]
        if len(fitting or groups) > 1:
            return None, [_ambiguous(name, fitting or groups)]
        groups = fitting
    problems = _contradictions(groups[0], values)
    return (None, problems) if problems else (groups[0], [])


@functools.lru_cache(maxsize=4096)  # a roster repeats a few dozen schools and majors
def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def _same(given: str, *expected: str) -> bool:
    return _normal(given) in {_normal(e) for e in expected}


def _school_names(group: ClassGroup) -> tuple[str, str]:
    return group.major.school.name, group.major.school.code


def _contradictions(group: ClassGroup, values: dict[str, Any]) -> list[Problem]:
    if not any(values.get(n) for n in ROSTER_CHECKS):
        return []
    major, name = group.major, group.name
    problems: list[Problem] = []
    school = values.get("school_name")
    if school and not _same(school, *_school_names(group)):
        problems.append(("school_name", school, f"学院 {school} 与班级 {name} 所属学院 {major.school.name} 不符"))  # fmt: skip
    code = values.get("major_code")
    # Excel drops the leading zero of 080901 in a number column.
    if code and code.lstrip("0") != major.moe_code.upper().lstrip("0"):
        problems.append(("major_code", code, f"专业代码 {code} 与班级 {name} 的专业代码 {major.moe_code} 不符"))  # fmt: skip
    major_name = values.get("major_name")
    if major_name and not _same(major_name, major.name):
        problems.append(("major_name", major_name, f"专业 {major_name} 与班级 {name} 的专业 {major.name} 不符"))  # fmt: skip
    year = values.get("graduation_year")
    if year is not None and year != group.cohort:
        problems.append(("graduation_year", str(year), f"毕业年份 {year} 与班级 {name} 的届别 {group.cohort} 不符"))  # fmt: skip
    return problems


def _ambiguous(name: str, groups: list[ClassGroup]) -> Problem:
    schools = list(dict.fromkeys(g.major.school.name for g in groups))
    if len(schools) > 1:
        return ("class_name", name, f"班级名称 {name} 在 {'、'.join(schools)} 都有，请增加“学院”列")
    majors = "、".join(dict.fromkeys(g.major.name for g in groups))
    return ("class_name", name, f"班级名称 {name} 在 {schools[0]} 的 {majors} 都有，请增加“专业”列")


def _no_class_in_school(values: dict[str, Any], groups: list[ClassGroup]) -> Problem:
    school, name = values["school_name"], values["class_name"]
    schools = "、".join(dict.fromkeys(g.major.school.name for g in groups))
    return ("school_name", school, f"学院 {school} 没有班级 {name}（{name} 在 {schools}）")


NOT_YOURS_TO_CREATE = "学号不存在或不在您的数据范围内；新学生的学籍由就业处导入"


def may_create_students(actor: RoleAssignment | None) -> bool:
    """Only a role that sees the whole institution adds students to it."""
    return actor is None or actor.data_scope in {DataScope.ALL, DataScope.INSTITUTION}


def _numbers_refused(
    numbers: list[str], *, institution_id: int, actor: RoleAssignment | None
) -> set[str]:
    """Numbers the actor may not write. A narrower role may update only students it sees, and
    an unknown number is refused exactly like another school's: otherwise the answer would
    tell which numbers exist outside the actor's scope."""
    refused: set[str] = set()
    in_scope = student_queryset(actor=actor).filter(institution_id=institution_id)
    creates = may_create_students(actor)
    for chunk in _chunks(numbers):
        visible = set(
            in_scope.filter(student_number__in=chunk).values_list("student_number", flat=True)
        )
        if not creates:
            refused |= set(chunk) - visible
            continue
        existing = set(Student.objects.filter(institution_id=institution_id, student_number__in=chunk)
                       .values_list("student_number", flat=True))  # fmt: skip
        refused |= existing - visible
    return refused


def _resolve_students(
    result: Validation, *, institution_id: int, actor: RoleAssignment | None
) -> None:
    numbers = sorted({v.values["student_number"] for v in result.valid})
    ids: dict[str, int] = {}
    scoped = student_queryset(actor=actor).filter(institution_id=institution_id)
    for chunk in _chunks(numbers):
        ids.update(scoped.filter(student_number__in=chunk).values_list("student_number", "pk"))
    kept = []
    for valid in result.valid:
        number = valid.values["student_number"]
        if number not in ids:
            column = result.column("student_number", "学号")
            result.errors.append(
                RowError(valid.row, column, number, "学号不存在或不在您的数据范围内")
            )
            continue
        valid.student_id = ids[number]
        kept.append(valid)
    result.valid = kept


def validate_payload(
    kind: KindSpec,
    records: list[dict[str, Any]],
    *,
    institution_id: int,
    actor: RoleAssignment | None,
) -> Validation:
    """The import pipeline for JSON records (the API): same parsers, scope and duplicate rules.

    Each record is a mapping of field name → value; values are read as text exactly as a
    spreadsheet cell would be. Row numbers in the result are 0-based record indexes.
    """
    names = [spec.name for spec in kind.fields]
    rows = [names, *([_as_text(record.get(name)) for name in names] for record in records)]
    # Record i sits on "row" i + 2 of the synthetic sheet (header on row 1).
    result = parse_rows(
        rows, 0, dict(enumerate(names)), kind, describe_row=lambda row: f"第 {row - 2} 条记录"
    )
    result = resolve(result, kind, institution_id=institution_id, actor=actor)
    for valid in result.valid:
        valid.row -= 2
    result.errors = [
        RowError(e.row - 2, e.column.split(" ")[-1], e.value, e.message) for e in result.errors
    ]
    return result


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()
