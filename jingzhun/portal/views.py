"""Student-facing pages (phone first). They parse, call one identification service or a
selector, and render: the rules are the services'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.identification import services
from jingzhun.identification.case_selectors import student_status
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.portal.forms import SelfApplicationForm
from jingzhun.portal.selectors import own_file


class CaseApplyView(RoleRequiredMixin, View):
    """申请帮扶: what assistance is, the application form, then the application's status."""

    allowed_roles = {Role.STUDENT}

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, SelfApplicationForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SelfApplicationForm(request.POST)
        if form.is_valid():
            try:
                services.case_self_apply(
                    actor=self.actor,
                    types=list(form.cleaned_data["types"]),
                    note=form.cleaned_data["note"],
                    request=request,
                )
            except DomainError as exc:
                if exc.field not in form.fields:  # who may apply, not what was written
                    messages.error(request, exc.message)
                    return redirect("portal:apply")
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("Your application has been submitted."))
                return redirect("portal:apply")
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: SelfApplicationForm) -> HttpResponse:
        file = own_file(actor=self.actor)
        refusal = ""
        if file.open_case is None:
            try:
                services.case_self_apply_check(actor=self.actor)
            except DomainError as exc:
                refusal = exc.message
        context: dict[str, Any] = {
            "file": file,
            "form": form,
            "refusal": refusal,
            "own_status": student_status(actor=self.actor),
        }
        return render(request, "portal/case_apply.html", context)
