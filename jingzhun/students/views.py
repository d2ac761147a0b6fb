from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.org.access import RoleRequiredMixin, actor_of
from jingzhun.org.roles import REGISTRY_ROLES, Role, Sensitivity, field_access
from jingzhun.students.exports import EXPORT_LIMIT, students_xlsx
from jingzhun.students.filters import StudentFilterForm
from jingzhun.students.intake.permissions import importable_kinds
from jingzhun.students.profile import (
    IDENTIFIER_FIELDS,
    PROFILE_TABS,
    TAB_FIELDS,
    TABS_BY_SLUG,
    identifiers_for,
    tab_allowed,
    tab_context,
)
from jingzhun.students.selectors import student_get, student_list

CONSOLE_ROLES = REGISTRY_ROLES - {Role.STUDENT}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StudentListView(RoleRequiredMixin, View):
    allowed_roles = CONSOLE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        form = StudentFilterForm(request.GET or None, actor=actor)
        filters = form.to_filters()
        paginator = Paginator(student_list(actor=actor, filters=filters), settings.LIST_PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "rows": [(s, identifiers_for(s, revealed=False)) for s in page.object_list],
            "querystring": query.urlencode(),
            "can_import": bool(importable_kinds(actor)),
        }
        template = "students/student_list.html"
        if (
            request.headers.get("HX-Request")
            and request.headers.get("HX-Target") == "student-table"
        ):
            template += "#student-table"
        return render(request, template, context)


class StudentMeView(LoginRequiredMixin, View):
    """A student's own file: the profile of the student linked to the account."""

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        if actor is None or actor.role != Role.STUDENT:
            raise PermissionDenied
        own = getattr(request.user, "student", None)
        if own is None:
            raise Http404
        return redirect("students:detail", pk=own.pk)


class StudentDetailView(RoleRequiredMixin, View):
    """The profile page; `tab` selects which tab is open (full page or HTMX fragment)."""

    allowed_roles = REGISTRY_ROLES

    def get(self, request: HttpRequest, pk: int, tab: str = "basic") -> HttpResponse:
        actor = actor_of(request)
        student = student_get(actor=actor, pk=pk)
        current = TABS_BY_SLUG.get(tab)
        if current is None:
            raise Http404
        if not tab_allowed(actor, current):
            raise PermissionDenied
        if current.sensitivity is not None:
            audit_log(
                actor=request.user,
                action=AuditLog.Action.VIEW_SENSITIVE,
                target=student,
                fields=TAB_FIELDS.get(current.slug, []),
                request=request,
                detail={"tab": current.slug},
            )
        assert actor is not None  # RoleRequiredMixin guarantees it
        context: dict[str, Any] = {
            "student": student,
            "tabs": [(t, tab_allowed(actor, t)) for t in PROFILE_TABS],
            "current_tab": current,
            "identifiers": identifiers_for(student, revealed=False),
            "can_reveal": Sensitivity.IDENTIFIERS
            in field_access(actor.role, actor.department_kind),
            **tab_context(student, current, actor=actor),
        }
        if request.headers.get("HX-Request"):
            return render(request, current.template, context)
        return render(request, "students/student_detail.html", context)


class StudentRevealView(RoleRequiredMixin, View):
    """Show the full identifiers (ID number, phone, e-mail, household-registration code) once,
    on request, with an audit entry."""

    allowed_roles = REGISTRY_ROLES
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        actor = actor_of(request)
        student = student_get(actor=actor, pk=pk)
        assert actor is not None
        if Sensitivity.IDENTIFIERS not in field_access(actor.role, actor.department_kind):
            raise PermissionDenied
        audit_log(
            actor=request.user,
            action=AuditLog.Action.REVEAL,
            target=student,
            fields=IDENTIFIER_FIELDS,
            request=request,
        )
        return render(
            request,
            "students/student_identifiers.html",
            {
                "student": student,
                "identifiers": identifiers_for(student, revealed=True),
                "revealed": True,
            },
        )


class StudentExportView(RoleRequiredMixin, View):
    """The filtered list as Excel: the same scope and filters, identifiers masked, audited."""

    allowed_roles = CONSOLE_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        actor = actor_of(request)
        form = StudentFilterForm(request.GET or None, actor=actor)
        filters = form.to_filters()
        students = student_list(actor=actor, filters=filters)
        data = students_xlsx(students)
        audit_log(
            actor=request.user,
            action=AuditLog.Action.EXPORT,
            request=request,
            detail={
                "what": "students",
                # The filters applied, not the raw query (which may hold anything).
                "filters": {k: v for k, v in asdict(filters).items() if v not in (None, "")},
                "rows": min(students.count(), EXPORT_LIMIT),
            },
        )
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = 'attachment; filename="students.xlsx"'
        return response
