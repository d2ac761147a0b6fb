from django.contrib import admin

from jingzhun.core.admin import AuditedAdmin
from jingzhun.students.models import DestinationCode


@admin.register(DestinationCode)
class DestinationCodeAdmin(AuditedAdmin):
    """Editable MOE destination code table. Students themselves are managed in the console."""

    list_display = ["code", "name", "category"]
    list_filter = ["category"]
