"""The two kinds that set a college up: its org structure and its staff.

Their rows are not per student: each is checked and applied by its own module
(`org_import`, `staff_import`), reached from the wizard through `KindSpec.per_student`.
Registered in `kinds.KINDS`; import these specs from `kinds`, never this module first.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jingzhun.org.models import ClassGroup, User
from jingzhun.org.roles import Role
from jingzhun.students.intake import parsers as p
from jingzhun.students.intake.kinds import FieldSpec, KindSpec

LEVELS: dict[str, str] = {"专科": "zhuanke", "高职": "zhuanke", "高职专科": "zhuanke", "大专": "zhuanke",
                          "本科": "benke", "职业本科": "benke"}  # fmt: skip
_CHINESE_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")


def cohort(value: str) -> int:
    """`2026`, `2026届`, `2026年`, `二〇二六届` → 2026; `2023级` is an entry year and refused."""
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "")
    if text.endswith("级"):
        raise p.CellError(f"“{value}”是入学年级，不是毕业年份（例如 2026 或 2026届）")
    digits = text.removesuffix("届").removesuffix("年").translate(_CHINESE_DIGITS)
    if not (digits.isascii() and digits.isdigit() and len(digits) == 4):
        raise p.CellError(f"“{value}”不是毕业年份（例如 2026 或 2026届）")
    if not 1990 <= int(digits) <= 2100:
        raise p.CellError(f"“{value}”不是毕业年份（例如 2026 或 2026届）")
    return int(digits)


_DURATION = re.compile(r"^([1-8一二三四五六七八])\s*年?(?:制)?$")


def duration(value: str) -> int:
    """`3`, `3年`, `三年`, `四年制` → years of study."""
    match = _DURATION.match(unicodedata.normalize("NFKC", value).strip())
    if not match:
        raise p.CellError(f"“{value}”不是学制（例如 3 或 三年）")
    return int(match[1].translate(_CHINESE_DIGITS))


def major_code(value: str) -> str:
    code = unicodedata.normalize("NFKC", value).strip().lstrip("'").upper()
    if not re.fullmatch(r"[0-9]{5,6}[A-Z]{0,2}", code):
        raise p.CellError(f"“{value}”不是专业代码（例如 510201）")
    return code.zfill(6 + sum(c.isalpha() for c in code))  # Excel drops 080901's zero


_SEPARATORS = re.compile(r"[、,，;；/\n]+")


def name_list(max_length: int) -> p.Parser:
    """Several names in one cell, separated by 、 , ， ; ； or /."""

    def parse(value: str) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(n.strip() for n in _SEPARATORS.split(value) if n.strip()))
        for name in names:
            if len(name) > max_length:
                raise p.CellError(f"“{name}”长度不能超过 {max_length} 个字符")
        return names

    return parse


# The role names the product shows (zh-hans) and what offices call them.
ROLE_NAMES: dict[str, str] = {
    "就业精准帮扶工作领导小组": Role.LEADERSHIP, "领导小组": Role.LEADERSHIP, "校领导": Role.LEADERSHIP,
    "就业处": Role.EMPLOYMENT_OFFICE, "招生就业处": Role.EMPLOYMENT_OFFICE,
    "就业指导中心": Role.EMPLOYMENT_OFFICE, "就业指导中心人员": Role.EMPLOYMENT_OFFICE,
    "考核部门": Role.ASSESSMENT_OFFICE, "考核办": Role.ASSESSMENT_OFFICE,
    "职能部门人员": Role.DEPARTMENT_STAFF, "职能部门": Role.DEPARTMENT_STAFF, "部门人员": Role.DEPARTMENT_STAFF,
    "二级学院就业专干": Role.SCHOOL_OFFICER, "二级学院就业负责人": Role.SCHOOL_OFFICER, "学院就业负责人": Role.SCHOOL_OFFICER,
    "学院就业专干": Role.SCHOOL_OFFICER, "就业专干": Role.SCHOOL_OFFICER,
    "辅导员": Role.COUNSELLOR, "班主任": Role.COUNSELLOR,
    "帮扶责任人": Role.MENTOR, "导师": Role.MENTOR,
}  # fmt: skip


def _code(name: str) -> str | None:
    return name if name in Role.values else None


def roles(value: str) -> tuple[str, ...]:
    """One or several role names (the Chinese names the product shows, or their codes)."""
    found: list[str] = []
    with translation.override("en"):
        english = {str(label).lower(): value for value, label in Role.choices}
    for name in name_list(40)(value):
        role = ROLE_NAMES.get(name) or english.get(name.lower()) or _code(name)
        if role is None or role in {Role.STUDENT, Role.PROVINCIAL_SUPERVISOR}:
            shown = "、".join(("辅导员", "二级学院就业负责人", "就业指导中心", "职能部门人员",
                              "帮扶责任人", "领导小组", "考核部门"))  # fmt: skip
            raise p.CellError(f"“{name}”不是可导入的角色，可选：{shown}")
        found.append(role)
    if not found:
        raise p.CellError("角色不能为空")
    return tuple(dict.fromkeys(found))


ORG_STRUCTURE = KindSpec(
    slug="org_structure",
    label=_("Org structure (schools, majors, classes)"),
    model=ClassGroup,
    key=(),
    per_student=False,
    fields=(
        FieldSpec("school_name", "学院", p.text(100), ("学院", "学院名称", "二级学院", "院系", "院系名称", "系部", "所在学院"), required=True),
        FieldSpec("school_code", "学院代码", p.text(20), ("学院代码", "学院编号", "院系代码", "系部代码")),
        FieldSpec("major_code", "专业代码", major_code, ("专业代码", "国标专业代码", "专业编码", "专业国标代码"), required=True),
        FieldSpec("major_name", "专业名称", p.text(100), ("专业名称", "专业", "专业全称"), required=True),
        FieldSpec("education_level", "学历层次", p.choice(LEVELS, "学历层次"), ("学历层次", "培养层次", "层次", "学历")),
        FieldSpec("duration_years", "学制", duration, ("学制", "修业年限", "学习年限")),
        FieldSpec("class_name", "班级", p.text(60), ("班级", "班级名称", "行政班"), required=True),
        FieldSpec("class_code", "班级代码", p.text(30), ("班级代码", "班级编号", "班号")),
        FieldSpec("cohort", "届别", cohort, ("届别", "毕业年份", "届", "毕业届别", "毕业年度"), required=True),
        FieldSpec("counsellor_number", "辅导员工号", p.text(30), ("辅导员工号", "辅导员编号", "辅导员")),
    ),
)  # fmt: skip

STAFF = KindSpec(
    slug="staff",
    label=_("Staff accounts"),
    model=User,
    key=(),
    per_student=False,
    fields=(
        FieldSpec("staff_number", "工号", p.student_number, ("工号", "职工号", "教工号", "人员编号", "教职工号"), required=True),
        FieldSpec("name", "姓名", p.text(60), ("姓名", "教师姓名", "职工姓名"), required=True),
        FieldSpec("unit", "部门或学院", p.text(100), ("部门或学院", "部门", "学院", "所在部门", "所在单位", "单位", "所在学院", "部门/学院"), required=True),
        FieldSpec("roles", "角色", roles, ("角色", "角色名称", "系统角色", "身份"), required=True),
        FieldSpec("phone", "手机", p.phone, ("手机", "手机号", "手机号码", "联系电话")),
        FieldSpec("email", "邮箱", p.email, ("邮箱", "电子邮箱", "email", "e-mail")),
        FieldSpec("classes", "所带班级", name_list(60), ("所带班级", "负责班级", "管理班级", "班级")),
    ),
)  # fmt: skip

SETUP_KINDS = (ORG_STRUCTURE, STAFF)
