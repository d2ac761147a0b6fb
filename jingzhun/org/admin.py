from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from jingzhun.core.admin import AuditedAdmin
from jingzhun.org.models import (
    ClassGroup,
    Department,
    Institution,
    Major,
    RoleAssignment,
    School,
    User,
)


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    list_display = ["code", "name", "province_code"]
    search_fields = ["code", "name"]


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ["code", "name", "institution"]
    list_filter = ["institution"]
    search_fields = ["code", "name"]


@admin.register(Major)
class MajorAdmin(AuditedAdmin):
    list_display = ["moe_code", "name", "school", "level", "duration_years"]
    list_filter = ["level", "school__institution"]
    search_fields = ["moe_code", "name"]


@admin.register(ClassGroup)
class ClassGroupAdmin(AuditedAdmin):
    list_display = ["name", "major", "cohort"]
    list_filter = ["cohort"]
    search_fields = ["name"]
    autocomplete_fields = ["major"]


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ["code", "name", "kind", "institution"]
    list_filter = ["kind", "institution"]


class RoleAssignmentInline(admin.StackedInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["classes"]


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ["username", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["username", "display_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Jingzhun"), {"fields": ["display_name"]}),
    )
