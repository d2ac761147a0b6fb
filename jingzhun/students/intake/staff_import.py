"""Staff import: logins, role assignments and the classes counsellors look after.

A 工号 already in use is that person: their name and contacts are updated and roles added,
never removed. New accounts get a one-time password, shown once to the importer right after
the apply (`one_time_passwords`) and to be changed at the first login.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import ClassGroup, Department, RoleAssignment, School, User
from jingzhun.org.roles import Role
from jingzhun.students.intake.apply import ApplyCounts
from jingzhun.students.intake.kinds import KindSpec
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.permissions import can_import
from jingzhun.students.intake.setup import SetupValidation
from jingzhun.students.intake.validate import RowError, ValidRow


class SetupErrorCode(StrEnum):
    NOT_YOURS = "setup.passwords_not_yours"
    HANDED_OUT = "setup.passwords_handed_out"


ROLE_NAMES_SHOWN = {
    Role.LEADERSHIP: "领导小组", Role.EMPLOYMENT_OFFICE: "就业指导中心", Role.ASSESSMENT_OFFICE: "考核部门",
    Role.DEPARTMENT_STAFF: "职能部门人员", Role.SCHOOL_OFFICER: "二级学院就业专干",
    Role.COUNSELLOR: "辅导员", Role.MENTOR: "帮扶责任人",
}  # fmt: skip


@dataclass
class _College:
    schools: dict[str, School] = field(default_factory=dict)  # by name and by code
    departments: dict[str, Department] = field(default_factory=dict)
    classes: dict[str, list[ClassGroup]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, User] = field(default_factory=dict)
    held: dict[int, list[RoleAssignment]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, institution_id: int, numbers: list[str]) -> _College:
        college = cls()
        for school in School.objects.filter(institution_id=institution_id):
            college.schools[school.name] = college.schools[school.code] = school
        for department in Department.objects.filter(institution_id=institution_id):
            college.departments[department.name] = college.departments[department.code] = department
        groups = ClassGroup.objects.filter(major__school__institution_id=institution_id)
        for group in groups.select_related("major__school"):
            college.classes[group.name].append(group)
        for user in User.objects.filter(username__in=numbers):
            college.users[user.username] = user
        for assignment in RoleAssignment.objects.filter(user__in=college.users.values()):
            college.held[assignment.user_id].append(assignment)
        return college


def staff_check(result: SetupValidation, kind: KindSpec, *, institution_id: int) -> None:
    numbers = [v.values["staff_number"] for v in result.valid]
    college = _College.load(institution_id, numbers)
    seen: dict[str, int] = {}
    counts = {"new_users": 0, "existing_users": 0, "roles_added": 0, "class_links": 0}
    for valid in result.valid:
        v = valid.values
        number = v["staff_number"]
        first = seen.setdefault(number, valid.row)
        if first != valid.row:
            result.reject(valid, RowError(valid.row, result.col("staff_number", kind), number,
                          f"工号与第 {first} 行重复"))  # fmt: skip
            continue
        user = college.users.get(number)
        if user is not None and _is_other(user, college, institution_id):
            result.reject(valid, RowError(valid.row, result.col("staff_number", kind), number,
                          "该工号已是学生账号或其他学校的账号"))  # fmt: skip
            continue
        plans = _role_plans(valid, result, kind, college)
        if plans is None:
            continue
        held = college.held.get(user.pk, []) if user else []
        added = [p for p in plans if not any(_same(h, p) for h in held)]
        v["_roles"] = plans
        v["_new"] = user is None
        counts["new_users" if user is None else "existing_users"] += 1
        counts["roles_added"] += len(added)
        counts["class_links"] += sum(len(p["classes"]) for p in plans)
    result.plan = {"counts": counts}


def _is_other(user: User, college: _College, institution_id: int) -> bool:
    return any(a.role == Role.STUDENT or (a.institution_id not in {None, institution_id})
               for a in college.held.get(user.pk, []))  # fmt: skip


def _same(held: RoleAssignment, plan: dict[str, Any]) -> bool:
    return (held.role, held.school_id, held.department_id) == (
        plan["role"],
        plan["school"],
        plan["department"],
    )


def _role_plans(
    valid: ValidRow, result: SetupValidation, kind: KindSpec, college: _College
) -> list[dict[str, Any]] | None:
    """One planned assignment per role: its school, department and classes; None on error."""
    v = valid.values
    unit = v["unit"]
    school, department = college.schools.get(unit), college.departments.get(unit)
    unit_column = result.col("unit", kind)
    roles = v["roles"]
    classes = _classes(valid, result, kind, college, school)
    if classes is None:
        return None
    if classes and Role.COUNSELLOR not in roles:
        result.reject(valid, RowError(valid.row, result.col("classes", kind), "、".join(v["classes"]),
                      "只有辅导员可以填写所带班级"))  # fmt: skip
        return None
    plans = []
    for role in roles:
        if role == Role.SCHOOL_OFFICER and school is None:
            result.reject(valid, RowError(valid.row, unit_column, unit,
                          f"{ROLE_NAMES_SHOWN[role]}须填写所在学院，「{unit}」不是已有的学院"))  # fmt: skip
            return None
        if role == Role.DEPARTMENT_STAFF and department is None:
            result.reject(valid, RowError(valid.row, unit_column, unit,
                          f"{ROLE_NAMES_SHOWN[role]}须填写所在职能部门，「{unit}」不是已有的部门"))  # fmt: skip
            return None
        in_school = role in {Role.SCHOOL_OFFICER, Role.COUNSELLOR, Role.MENTOR}
        plans.append({
            "role": role,
            "school": school.pk if school and in_school else None,
            "department": department.pk if department and not in_school else None,
            "classes": [g.pk for g in classes] if role == Role.COUNSELLOR else [],
        })  # fmt: skip
    if school is None and department is None:
        result.warnings.append(RowError(valid.row, unit_column, unit,
                               "未找到该学院或部门，账号不关联单位"))  # fmt: skip
    return plans


def _classes(
    valid: ValidRow, result: SetupValidation, kind: KindSpec, college: _College,
    school: School | None,
) -> list[ClassGroup] | None:  # fmt: skip
    found = []
    column = result.col("classes", kind)
    for name in valid.values.get("classes", ()):
        groups = college.classes.get(name, [])
        if school is not None:
            groups = [g for g in groups if g.major.school_id == school.pk]
        if not groups:
            where = f"学院「{school.name}」" if school else "本校"
            result.reject(valid, RowError(valid.row, column, name, f"班级「{name}」在{where}不存在；请先导入院系专业班级"))  # fmt: skip
            return None
        if len(groups) > 1:
            schools = "、".join(sorted({g.major.school.name for g in groups}))
            result.reject(valid, RowError(valid.row, column, name,
                          f"班级「{name}」在多个学院都有（{schools}），请在“部门或学院”列填写所在学院"))  # fmt: skip
            return None
        found.append(groups[0])
    return found


def one_time_password(salt: str, username: str) -> str:
    """Twelve characters (letters and digits, none that look alike), derived from the batch's
    salt so that it is never stored: the salt is deleted when the list is downloaded."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{salt}:{username}".encode(), hashlib.sha256
    ).digest()
    letters, digits = "abcdefghjkmnpqrstuvwxyz", "23456789"
    chars = [letters[b % len(letters)] for b in digest[:8]] + [
        digits[b % len(digits)] for b in digest[8:12]
    ]
    return "".join(chars[:4]) + "".join(chars[8:12]) + "".join(chars[4:8])


