"""`manage.py seed_demo`: create the seeded demo college and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.students.demo.accounts import accounts_table, demo_accounts
from jingzhun.students.demo.generator import DemoSummary, seed_demo_college


class Command(BaseCommand):
    help = (
        "Create the demo college (schools, majors, classes, students with their records, "
        "graduated cohorts with destinations) and one demo login per role. Does nothing if "
        "it already exists unless --reset is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--students", type=int, default=6000, help="current students in total (default 6000)"
        )
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo college and its data first"
        )
        parser.add_argument("--quiet", action="store_true", help="print nothing")

    def handle(
        self, *args: Any, students: int, seed: int, reset: bool, quiet: bool, **options: Any
    ) -> None:
        try:
            summary = seed_demo_college(
                students=students, seed=seed, reset=reset, stdout=None if quiet else self.stdout
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if quiet:
            return
        if summary.created:
            self.stdout.write(self.style.SUCCESS(summary_text(summary)))
        self.stdout.write("\n" + _("Demo accounts (one shared password):"))
        self.stdout.write(accounts_table(demo_accounts()))


def summary_text(summary: DemoSummary) -> str:
    lines = [
        _("Demo college %(code)s created in %(seconds)s s:")
        % {"code": summary.institution_code, "seconds": summary.seconds},
        _(
            "  %(schools)s schools, %(majors)s majors, %(classes)s classes, %(departments)s departments"
        )
        % {
            "schools": summary.schools,
            "majors": summary.majors,
            "classes": summary.classes,
            "departments": summary.departments,
        },
        _("  %(students)s current students, %(graduates)s graduates")
        % {"students": summary.students, "graduates": summary.graduates},
        "  " + ", ".join(f"{name} {count}" for name, count in summary.records.items()),
        _("  %(accounts)s accounts, %(mentees)s mentor assignments")
        % {"accounts": summary.accounts, "mentees": summary.mentor_assignments},
    ]
    return "\n".join(lines)
