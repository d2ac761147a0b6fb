"""Org-structure import: schools, majors and classes from the sheet an office keeps.

Existing units are matched — a school by name or code, a major by school + MOE code, a class
by school + class code or name — and the rest proposed; nothing is written before the apply.
Units are never renamed or moved by an import: a row contradicting what exists is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jingzhun.org.major_catalogue import major_lookup, normalize_code
from jingzhun.org.models import ClassGroup, Major, RoleAssignment, School
from jingzhun.org.roles import Role
from jingzhun.students.intake.apply import ApplyCounts
from jingzhun.students.intake.kinds import KindSpec
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.setup import SetupValidation
from jingzhun.students.intake.validate import RowError, ValidRow

DEFAULT_DURATION: dict[str, int] = {Major.Level.VOCATIONAL: 3, Major.Level.UNDERGRADUATE: 4}
SHOWN_NEW = 200
LEVEL_NAMES: dict[str, str] = {
    Major.Level.VOCATIONAL: "高职专科",
    Major.Level.UNDERGRADUATE: "本科",
}


@dataclass
class _College:
    """The institution's units as they stand, indexed the ways a sheet names them."""

    schools_by_name: dict[str, School] = field(default_factory=dict)
    schools_by_code: dict[str, School] = field(default_factory=dict)
    majors: dict[tuple[int, str], Major] = field(default_factory=dict)
    classes_by_name: dict[tuple[int, str], ClassGroup] = field(default_factory=dict)
    classes_by_code: dict[tuple[int, str], ClassGroup] = field(default_factory=dict)
    counsellors: dict[str, RoleAssignment] = field(default_factory=dict)

    @classmethod
    def load(cls, institution_id: int) -> _College:
        college = cls()
        for school in School.objects.filter(institution_id=institution_id):
            college.schools_by_name[school.name] = school
            college.schools_by_code[school.code] = school
        for major in Major.objects.filter(school__institution_id=institution_id):
            college.majors[(major.school_id, normalize_code(major.moe_code))] = major
        groups = ClassGroup.objects.filter(major__school__institution_id=institution_id)
        for group in groups.select_related("major"):
            college.classes_by_name[(group.major.school_id, group.name)] = group
            if group.code:
                college.classes_by_code[(group.major.school_id, group.code)] = group
        assignments = RoleAssignment.objects.filter(
            institution_id=institution_id, role=Role.COUNSELLOR, is_active=True
        ).select_related("user")
        for assignment in assignments:
            college.counsellors.setdefault(assignment.user.username, assignment)
        return college


def _school_key(
    v: dict[str, Any], college: _College, result: SetupValidation, kind: KindSpec, valid: ValidRow
) -> int | str | None:
    """The existing school's id, or the new school's name; None after an error."""
    name, code = v["school_name"], v.get("school_code", "")
    by_name, by_code = college.schools_by_name.get(name), college.schools_by_code.get(code)
    column = result.col("school_code", kind)
    if by_name and code and by_name.code != code:
        message = (f"学院「{name}」已存在，代码为 {by_name.code}" if by_code is None
                   else f"学院代码 {code} 已属于学院「{by_code.name}」")  # fmt: skip
        result.reject(valid, RowError(valid.row, column, code, message))
        return None
    if by_name:
        return by_name.pk
    if by_code:
        result.warnings.append(RowError(valid.row, result.col("school_name", kind), name,
                               f"按学院代码 {code} 匹配到已有学院「{by_code.name}」，名称不同，未修改"))  # fmt: skip
        return by_code.pk
    return name