def prepare_passwords(result: SetupValidation) -> None:
    """Hash the new accounts' one-time passwords (slow by design: ~0.3 s each) ahead of the
    apply, on every core (the hashing releases the GIL): 300 accounts take ~1.5 min on one."""
    result.salt = secrets.token_hex(16)
    new = [v.values for v in result.valid if v.values.get("_new")]
    clear = [one_time_password(result.salt, v["staff_number"]) for v in new]
    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 1)) as pool:
        for values, hashed in zip(new, pool.map(make_password, clear), strict=True):
            values["_password"] = hashed


def staff_apply(batch: ImportBatch, result: SetupValidation) -> tuple[ApplyCounts, dict[str, int]]:
    if not result.salt:
        prepare_passwords(result)
    salt = result.salt
    numbers = [v.values["staff_number"] for v in result.valid]
    users = {u.username: u for u in User.objects.filter(username__in=numbers)}
    done = {"users_created": 0, "users_updated": 0, "roles_added": 0, "class_links": 0}
    created: list[list[str]] = []
    unchanged = 0
    for valid in result.valid:
        v = valid.values
        user = users.get(v["staff_number"])
        changed, is_new = False, user is None
        if user is None:
            user = User.objects.create(
                username=v["staff_number"], display_name=v["name"], email=v.get("email", ""),
                phone=v.get("phone", ""), must_change_password=True,
                password=v.get("_password") or make_password(one_time_password(salt, v["staff_number"])),
            )  # fmt: skip
            created.append([user.username, user.display_name])
            done["users_created"] += 1
            audit_log(actor=batch.applied_by, action=AuditLog.Action.CREATE, target=user,
                      detail={"via": "staff_import", "import_batch": batch.pk})  # fmt: skip
        else:
            changed = _update_user(user, v)
        for plan in v["_roles"]:
            added, links = _grant(user, plan, batch.institution_id)
            if added or links:
                audit_log(actor=batch.applied_by, action=AuditLog.Action.UPDATE, target=user,
                          detail={"via": "staff_import", "import_batch": batch.pk, "role": plan["role"],
                                  "role_added": bool(added), "classes_added": links})  # fmt: skip
            done["roles_added"] += added
            done["class_links"] += links
            changed = changed or bool(added or links)
        if not is_new:
            done["users_updated"] += changed
            unchanged += not changed
    if created:
        batch.reading = {**batch.reading, "one_time": {"salt": salt, "users": created}}
    return ApplyCounts(done["users_created"], done["users_updated"], unchanged), done


