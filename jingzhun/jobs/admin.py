"""Back-office editing of employers (with their contact persons) and postings. Vetting is done
on the employers page through its audited service; every edit here is audited too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jingzhun.core.admin import AuditedAdmin
from jingzhun.jobs.credit_code import normalise_employer_name
from jingzhun.jobs.models import Employer, EmployerContact, JobPosting


class EmployerContactInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EmployerContact
    extra = 1


@admin.register(Employer)
class EmployerAdmin(AuditedAdmin):
    list_display = ["name", "credit_code", "institution", "vetting", "vetted_on"]
    list_filter = ["institution", "vetting"]
    search_fields = ["name", "credit_code"]
    readonly_fields = ["name_key", "vetting", "vetting_reason", "vetted_on", "vetted_by"]
    inlines = [EmployerContactInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.name_key = normalise_employer_name(obj.name)  # the import finds it by this key
        super().save_model(request, obj, form, change)


@admin.register(JobPosting)
class JobPostingAdmin(AuditedAdmin):
    list_display = ["title", "employer", "city_code", "salary_text", "deadline", "source"]
    list_filter = ["institution", "internship", "disability_friendly", "grassroots"]
    search_fields = ["title", "employer__name"]
    raw_id_fields = ["employer"]
