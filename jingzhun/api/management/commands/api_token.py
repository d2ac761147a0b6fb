"""`jingzhun api_token create|list|revoke`: the operator's way to issue and withdraw API tokens.

The secret is printed once by `create` and cannot be recovered; a lost secret means issuing
a new token and revoking the old one.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jingzhun.api.scopes import ALL_SCOPES
from jingzhun.api.tokens import api_service_user, api_token_create, api_token_list, api_token_revoke
from jingzhun.core.errors import DomainError
from jingzhun.org.models import Institution, User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens of campus systems."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Issue a token and print its secret once.")
        create.add_argument("--institution", required=True, help="Institution code.")
        create.add_argument("--name", required=True, help="Integration name, e.g. 教务系统.")
        create.add_argument(
            "--scope", action="append", default=[], dest="scopes", choices=ALL_SCOPES,
            help="A scope to grant; repeat for several.",
        )  # fmt: skip
        create.add_argument(
            "--user", help="Username the token acts as (default: a service account)."
        )
        create.add_argument("--days", type=int, help="Expire after this many days.")
        listing = actions.add_parser("list", help="List tokens (never their secrets).")
        listing.add_argument("--institution", help="Only this institution's tokens.")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, options: dict[str, Any]) -> None:
        institution = _institution(options["institution"])
        user = (
            _user(options["user"]) if options["user"] else api_service_user(institution=institution)
        )
        issued = api_token_create(institution=institution, name=options["name"],
                                  scopes=options["scopes"], created_by=user, days=options["days"])  # fmt: skip
        token = issued.token
        self.stdout.write(_("Token %(prefix)s for %(name)s (%(institution)s), acting as %(user)s.")
                          % {"prefix": token.prefix, "name": token.name,
                             "institution": institution.code, "user": user.get_username()})  # fmt: skip
        self.stdout.write(_("Scopes: %(scopes)s") % {"scopes": " ".join(token.scopes)})
        if token.expires_at:
            self.stdout.write(_("Expires: %(at)s") % {"at": token.expires_at.isoformat()})
        self.stdout.write(_("Secret (shown only now, store it safely):"))
        self.stdout.write(issued.secret)

    def _list(self, options: dict[str, Any]) -> None:
        code = options["institution"]
        tokens = api_token_list(institution=_institution(code) if code else None)
        for token in tokens:
            state = _("revoked") if token.revoked else _("active")
            used = token.last_used_at.isoformat() if token.last_used_at else "-"
            expires = token.expires_at.isoformat() if token.expires_at else "-"
            self.stdout.write("\t".join([token.prefix, token.institution.code, token.name, state,
                                         " ".join(token.scopes), used, expires]))  # fmt: skip

    def _revoke(self, options: dict[str, Any]) -> None:
        token = api_token_revoke(prefix=options["prefix"])
        self.stdout.write(_("Revoked %(token)s.") % {"token": token})


def _institution(code: str) -> Institution:
    institution = Institution.objects.filter(code=code).first()
    if institution is None:
        raise CommandError(_("No institution has the code %(code)s.") % {"code": code})
    return institution


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user has the username %(username)s.") % {"username": username})
    return user
