"""How many ID numbers a masked student profile leaves possible, over the seeded demo college.

    python benchmarks/id_candidates.py [--students 6000] [--database-url URL]

A role without identifier access sees each student's masked ID number, place of household
registration, cohort and gender. For every demo student this counts the valid ID numbers
that agree with all of it (`jingzhun.core.reidentification`), once for the baseline display
(region prefix and last four characters beside the county code) and once for today's
(`students.profile.identifiers_for`), and prints the median and extremes. The regions an
observer considers are the demo's counties (where the college recruits) that match the shown
place; the birth dates are those of students entering at 16–22, and at the demo's own 17–20.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import start_django

AGE_WINDOWS = ((16, 22), (17, 20))


def baseline_view(student: Any) -> tuple[str, str]:
    """The display before: `411***********9994` beside `411328`."""
    number = student.id_number
    return number[:3] + "*" * (len(number) - 7) + number[-4:], student.hukou_region_code


def current_view(student: Any) -> tuple[str, str]:
    from jingzhun.students.profile import identifiers_for

    shown = identifiers_for(student, revealed=False)
    return shown["id_number"], shown["hukou_region"]


def counts(students: Iterable[Any], view: Callable[[Any], tuple[str, str]],
           ages: tuple[int, int]) -> list[int]:  # fmt: skip
    from jingzhun.core.reidentification import birth_dates_for_entry, id_numbers_matching
    from jingzhun.students.demo.regions import COUNTIES
    from jingzhun.students.models import Student

    def place(code: str) -> str:
        return view(Student(id_number="*" * 18, hukou_region_code=code))[1]

    places = {c.code: place(c.code) for c in COUNTIES}
    result = []
    for s in students:
        masked, shown_place = view(s)
        regions = [code for code, p in places.items() if p == shown_place]
        dates = birth_dates_for_entry(s.entry_year, youngest=ages[0], oldest=ages[1])
        result.append(id_numbers_matching(masked, regions=regions, birth_dates=dates,
                                          male=s.gender == "M"))  # fmt: skip
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=6000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    start_django(database_url=args.database_url)

    from jingzhun.students.demo.generator import seed_demo_college
    from jingzhun.students.models import Student

    summary = seed_demo_college(students=args.students)
    fields = ("id_number", "hukou_region_code", "entry_year", "gender", "email", "phone")
    students = list(Student.objects.only(*fields))
    on_phone = sum(s.email.split("@")[0] == s.phone for s in students)
    print(f"demo college: {summary.students} current students, {summary.graduates} graduates; "
          f"{on_phone} e-mail addresses are the mobile number")  # fmt: skip
    for ages in AGE_WINDOWS:
        for name, view in (("baseline", baseline_view), ("current", current_view)):
            found = counts(students, view, ages)
            print(f"entry ages {ages[0]}–{ages[1]}, {name:8}: median {statistics.median(found):>9,.0f}"
                  f"  min {min(found):>9,}  max {max(found):>9,}")  # fmt: skip


if __name__ == "__main__":
    main()
