"""`jingzhun setup_institution CODE NAME OFFICE_NUMBER OFFICE_NAME`: a fresh installation's
institution and its first employment-office account (one-time password printed once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingzhun.core.errors import DomainError
from jingzhun.org.services import institution_setup


class Command(BaseCommand):
    help = "Create the institution and its first employment-office account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="the MOE institution code (10 digits)")
        parser.add_argument("name", help="the institution's full name")
        parser.add_argument("office_number", help="staff number of the employment officer")
        parser.add_argument("office_name", help="the employment officer's name")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            institution, user, password = institution_setup(
                code=options["code"], name=options["name"],
                office_number=options["office_number"], office_name=options["office_name"],
            )  # fmt: skip
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"{institution.name} ({institution.code}): employment office account "
            f"{user.username}, one-time password {password} — shown only now; it must be "
            "changed at the first login. Log in and open 初始设置 (/students/setup/)."
        )
