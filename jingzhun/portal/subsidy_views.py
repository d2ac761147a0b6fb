"""The student's subsidies (补贴申请): the open policies with what they qualify for and what is
missing, applying with the documents, and their own applications. Assistance's services and
selectors hold every rule; these pages only parse and render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.assistance import subsidy_selectors as selectors
from jingzhun.assistance.services import subsidies
from jingzhun.assistance.subsidy_texts import reason_text, reasons_shown
from jingzhun.assistance.subsidy_views import documents_from
from jingzhun.assistance.transitions import SUBSIDY_TABLE
from jingzhun.core.errors import DomainError
from jingzhun.core.http import text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.roles import Role
from jingzhun.students.models import Student


class StudentRequiredMixin(RoleRequiredMixin):
    allowed_roles = {Role.STUDENT}

    def own(self) -> Student:
        student = selectors.own_student(self.actor)
        if student is None:
            raise Http404
        return student


class StudentSubsidyListView(StudentRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        student = self.own()
        offers = [
            {"offer": o, "reasons": [{"ok": r.code == "matched", "text": reason_text(r.code, r.params)}
                                     for r in o.eligibility.reasons],
             "detail_url": reverse("portal:subsidy-detail", args=[o.application.pk]) if o.application else ""}
            for o in selectors.offers_for(student)
        ]  # fmt: skip
        context = {"student": student, "offers": offers,
                   "applications": list(selectors.own_applications(actor=self.actor)[:50])}  # fmt: skip
        return render(request, "portal/subsidies.html", context)


class StudentSubsidyApplyView(StudentRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, policy_pk: int) -> HttpResponse:
        student = self.own()
        policy = next(
            (o.policy for o in selectors.offers_for(student) if o.policy.pk == policy_pk), None
        )
        if policy is None:
            raise Http404
        try:
            application = subsidies.application_submit(
                actor=self.actor, policy=policy, student=student,
                documents=documents_from(request.FILES, policy),
                note=text_param(request.POST.get("note"), max_length=500), request=request)  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("portal:subsidies")
        messages.success(
            request,
            _("Your application for %(policy)s has been submitted.") % {"policy": policy.name},
        )
        return redirect("portal:subsidy-detail", pk=application.pk)


class StudentSubsidyDetailView(StudentRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.own_application_get(actor=self.actor, pk=pk)
        context = {"application": application, "reasons": reasons_shown(application.eligibility),
                   "status_label": SUBSIDY_TABLE.label(application.status)}  # fmt: skip
        return render(request, "portal/subsidy_detail.html", context)


class StudentSubsidyResubmitView(StudentRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.own_application_get(actor=self.actor, pk=pk)
        try:
            subsidies.application_resubmit(
                actor=self.actor, application=application,
                documents=documents_from(request.FILES, application.policy),
                note=text_param(request.POST.get("note"), max_length=500), request=request)  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your application has been submitted again."))
        return redirect("portal:subsidy-detail", pk=pk)
