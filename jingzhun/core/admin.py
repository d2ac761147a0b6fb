from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog


class AuditedAdmin(admin.ModelAdmin):
    """Back-office edits of reference data land in the audit log like any other write."""

    def save_model(self, request: HttpRequest, obj: Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_log(
            actor=request.user,
            action=AuditLog.Action.UPDATE if change else AuditLog.Action.CREATE,
            target=obj,
            fields=form.changed_data,
            request=request,
            detail={"via": "admin"},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit_log(
            actor=request.user, action=AuditLog.Action.DELETE, target=obj, request=request,
            detail={"via": "admin"},
        )  # fmt: skip
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_log(
                actor=request.user, action=AuditLog.Action.DELETE, target=obj, request=request,
                detail={"via": "admin"},
            )  # fmt: skip
        super().delete_queryset(request, queryset)


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = [
        "at",
        "actor_name",
        "actor_role",
        "action",
        "object_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