def org_check(result: SetupValidation, kind: KindSpec, *, institution_id: int) -> None:
    college = _College.load(institution_id)
    new_schools: dict[str, tuple[int, str]] = {}  # name → (first row, code)
    new_codes: dict[str, tuple[int, str]] = {}  # code → (first row, name)
    new_majors: dict[tuple[int | str, str], tuple[int, dict[str, Any]]] = {}
    seen_classes: dict[tuple[int | str, str], int] = {}
    for valid in result.valid:
        v = valid.values
        school = _school_key(v, college, result, kind, valid)
        if school is None:
            continue
        if isinstance(school, str):
            code = v.get("school_code", "")
            first = new_schools.setdefault(school, (valid.row, code))
            owner = new_codes.setdefault(code, (valid.row, school)) if code else None
            if code not in {"", first[1]} and first[1]:
                result.reject(valid, RowError(valid.row, result.col("school_code", kind),
                              code, f"与第 {first[0]} 行同一学院的代码 {first[1]} 不一致"))  # fmt: skip
                continue
            if owner is not None and owner[1] != school:
                result.reject(valid, RowError(valid.row, result.col("school_code", kind),
                              code, f"学院代码 {code} 在第 {owner[0]} 行已用于学院「{owner[1]}」"))  # fmt: skip
                continue
        major = _check_major(valid, school, college, result, kind, new_majors)
        if major is None:
            continue
        _check_class(valid, school, major, college, result, kind, seen_classes)
        if v.get("_rejected"):
            continue
        number = v.get("counsellor_number")
        if number and number in college.counsellors:
            v["_counsellor"] = college.counsellors[number].pk
        elif number:
            result.warnings.append(RowError(valid.row, result.col("counsellor_number", kind), number,
                                   "尚无此工号的辅导员账号，班级先不关联；导入教职工时在“所带班级”填写本班即可"))  # fmt: skip
        v["_school"] = school
    result.plan = _plan([v.values for v in result.valid if not v.values.get("_rejected")], college)


def _plan(accepted: list[dict[str, Any]], college: _College) -> dict[str, Any]:
    """What the apply would do, counted over the rows it would apply (rejected rows excluded)."""
    names = {s.pk: s.name for s in college.schools_by_name.values()}
    new_schools = list(
        dict.fromkeys(v["_school"] for v in accepted if isinstance(v["_school"], str))
    )
    new_majors = list(dict.fromkeys(
        f"{names.get(v['_school'], v['_school'])} / {v['_new_major']['name']}（{v['_new_major']['code']}）"
        for v in accepted if "_new_major" in v))  # fmt: skip
    new_classes = [f"{v['school_name']} / {v['class_name']}" for v in accepted if "_class" not in v]
    return {
        "new_schools": new_schools, "new_majors": new_majors, "new_classes": new_classes[:SHOWN_NEW],
        "counts": {"new_schools": len(new_schools), "new_majors": len(new_majors),
                   "new_classes": len(new_classes),
                   "existing_schools": len({v["_school"] for v in accepted if isinstance(v["_school"], int)}),
                   "existing_majors": len({v["_major"] for v in accepted if "_major" in v}),
                   "existing_classes": sum("_class" in v for v in accepted),
                   "counsellor_links": sum("_counsellor" in v for v in accepted)},
    }  # fmt: skip


def _check_major(
    valid: ValidRow, school: int | str, college: _College, result: SetupValidation,
    kind: KindSpec, new_majors: dict[tuple[int | str, str], tuple[int, dict[str, Any]]],
) -> int | dict[str, Any] | None:  # fmt: skip
    """The existing major's id or the new major's fields; None after an error."""
    v = valid.values
    entry = major_lookup(v["major_code"])
    code_column = result.col("major_code", kind)
    if entry is None:
        result.reject(valid, RowError(valid.row, code_column, v["major_code"],
                      "专业代码不在国家专业目录中（高职专科 2021 版、本科 2026 版）"))  # fmt: skip
        return None
    if entry.name != v["major_name"]:
        result.warnings.append(RowError(valid.row, result.col("major_name", kind), v["major_name"],
                               f"专业名称与国家专业目录不一致：目录为「{entry.name}」，表中为「{v['major_name']}」"))  # fmt: skip
    level = v.get("education_level") or entry.level
    if level != entry.level:
        result.reject(valid, RowError(valid.row, result.col("education_level", kind),
                      LEVEL_NAMES[level], f"专业代码 {entry.code} 属于{'本科' if entry.level == 'benke' else '高职专科'}专业目录"))  # fmt: skip
        return None
    if isinstance(school, int):
        found = college.majors.get((school, entry.code)) or college.majors.get(
            (school, entry.code[:6])
        )
        if found is not None:
            v["_major"] = found.pk
            return found.pk
    fields = {"code": entry.code, "name": v["major_name"], "level": level,
              "duration_years": v.get("duration_years") or DEFAULT_DURATION[level]}  # fmt: skip
    first = new_majors.setdefault((school, entry.code), (valid.row, fields))
    if first[1] != fields:
        differs = next(k for k in fields if first[1][k] != fields[k])
        label = {
            "name": "major_name",
            "level": "education_level",
            "duration_years": "duration_years",
        }[differs]
        result.reject(valid, RowError(valid.row, result.col(label, kind), str(v.get(label, "")),
                      f"与第 {first[0]} 行同一专业（{entry.code}）的{kind.by_name[label].label}不一致"))  # fmt: skip
        return None
    v["_new_major"] = fields
    return fields


