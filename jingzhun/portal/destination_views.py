"""毕业去向 on the portal (phone first): the student's registrations and their state, and the
form to register or change one with a photo of the evidence. The rules are tracking's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.students.models import Student
from jingzhun.tracking.destinations import selectors, services
from jingzhun.tracking.destinations.forms import DestinationForm
from jingzhun.tracking.destinations.views import requirements


class StudentDestinationView(RoleRequiredMixin, View):
    allowed_roles = {Role.STUDENT}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, DestinationForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        student = Student.objects.filter(user_id=self.actor.user_id).first()
        form = DestinationForm(request.POST, request.FILES)
        if student is None:
            messages.error(request, _("Your account is not linked to a student record."))
            return redirect("portal:destination")
        if form.is_valid():
            try:
                services.destination_register(actor=self.actor, student=student,
                                              data=form.destination_input(),
                                              evidence=form.evidence(), request=request)  # fmt: skip
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("Your destination has been submitted for verification.")
                )
                return redirect("portal:destination")
        return self._render(request, form, status=400)

    def _render(
        self, request: HttpRequest, form: DestinationForm, status: int = 200
    ) -> HttpResponse:
        registrations = selectors.own_registrations(actor=self.actor)
        refusal = ""
        student = Student.objects.filter(user_id=self.actor.user_id).first()
        if student is not None:
            try:
                services.deadline_check(student)
            except DomainError as exc:
                refusal = exc.message
        context = {"form": form, "registrations": registrations, "refusal": refusal,
                   "requirements": requirements()}  # fmt: skip
        return render(request, "portal/destination.html", context, status=status)
