"""Back-office view of API tokens: list, rescope, expire and revoke, but never add.

Tokens are issued by `jingzhun api_token create`, the only place a secret is ever shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jingzhun.api.models import ApiToken
from jingzhun.core.admin import AuditedAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["prefix", "name", "institution", "scope_list", "last_used_at", "expires_at",
                    "revoked"]  # fmt: skip
    list_filter = ["revoked", "institution"]
    search_fields = ["name", "prefix"]
    fields = ["name", "institution", "prefix", "secret_hash", "scopes", "created_by",
              "created_at", "last_used_at", "expires_at", "revoked"]  # fmt: skip
    readonly_fields = ["institution", "prefix", "secret_hash", "created_by", "created_at",
                       "last_used_at"]  # fmt: skip

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: ApiToken) -> str:
        return ", ".join(obj.scopes)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
