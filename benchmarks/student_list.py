"""The student list at a million rows: Jingzhun's scoped selector against a naive version.

    python benchmarks/student_list.py [--students 1000000] [--database-url URL]

Both render the same page through the same view code path (count + one page of rows); the
baseline filters through the class → major → school joins with a case-insensitive substring
search, the way a list is usually first written. Timings are the best of five runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import best_of, start_django

PAGE = 50
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def make_registry(students: int) -> tuple[Any, Any, list[Any]]:
    from django.db import transaction

    from jingzhun.core.bulk import insert_rows
    from jingzhun.org.models import ClassGroup, Institution, Major, RoleAssignment, School, User
    from jingzhun.org.roles import Role
    from jingzhun.students.models import Student

    institution = Institution.objects.create(code="4141018888", name="百万学生学院")
    classes = []
    for s in range(10):
        school = School.objects.create(institution=institution, code=f"S{s}", name=f"学院{s}")
        for m in range(10):
            major = Major.objects.create(
                school=school, moe_code=f"5{s}{m:02d}01", name=f"专业{s}{m}", level="zhuanke"
            )
            classes += [ClassGroup.objects.create(major=major, name=f"班{s}{m}{c}{y}", cohort=y)
                        for c in range(2) for y in range(2021, 2030)]  # fmt: skip
    per_class = students // len(classes) + 1
    rows = (
        {
            "institution_id": institution.pk, "school_id": group.major.school_id, "major_id": group.major_id,
            "class_group_id": group.pk, "cohort": group.cohort, "entry_year": group.cohort - 3,
            "student_number": f"{group.cohort - 3}{group.pk:04d}{n:04d}", "name": SURNAMES[(group.pk + n) % 20] + f"同学{n}",
            "gender": "MF"[n % 2], "education_level": "zhuanke", "phone": f"138{n:08d}",
        }
        for group in classes for n in range(per_class)
    )  # fmt: skip
    with transaction.atomic():
        insert_rows(Student, rows)
    user = User.objects.create(username="officer")
    officer = RoleAssignment.objects.create(
        user=user, role=Role.EMPLOYMENT_OFFICE, institution=institution
    )
    counsellor = RoleAssignment.objects.create(user=User.objects.create(username="c1"), role=Role.COUNSELLOR,
                                               institution=institution, school=classes[0].major.school)  # fmt: skip
    counsellor.classes.set(classes[:4])
    return officer, counsellor, classes


def ours(actor: Any, filters: dict[str, Any], page: int) -> None:
    from django.core.paginator import Paginator

    from jingzhun.students.selectors import StudentFilters, student_list

    paginator = Paginator(student_list(actor=actor, filters=StudentFilters(**filters)), PAGE)
    list(paginator.get_page(page).object_list)


def naive(actor: Any, filters: dict[str, Any], page: int) -> None:
    from django.core.paginator import Paginator

    from jingzhun.students.models import Student

    qs = Student.objects.filter(class_group__major__school__institution_id=actor.institution_id)
    if actor.role == "counsellor":
        qs = qs.filter(class_group__in=list(actor.classes.all()))
    if filters.get("school"):
        qs = qs.filter(class_group__major__school_id=filters["school"])
    if filters.get("cohort"):
        qs = qs.filter(class_group__cohort=filters["cohort"])
    if filters.get("q"):
        qs = qs.filter(name__icontains=filters["q"]) | qs.filter(
            student_number__icontains=filters["q"]
        )
    qs = qs.select_related("class_group__major__school").order_by(
        "-class_group__cohort", "student_number"
    )
    list(Paginator(qs, PAGE).get_page(page).object_list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    start_django(database_url=args.database_url)
    from django.db import connection

    from jingzhun.students.models import Student

    officer, counsellor, classes = make_registry(args.students)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps
    school = classes[0].major.school_id
    cases = [
        ("first page, whole institution", officer, {}, 1),
        ("page 2,000 (row 100,000)", officer, {}, 2000),
        ("school + cohort filter", officer, {"school": school, "cohort": 2027}, 1),
        ("name prefix search", officer, {"q": "王同学1"}, 1),
        ("student number prefix", officer, {"q": "2024"}, 1),
        ("counsellor's own classes", counsellor, {}, 1),
    ]
    print(f"database: {connection.vendor}; students: {Student.objects.count():,}")
    print(f"{'case':34} {'Jingzhun':>10} {'naive':>10} {'ratio':>7}")
    for label, actor, filters, page in cases:
        fast = best_of(5, lambda a=actor, f=filters, p=page: ours(a, f, p))
        slow = best_of(5, lambda a=actor, f=filters, p=page: naive(a, f, p))
        print(f"{label:34} {fast * 1000:8.1f}ms {slow * 1000:8.1f}ms {slow / fast:6.1f}x")


if __name__ == "__main__":
    main()
