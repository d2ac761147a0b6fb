"""Demo logins: one person per role, and one who holds two roles to show the role switch.

All share one password so a presenter can switch accounts quickly; it meets the project's
password rule (letters and digits, at least ten characters). `demo_accounts()` is what any
command or page that prints the logins should call.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from jingzhun.org.models import ClassGroup, RoleAssignment, User
from jingzhun.org.roles import DEFAULT_SCOPE, DepartmentKind, Role
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import current_cohorts
from jingzhun.students.demo.org import DemoOrg
from jingzhun.students.models import FamilyEconomicStatus, MentorAssignment, Student

DEMO_PASSWORD = "Demo2026jz"  # noqa: S105 — published demo credential, not a secret


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str  # display label(s), e.g. "辅导员 + 帮扶责任人" for a person with two roles
    description: str  # scope in words
    roles: tuple[str, ...] = ()  # Role values, in the order they are assigned


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    roles: tuple[str, ...]
    description: str
    department: str | None = None  # department kind
    school: str | None = None  # school code


STAFF: tuple[StaffSpec, ...] = (
    StaffSpec("T1001", "王建国", (Role.LEADERSHIP,), "就业精准帮扶工作领导小组，全校"),
    StaffSpec("T1002", "李晓燕", (Role.EMPLOYMENT_OFFICE,), "招生就业处，全校",
              department=DepartmentKind.EMPLOYMENT),
    StaffSpec("T1003", "赵志刚", (Role.ASSESSMENT_OFFICE,), "考核办公室，全校"),
    StaffSpec("T1004", "孙丽娟", (Role.DEPARTMENT_STAFF,), "学生资助中心，全校（家庭经济信息）",
              department=DepartmentKind.AID),
    StaffSpec("T1005", "周文静", (Role.DEPARTMENT_STAFF,), "心理健康教育中心，全校（心理信息）",
              department=DepartmentKind.PSYCH),
    StaffSpec("T1006", "吴国华", (Role.DEPARTMENT_STAFF,), "教务处，全校（学业信息）",
              department=DepartmentKind.ACADEMIC),
    StaffSpec("T1007", "郑海涛", (Role.SCHOOL_OFFICER,), "信息工程学院", school="01"),
    StaffSpec("T1008", "张明辉", (Role.COUNSELLOR,), "信息工程学院辅导员", school="01"),
    StaffSpec("T1009", "刘红梅", (Role.MENTOR,), "帮扶责任人"),
    StaffSpec("T1010", "陈志远", (Role.COUNSELLOR, Role.MENTOR),
              "财经商贸学院辅导员，兼任帮扶责任人", school="04"),
    # A second aid-centre member: actions go to whoever has fewer open, and can be handed over.
    StaffSpec("T1011", "钱慧敏", (Role.DEPARTMENT_STAFF,), "学生资助中心，全校（家庭经济信息）",
              department=DepartmentKind.AID),
    StaffSpec("P4101", "马卫东", (Role.PROVINCIAL_SUPERVISOR,), "省教育厅，只看汇总数据"),
)  # fmt: skip
STAFF_USERNAMES: tuple[str, ...] = tuple(spec.username for spec in STAFF)
# mentor → (counsellor whose classes the mentees come from, how many)
_MENTEES = {"T1009": ("T1008", 8), "T1010": ("T1010", 4)}


def create_demo_accounts(org: DemoOrg) -> tuple[int, int]:
    """Create the staff and student logins; return (accounts, mentor assignments)."""
    password = make_password(DEMO_PASSWORD)  # hashed once: every demo login shares it
    classes = {
        "T1008": _counsellor_classes(org, "01", current_cohorts()[0], 4),
        "T1010": _counsellor_classes(org, "04", current_cohorts()[1], 3),
    }
    users = {}
    for spec in STAFF:
        users[spec.username] = User.objects.create(
            username=spec.username, display_name=spec.display_name, password=password
        )
        for role in spec.roles:
            _assign(users[spec.username], role, org, spec, classes.get(spec.username, []))
    mentees = {name: _mentees(classes[source], n) for name, (source, n) in _MENTEES.items()}
    MentorAssignment.objects.bulk_create(
        MentorAssignment(student=student, mentor=users[name])
        for name, students in mentees.items()
        for student in students
    )
    _create_student_account(org, _free_username(mentees["T1009"]), password)
    return len(STAFF) + 1, sum(len(students) for students in mentees.values())


def _assign(
    user: User, role: str, org: DemoOrg, spec: StaffSpec, classes: list[ClassGroup]
) -> None:
    supervisor = role == Role.PROVINCIAL_SUPERVISOR
    assignment = RoleAssignment.objects.create(
        user=user,
        role=role,
        data_scope=DEFAULT_SCOPE[role],
        institution=None if supervisor else org.institution,
        school=org.schools[spec.school] if spec.school and role != Role.MENTOR else None,
        department=org.departments[spec.department] if spec.department else None,
    )
    if role == Role.COUNSELLOR:
        assignment.classes.set(classes)


def _counsellor_classes(org: DemoOrg, school: str, cohort: int, count: int) -> list[ClassGroup]:
    return list(
        ClassGroup.objects.filter(major__school=org.schools[school], cohort=cohort).order_by(
            "major__id", "name"
        )[:count]
    )


def _mentees(classes: list[ClassGroup], count: int) -> list[Student]:
    """Students a mentor would be paired with: in hardship or behind in their studies."""
    students = Student.objects.filter(class_group__in=classes).order_by("student_number")
    difficult = [FamilyEconomicStatus.Level.DIFFICULT, FamilyEconomicStatus.Level.SPECIAL]
    concern = Q(economic_statuses__level__in=difficult) | Q(academic_results__failed_courses__gte=2)
    chosen = list(students.filter(concern).distinct()[:count])
    if len(chosen) < count:
        chosen += list(students.exclude(pk__in=[s.pk for s in chosen])[: count - len(chosen)])
    return chosen


def _free_username(students: list[Student]) -> Student:
    """The first student whose number is not already someone's login elsewhere."""
    taken = set(
        User.objects.filter(username__in=[s.student_number for s in students]).values_list(
            "username", flat=True
        )
    )
    return next(s for s in students if s.student_number not in taken)


