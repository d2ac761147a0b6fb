"""The back office shows the deliveries (channel, status, attempts, last error) so that an
operator can see a channel that is down; read-only, and without the notifications' text."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jingzhun.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "status", "attempts", "next_attempt_at", "sent_at",
                    "last_error", "created_at")  # fmt: skip
    list_filter = ("channel", "status")
    fields = ("channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error",
              "created_at")  # fmt: skip
    readonly_fields = fields
    ordering = ("-id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
