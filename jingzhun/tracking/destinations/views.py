"""Destination pages for staff: the verification queue (filters, paging with the total, bulk
verify), registering for a student, one registration with its history and evidence (verify,
return), and the evidence download (scope-checked, audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.core.models import AuditLog
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import school_list
from jingzhun.students.models import DestinationCode, Student
from jingzhun.students.selectors import student_get
from jingzhun.tracking.destinations import permissions, selectors, services
from jingzhun.tracking.destinations.forms import DestinationForm
from jingzhun.tracking.destinations.models import DestinationEvidence, DestinationRegistration
from jingzhun.tracking.destinations.reference import evidence_label, required_evidence
from jingzhun.tracking.destinations.transitions import REGISTRATION_TABLE

PAGE = 50
FILTER_KEYS = ("status", "school", "cohort", "code", "q")


class ReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read(actor)


class RegisterMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_register_for_students(actor)


class VerifierMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_verify(actor)


def _filters(request: HttpRequest) -> selectors.RegistrationFilters:
    status = request.GET.get("status", selectors.TO_VERIFY)
    valid = {*DestinationRegistration.Status.values, selectors.TO_VERIFY, ""}
    return selectors.RegistrationFilters(
        status=status if status in valid else selectors.TO_VERIFY,
        school=int_param(request.GET.get("school")),
        cohort=int_param(request.GET.get("cohort"), minimum=2000, maximum=2100),
        code=text_param(request.GET.get("code"), max_length=3),
        q=text_param(request.GET.get("q"), max_length=20),
    )


class DestinationListView(ReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _filters(request)
        page = Paginator(
            selectors.registration_list(actor=self.actor, filters=filters), PAGE
        ).get_page(int_param(request.GET.get("page")) or 1)
        query = urlencode([(k, getattr(filters, k)) for k in FILTER_KEYS if getattr(filters, k)])
        context: dict[str, Any] = {
            "page": page, "filters": filters, "querystring": query,
            "statuses": DestinationRegistration.Status.choices,
            "schools": school_list(actor=self.actor).order_by("code"),
            "cohorts": selectors.cohorts(actor=self.actor),
            "codes": DestinationCode.objects.order_by("code"),
            "step": selectors.step_status(self.actor),
            "can_verify": permissions.can_verify(self.actor),
        }  # fmt: skip
        return render(request, "tracking/destination_list.html", context)


class DestinationBulkVerifyView(VerifierMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = id_params(request.POST.getlist("registrations"))
        if not ids:
            messages.error(request, _("Choose the destinations to verify."))
            return redirect("tracking:destination-list")
        try:
            n = services.destinations_bulk_verify(
                actor=self.actor, registration_ids=ids, request=request
            )
        except DomainError as exc:
            messages.error(request, _("Nothing was verified: %(reason)s") % {"reason": exc.message})
        else:
            messages.success(request, ngettext("%(n)s destination verified.",
                                               "%(n)s destinations verified.", n) % {"n": n})  # fmt: skip
        return redirect("tracking:destination-list")


class DestinationRegisterView(RegisterMixin, View):
    """Staff register or change a destination for a student in their scope."""

    def get(self, request: HttpRequest, student_pk: int) -> HttpResponse:
        student = student_get(actor=self.actor, pk=student_pk)
        return self._render(request, student, DestinationForm())

    def post(self, request: HttpRequest, student_pk: int) -> HttpResponse:
        student = student_get(actor=self.actor, pk=student_pk)
        form = DestinationForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                registration = services.destination_register(
                    actor=self.actor, student=student, data=form.destination_input(),
                    evidence=form.evidence(), request=request,
                )  # fmt: skip
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(
                    request, _("Destination registered; it now waits for verification.")
                )
                return redirect("tracking:destination-detail", pk=registration.pk)
        return self._render(request, student, form, status=400)

    def _render(
        self, request: HttpRequest, student: Any, form: DestinationForm, status: int = 200
    ) -> HttpResponse:
        context = {"student": student, "form": form, "requirements": requirements()}
        return render(request, "tracking/destination_register.html", context, status=status)


def requirements() -> list[tuple[str, str, str]]:
    """(code, name, evidence it needs) for the form's help table."""
    return [
        (c.pk, c.name, "、".join(evidence_label(k) for k in required_evidence(c.pk)) or "—")
        for c in DestinationCode.objects.order_by("code")
    ]


class DestinationDetailView(ReaderMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        registration = selectors.registration_get(actor=self.actor, pk=pk)
        history = list(
            DestinationRegistration.objects.filter(student=registration.student)
            .select_related("code").order_by("-created_at", "-pk")
        )  # fmt: skip
        context = {
            "r": registration, "status_label": REGISTRATION_TABLE.label(registration.status),
            "events": [(e, REGISTRATION_TABLE.label(e.to_status)) for e in registration.events.select_related("actor")],
            "evidence": registration.evidence.all(), "history": history,
            "my_step": registration.is_open and services.step_allowed(self.actor, registration),
            "can_register": permissions.can_register_for_students(self.actor),
        }  # fmt: skip
        return render(request, "tracking/destination_detail.html", context)


class DestinationStepView(VerifierMixin, View):
    """POST verify, or return with a reason."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        registration = selectors.registration_get(actor=self.actor, pk=pk)
        try:
            if step == "verify":
                services.destination_verify(
                    actor=self.actor, registration=registration, request=request
                )
                messages.success(request, _("Destination verified."))
            elif step == "return":
                services.destination_return(actor=self.actor, registration=registration,
                                            reason=request.POST.get("reason", ""), request=request)  # fmt: skip
                messages.success(request, _("Destination returned to the student."))
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("tracking:destination-detail", pk=registration.pk)


class EvidenceDownloadView(RoleRequiredMixin, View):
    """An evidence file, to staff who read the registration or to the student it belongs to;
    every download audited."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read(actor) or permissions.is_student(actor)

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        item = DestinationEvidence.objects.filter(pk=pk).first()
        if item is None:
            raise Http404
        registration = selectors.registration_get(actor=self.actor, pk=item.registration_id)
        audit_log(actor=request.user, action=AuditLog.Action.VIEW_SENSITIVE, target=item,
                  request=request, role=self.actor.role,
                  detail={"registration": registration.pk, "kind": item.kind})  # fmt: skip
        name = item.original_name or (item.file.name or "").rsplit("/", 1)[-1]
        return FileResponse(item.file.open("rb"), as_attachment=True, filename=name)


class DestinationMissingView(RegisterMixin, View):
    """Graduates of a cohort in scope without a verified destination, each with the way to
    register one for them (and to their open registration, if any)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        cohorts = selectors.cohorts(actor=self.actor)
        chosen = int_param(request.GET.get("cohort"), minimum=2000, maximum=2100)
        cohort = chosen if chosen in cohorts else (cohorts[0] if cohorts else None)
        students = (
            selectors.graduates_without_verified_destination(actor=self.actor, cohort=cohort)
            .select_related("school", "class_group")
            .order_by("school__code", "class_group__name", "student_number")
            if cohort is not None
            else Student.objects.none()
        )
        page = Paginator(students, PAGE).get_page(int_param(request.GET.get("page")) or 1)
        context = {
            "page": page, "cohorts": cohorts, "cohort": cohort,
            "querystring": urlencode({"cohort": cohort or ""}),
        }  # fmt: skip
        return render(request, "tracking/destination_missing.html", context)
