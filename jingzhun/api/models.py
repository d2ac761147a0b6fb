"""API tokens: one per integration (教务系统, 一卡通, …), scoped to an institution.

Only a SHA-256 hash of the secret is stored; the secret is shown once when it is issued.
The prefix (the secret's first characters) identifies a token in lists and the admin.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jingzhun.api.scopes import unknown_scopes
from jingzhun.org.models import Institution

PREFIX_LENGTH = 8


class ApiToken(models.Model):
    name = models.CharField(_("integration name"), max_length=60)
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Writes and audited reads through this token are recorded as this user."),
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, unique=True)
    secret_hash = models.CharField(_("secret hash (SHA-256)"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["institution", "name", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def clean(self) -> None:
        if not isinstance(self.scopes, list):
            raise ValidationError({"scopes": _("Scopes must be a list.")})
        unknown = unknown_scopes(self.scopes)
        if unknown:
            raise ValidationError(
                {"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}}
            )

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def is_expired(self, now: dt.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