def _update_user(user: User, v: dict[str, Any]) -> bool:
    fields = {"display_name": v["name"], **{k: v[k] for k in ("email", "phone") if v.get(k)}}
    diff = {k: value for k, value in fields.items() if getattr(user, k) != value}
    if diff:
        User.objects.filter(pk=user.pk).update(**diff)
    return bool(diff)


def _grant(user: User, plan: dict[str, Any], institution_id: int) -> tuple[int, int]:
    """Add the role unless held (re-activating it); add classes. Never removes anything."""
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=plan["role"], school_id=plan["school"], department_id=plan["department"],
        institution_id=institution_id,
    )  # fmt: skip
    if not assignment.is_active:
        RoleAssignment.objects.filter(pk=assignment.pk).update(is_active=True)
        created = True
    have = set(assignment.classes.values_list("pk", flat=True))
    new = [pk for pk in plan["classes"] if pk not in have]
    assignment.classes.add(*new)
    return int(created), len(new)


def one_time_passwords(batch: ImportBatch) -> list[tuple[str, str, str]] | None:
    """The new accounts and their one-time passwords, once: None when already handed out."""
    one_time = batch.reading.get("one_time") or {}
    if not one_time.get("salt"):
        return None
    salt = one_time["salt"]
    return [(number, name, one_time_password(salt, number)) for number, name in one_time["users"]]


def one_time_passwords_take(
    *, actor: RoleAssignment, batch_id: int, request: HttpRequest | None = None
) -> list[tuple[str, str, str]]:
    """Hand the one-time passwords of a staff import to whoever applied it, exactly once:
    the salt they derive from is deleted in the same transaction (audited)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        if (
            batch.kind != "staff"
            or batch.applied_by_id != actor.user_id
            or not can_import(actor, "staff")
        ):
            raise DomainError(SetupErrorCode.NOT_YOURS, _("Only the person who applied this import may take its passwords."))  # fmt: skip
        rows = one_time_passwords(batch)
        if rows is None:
            raise DomainError(SetupErrorCode.HANDED_OUT, _("The one-time passwords were already downloaded; they are shown only once."))  # fmt: skip
        batch.reading = {**batch.reading, "one_time": {"users": batch.reading["one_time"]["users"],
                                                         "taken_at": timezone.now().isoformat()}}  # fmt: skip
        batch.save(update_fields=["reading", "updated_at"])
        audit_log(actor=actor.user, action=AuditLog.Action.EXPORT, target=batch, request=request,
                  role=actor.role, detail={"one_time_passwords": len(rows)})  # fmt: skip
    return rows
