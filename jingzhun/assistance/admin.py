"""Back-office editing of assistance reference data. Measures and playbooks have their own
console pages (the employment office's); here the administrator also names each department's
head (负责人), to whom overdue actions escalate. Every edit is audited (AuditedAdmin)."""

from __future__ import annotations

from django.contrib import admin

from jingzhun.assistance.models import DepartmentHead, Measure
from jingzhun.core.admin import AuditedAdmin


@admin.register(Measure)
class MeasureAdmin(AuditedAdmin):
    list_display = [
        "code",
        "name",
        "institution",
        "department_kind",
        "survey_category",
        "is_active",
    ]
    list_filter = ["institution", "department_kind", "survey_category"]


@admin.register(DepartmentHead)
class DepartmentHeadAdmin(AuditedAdmin):
    list_display = ["department", "user"]
    raw_id_fields = ["user"]