def _check_class(
    valid: ValidRow, school: int | str, major: int | dict[str, Any], college: _College,
    result: SetupValidation, kind: KindSpec, seen: dict[tuple[int | str, str], int],
) -> None:  # fmt: skip
    v = valid.values
    name_column = result.col("class_name", kind)
    first = seen.setdefault((school, v["class_name"]), valid.row)
    if first != valid.row:
        result.reject(valid, RowError(valid.row, name_column, v["class_name"],
                      f"与第 {first} 行重复：同一学院的班级名称须唯一"))  # fmt: skip
        return
    if not isinstance(school, int):
        return
    code = v.get("class_code", "")
    group = (college.classes_by_code.get((school, code)) if code else None) or \
        college.classes_by_name.get((school, v["class_name"]))  # fmt: skip
    if group is None:
        return
    if group.name != v["class_name"]:
        result.reject(valid, RowError(valid.row, result.col("class_code", kind), code,
                      f"班级代码 {code} 已属于班级「{group.name}」"))  # fmt: skip
    elif group.major_id != major:
        result.reject(valid, RowError(valid.row, name_column, v["class_name"],
                      f"班级「{group.name}」已存在，属于专业「{group.major.name}」（{group.major.moe_code}）"))  # fmt: skip
    elif group.cohort != v["cohort"]:
        result.reject(valid, RowError(valid.row, result.col("cohort", kind), str(v["cohort"]),
                      f"班级「{group.name}」已存在，届别为 {group.cohort}"))  # fmt: skip
    else:
        v["_class"] = group.pk


def _free_code(taken: set[str]) -> str:
    number = 1
    while f"S{number:02d}" in taken:
        number += 1
    taken.add(f"S{number:02d}")
    return f"S{number:02d}"


def org_apply(batch: ImportBatch, result: SetupValidation) -> tuple[ApplyCounts, dict[str, int]]:
    """Create the proposed units in the caller's transaction; link counsellors to classes."""
    taken = set(
        School.objects.filter(institution_id=batch.institution_id).values_list("code", flat=True)
    )
    schools: dict[str, School] = {}
    majors: dict[tuple[int, str], Major] = {}
    done = {"schools": 0, "majors": 0, "classes": 0, "counsellor_links": 0}
    unchanged = 0
    for valid in result.valid:
        v = valid.values
        school_id = v["_school"]
        if isinstance(school_id, str):
            if school_id not in schools:
                code = v.get("school_code") or _free_code(taken)
                taken.add(code)
                schools[school_id] = School.objects.create(
                    institution_id=batch.institution_id, name=school_id, code=code
                )
                done["schools"] += 1
            school_id = schools[school_id].pk
        major_id = v.get("_major")
        if major_id is None:
            fields = v["_new_major"]
            if (school_id, fields["code"]) not in majors:
                majors[(school_id, fields["code"])] = Major.objects.create(
                    school_id=school_id, moe_code=fields["code"], name=fields["name"],
                    level=fields["level"], duration_years=fields["duration_years"],
                )  # fmt: skip
                done["majors"] += 1
            major_id = majors[(school_id, fields["code"])].pk
        group_id = v.get("_class")
        linked = False
        if group_id is None:
            group_id = ClassGroup.objects.create(
                major_id=major_id, name=v["class_name"], code=v.get("class_code", ""), cohort=v["cohort"]
            ).pk  # fmt: skip
            done["classes"] += 1
        if "_counsellor" in v:
            assignment = RoleAssignment.objects.get(pk=v["_counsellor"])
            if not assignment.classes.filter(pk=group_id).exists():
                assignment.classes.add(group_id)
                done["counsellor_links"] += 1
                linked = True
        unchanged += "_class" in v and not linked
    created = done["schools"] + done["majors"] + done["classes"]
    return ApplyCounts(created=created, updated=done["counsellor_links"], unchanged=unchanged), done
