"""The registry's own pages: the student's own-file entry, the audited reveal of identifiers
and the export. The list and the file itself are served by `jingzhun.casefile` (they show
the later stages) under the `students:` names; see `urls.py`."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.org.access import RoleRequiredMixin, actor_of
from jingzhun.org.roles import REGISTRY_ROLES, Role, Sensitivity, field_access
from jingzhun.students.exports import EXPORT_LIMIT, students_xlsx
from jingzhun.students.filters import StudentFilterForm
from jingzhun.students.profile import IDENTIFIER_FIELDS, identifiers_for
from jingzhun.students.selectors import student_get, student_list

CONSOLE_ROLES = REGISTRY_ROLES - {Role.STUDENT}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
