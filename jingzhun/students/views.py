"""The registry's own pages: the student's own-file entry and the audited reveal of
identifiers. The list, its export and the file itself are served by `jingzhun.casefile` (they
show and filter by the later stages) under the `students:` names; see `urls.py`."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.org.access import RoleRequiredMixin, actor_of
from jingzhun.org.roles import REGISTRY_ROLES, Role, Sensitivity, field_access
from jingzhun.students.profile import IDENTIFIER_FIELDS, identifiers_for
from jingzhun.students.selectors import student_get


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