def _create_student_account(org: DemoOrg, student: Student, password: str) -> None:
    user = User.objects.create(
        username=student.student_number, display_name=student.name, password=password
    )
    Student.objects.filter(pk=student.pk).update(user=user)
    RoleAssignment.objects.create(
        user=user,
        role=Role.STUDENT,
        data_scope=DEFAULT_SCOPE[Role.STUDENT],
        institution=org.institution,
    )


def demo_accounts() -> list[DemoAccount]:
    """The demo logins with their scope as seeded (static descriptions if not seeded yet)."""
    assignments = _demo_assignments()
    accounts = [
        DemoAccount(
            username=spec.username,
            password=DEMO_PASSWORD,
            role=role_label(spec.roles),
            description=_describe(spec, assignments.get(spec.username, [])),
            roles=spec.roles,
        )
        for spec in STAFF
    ]
    student = (
        Student.objects.filter(institution__code=INSTITUTION_CODE, user__isnull=False)
        .select_related("class_group")
        .first()
    )
    if student is not None:
        accounts.append(
            DemoAccount(
                username=student.student_number,
                password=DEMO_PASSWORD,
                role=role_label((Role.STUDENT,)),
                description=f"{student.class_group.name} {student.name}，学生门户（本人）",
                roles=(Role.STUDENT,),
            )
        )
    return accounts


def role_label(roles: Iterable[str]) -> str:
    return " + ".join(str(Role(role).label) for role in roles)


def _demo_assignments() -> dict[str, list[RoleAssignment]]:
    queryset: QuerySet[RoleAssignment] = (
        RoleAssignment.objects.filter(user__username__in=STAFF_USERNAMES)
        .select_related("user")
        .prefetch_related("classes")
        .annotate(mentees=Count("user__mentees", distinct=True))
        .order_by("pk")
    )
    by_user: dict[str, list[RoleAssignment]] = {}
    for assignment in queryset:
        by_user.setdefault(assignment.user.username, []).append(assignment)
    return by_user


def _describe(spec: StaffSpec, assignments: list[RoleAssignment]) -> str:
    details = []
    for assignment in assignments:
        if assignment.role == Role.COUNSELLOR:
            classes = sorted(assignment.classes.all(), key=lambda c: (c.major_id, c.name))
            details.append("所带班级：" + "、".join(c.name for c in classes))
        elif assignment.role == Role.MENTOR:
            details.append(f"结对帮扶 {assignment.mentees} 名学生")  # type: ignore[attr-defined]
    return f"{spec.description}（{'；'.join(details)}）" if details else spec.description


def accounts_table(accounts: Iterable[DemoAccount]) -> str:
    """A plain-text table that lines up with Chinese (double-width) characters."""
    header = (_("Username"), _("Password"), _("Role"), _("Scope"))
    rows = [header, *((a.username, a.password, a.role, a.description) for a in accounts)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
