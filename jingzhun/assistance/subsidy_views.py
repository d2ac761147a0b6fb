"""Subsidy pages (staff): policies with their budget, the approval queues with bulk approve,
one application with its history, the payment list for finance, and applying for a student.
They parse, call one service or selector, and render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from jingzhun.assistance import permissions
from jingzhun.assistance import subsidy_selectors as selectors
from jingzhun.assistance.services import subsidies, subsidy_policies
from jingzhun.assistance.subsidy_models import SubsidyApplication, SubsidyPolicy
from jingzhun.assistance.subsidy_texts import group_label, reason_text, reasons_shown
from jingzhun.assistance.transitions import SUBSIDY_TABLE
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.excel import xlsx_export
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.core.masking import mask_id_number
from jingzhun.core.models import AuditLog
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment, School
from jingzhun.students.models import PriorityGroupEvidence, Student

PAGE = 30
FAILURES_SHOWN = 10
EXPORT_MAX = 20_000
# The step buttons of the detail page: slug → target status.
STEPS = {
    "school-approve": "school_approved", "office-approve": "office_approved",
    "finance-approve": "finance_approved", "pay": "paid", "return": "returned", "reject": "rejected",
}  # fmt: skip


class SubsidyReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_subsidies(actor)


class SubsidyManagerMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_manage_subsidies(actor)


class SubsidyDeciderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_decide_subsidies(actor)


def documents_from(files: Mapping[str, Any], policy: SubsidyPolicy) -> dict[str, UploadedFile]:
    """The form's file inputs (`doc-<n>`) by the name of the policy's n-th required document."""
    return {
        name: files[f"doc-{n}"]
        for n, name in enumerate(policy.documents_required)
        if files.get(f"doc-{n}") is not None
    }


def date_param(raw: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


class SubsidyPolicyListView(SubsidyReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        policies = list(selectors.policies_with_budget(actor=self.actor)[:200])
        rows = [{"policy": p, "budget": selectors.budget_shown(p),
                 "groups": "、".join(group_label(g) for g in p.eligible_groups)} for p in policies]  # fmt: skip
        context = {"rows": rows, "can_manage": permissions.can_manage_subsidies(self.actor),
                   "can_export": permissions.can_export_subsidies(self.actor)}  # fmt: skip
        return render(request, "assistance/subsidies/policy_list.html", context)


def _policy_input(post: QueryDict) -> subsidy_policies.PolicyInput:
    return subsidy_policies.PolicyInput(
        year=int_param(post.get("year"), minimum=0, maximum=9999),
        name=text_param(post.get("name"), max_length=60),
        amount=text_param(post.get("amount"), max_length=20),
        budget=text_param(post.get("budget"), max_length=20),
        eligible_groups=[text_param(g, max_length=20) for g in post.getlist("eligible_groups")[:20]],
        documents_required=text_param(post.get("documents_required"), max_length=1000).splitlines(),
        opens_on=date_param(post.get("opens_on")), closes_on=date_param(post.get("closes_on")),
        graduating_only=post.get("graduating_only") == "on",
        description=text_param(post.get("description"), max_length=2000),
        is_active=post.get("is_active") == "on",
    )  # fmt: skip


class SubsidyPolicyEditView(SubsidyManagerMixin, View):
    """New policy, or one policy with its budget figures and the form to change it."""

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        policy = selectors.policy_get(actor=self.actor, pk=pk) if pk else None
        return self._render(request, policy, values=None, error=None)

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        policy = selectors.policy_get(actor=self.actor, pk=pk) if pk else None
        try:
            saved = subsidy_policies.policy_save(actor=self.actor, data=_policy_input(request.POST),
                                          policy=policy, request=request)  # fmt: skip
        except DomainError as exc:
            return self._render(request, policy, values=request.POST, error=exc, status=400)
        messages.success(request, _("Subsidy policy %(name)s saved.") % {"name": saved.name})
        return redirect("assistance:subsidy-policy-edit", pk=saved.pk)

    def _render(self, request: HttpRequest, policy: Any, *, values: Any, error: DomainError | None,
                status: int = 200) -> HttpResponse:  # fmt: skip
        if values is None and policy is not None:
            values = {"year": policy.year, "name": policy.name, "amount": policy.amount,
                      "budget": policy.budget, "eligible_groups": policy.eligible_groups,
                      "documents_required": "\n".join(policy.documents_required),
                      "opens_on": policy.opens_on.isoformat(), "closes_on": policy.closes_on.isoformat(),
                      "graduating_only": policy.graduating_only, "description": policy.description,
                      "is_active": policy.is_active}  # fmt: skip
        elif values is None:
            values = {"year": timezone.localdate().year, "graduating_only": True, "is_active": True,
                      "eligible_groups": []}  # fmt: skip
        else:
            values = {**values.dict(), "eligible_groups": values.getlist("eligible_groups"),
                      "graduating_only": values.get("graduating_only") == "on",
                      "is_active": values.get("is_active") == "on"}  # fmt: skip
        context = {"policy": policy, "values": values, "error": error,
                   "budget": selectors.budget_shown(policy) if policy else None,
                   "groups": PriorityGroupEvidence.Group.choices}  # fmt: skip
        return render(request, "assistance/subsidies/policy_edit.html", context, status=status)


def _filters(request: HttpRequest, actor: RoleAssignment) -> selectors.SubsidyFilters:
    status = request.GET.get("status") or selectors.default_status(actor)
    return selectors.SubsidyFilters(
        policy=int_param(request.GET.get("policy")),
        status=status if status in SubsidyApplication.Status.values else selectors.ALL,
        school=int_param(request.GET.get("school")),
        q=text_param(request.GET.get("q"), max_length=20),
    )


def _querystring(filters: selectors.SubsidyFilters) -> str:
    pairs = (("policy", filters.policy or ""), ("status", filters.status),
             ("school", filters.school or ""), ("q", filters.q))  # fmt: skip
    return urlencode([(k, v) for k, v in pairs if v])


def _bulk_step(actor: RoleAssignment, status: str) -> str:
    """The approval the actor can give in bulk to applications in `status`, if any."""
    for target in SUBSIDY_TABLE.allowed.get(status, frozenset()):
        if target in (
            "school_approved",
            "office_approved",
            "finance_approved",
        ) and permissions.can_subsidy_step(actor, target):
            return target
    return ""


class SubsidyQueueView(SubsidyReaderMixin, View):
    """Applications, by default those waiting for the actor's step, paged with the total."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _filters(request, self.actor)
        page = Paginator(selectors.application_queue(actor=self.actor, filters=filters), PAGE).get_page(
            int_param(request.GET.get("page")) or 1)  # fmt: skip
        context = {
            "page": page, "filters": filters, "querystring": _querystring(filters),
            "statuses": SubsidyApplication.Status.choices,
            "policies": selectors.policies_of(actor=self.actor),
            "schools": School.objects.filter(institution_id=self.actor.institution_id or 0).order_by("code"),
            "bulk_step": _bulk_step(self.actor, filters.status),
            "can_export": permissions.can_export_subsidies(self.actor),
            "all": selectors.ALL,
        }  # fmt: skip
        return render(request, "assistance/subsidies/queue.html", context)


class SubsidyBulkApproveView(SubsidyDeciderMixin, View):
    """Approve the checked applications at one step: all of them or none."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        back = text_param(request.POST.get("back"), max_length=500)
        back = back if back.startswith("?") else ""
        target = text_param(request.POST.get("step"), max_length=20)
        ids = id_params(request.POST.getlist("applications"))
        visible = set(selectors.application_queue(actor=self.actor, filters=selectors.SubsidyFilters())
                      .filter(pk__in=ids).values_list("pk", flat=True))  # fmt: skip
        if len(visible) != len(set(ids)):
            messages.error(
                request,
                _("Nothing was approved: some of the chosen applications are not in your queue."),
            )
            return redirect(reverse("assistance:subsidy-queue") + back)
        try:
            result = subsidies.applications_approve_bulk(actor=self.actor, ids=sorted(visible), target=target,
                                                         request=request)  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if result.failures:
                messages.error(request, _("Nothing was approved: %(reasons)s") % {
                    "reasons": "；".join(f"{who}：{why}" if who else why for who, why in result.failures[:FAILURES_SHOWN])})  # fmt: skip
            else:
                messages.success(request, ngettext("%(n)s application approved.", "%(n)s applications approved.",
                                                   result.moved) % {"n": result.moved})  # fmt: skip
        return redirect(reverse("assistance:subsidy-queue") + back)


def _steps_for(actor: RoleAssignment, application: SubsidyApplication) -> list[str]:
    """The step slugs the actor may press on this application now."""
    shown = []
    for slug, target in STEPS.items():
        if not SUBSIDY_TABLE.can_move(application.status, target):
            continue
        step = target if target in permissions.SUBSIDY_STEP_ROLES else permissions.SUBSIDY_DECIDER_STEP.get(application.status, "")  # fmt: skip
        if permissions.can_subsidy_step(actor, step) and (
            step != "school_approved" or application.student.school_id == actor.school_id
        ):
            shown.append(slug)
    return shown


class SubsidyDetailView(SubsidyReaderMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_get(actor=self.actor, pk=pk)
        context = {
            "application": application, "steps": _steps_for(self.actor, application),
            "reasons": reasons_shown(application.eligibility),
            "status_label": SUBSIDY_TABLE.label(application.status),
            "today": timezone.localdate().isoformat(),
            "can_resubmit": application.status == "returned" and permissions.can_apply_for(self.actor),
            "id_number": mask_id_number(application.student.id_number),
        }  # fmt: skip
        return render(request, "assistance/subsidies/application_detail.html", context)


class SubsidyStepView(SubsidyReaderMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        application = selectors.application_get(actor=self.actor, pk=pk)
        name = application.student.name
        try:
            if step == "resubmit":
                subsidies.application_resubmit(
                    actor=self.actor, application=application,
                    documents=documents_from(request.FILES, application.policy),
                    note=text_param(request.POST.get("note"), max_length=500), request=request)  # fmt: skip
            elif step in STEPS:
                subsidies.application_move(
                    actor=self.actor, application=application, target=STEPS[step],
                    reason=text_param(request.POST.get("reason"), max_length=2000),
                    paid_on=date_param(request.POST.get("paid_on")),
                    reference=text_param(request.POST.get("reference"), max_length=60), request=request)  # fmt: skip
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            application.refresh_from_db(fields=["status"])
            messages.success(request, _("The application of %(name)s is now: %(status)s.") % {
                "name": name, "status": SUBSIDY_TABLE.label(application.status)})  # fmt: skip
        return redirect("assistance:subsidy-detail", pk=pk)


class SubsidyDocumentView(SubsidyReaderMixin, View):
    """One document of an application in the actor's scope, audited."""

    def get(self, request: HttpRequest, pk: int, doc: int) -> FileResponse:
        application = selectors.application_get(actor=self.actor, pk=pk)
        document = next((d for d in application.documents.all() if d.pk == doc), None)
        if document is None or not document.file:
            raise Http404
        audit_log(actor=request.user, action=AuditLog.Action.VIEW_SENSITIVE, target=application,
                  request=request, role=self.actor.role, detail={"document": document.pk})  # fmt: skip
        return FileResponse(
            document.file.open("rb"), as_attachment=True, filename=document.original_name
        )


EXPORT_HEADER = (gettext_lazy("Policy"), gettext_lazy("Year"), gettext_lazy("Student number"),
                 gettext_lazy("Name"), gettext_lazy("School"), gettext_lazy("Class"),
                 gettext_lazy("ID number"), gettext_lazy("Amount (yuan)"), gettext_lazy("Status"),
                 gettext_lazy("Paid on"), gettext_lazy("Payment reference"),
                 gettext_lazy("Applied at"))  # fmt: skip


class SubsidyExportView(RoleRequiredMixin, View):
    """The payment list for finance (xlsx): the filtered applications, ID numbers masked."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_export_subsidies(actor)

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _filters(request, self.actor)
        qs = selectors.application_queue(actor=self.actor, filters=filters)[:EXPORT_MAX]
        rows = [
            (a.policy.name, a.policy.year, a.student.student_number, a.student.name, a.student.school.name,
             a.student.class_group.name, mask_id_number(a.student.id_number), a.amount,
             a.get_status_display(), a.paid_on, a.payment_reference, a.created_at)
            for a in qs
        ]  # fmt: skip
        audit_log(actor=request.user, action=AuditLog.Action.EXPORT, role=self.actor.role, request=request,
                  detail={"kind": "subsidies", "rows": len(rows), "filters": _querystring(filters)})  # fmt: skip
        data = xlsx_export(
            [str(h) for h in EXPORT_HEADER],
            rows,
            sheet=str(_("Subsidy payments")),
            title=str(_("Subsidy payment list")),
        )
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="subsidies-{timezone.localdate():%Y%m%d}.xlsx"'
        )
        return response


class SubsidyApplyForView(RoleRequiredMixin, View):
    """Staff apply for a student in their scope: the open policies with the student's
    eligibility, and the form for each."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_apply_for(actor)

    def get(self, request: HttpRequest, student_pk: int) -> HttpResponse:
        student = self._student(student_pk)
        return render(request, "assistance/subsidies/apply_for.html", _offers_context(student))

    def post(self, request: HttpRequest, student_pk: int) -> HttpResponse:
        student = self._student(student_pk)
        policy = next((o.policy for o in selectors.offers_for(student)
                       if o.policy.pk == int_param(request.POST.get("policy"))), None)  # fmt: skip
        if policy is None:
            messages.error(request, _("This subsidy is not open for applications."))
            return redirect("assistance:subsidy-apply-for", student_pk=student.pk)
        try:
            application = subsidies.application_submit(
                actor=self.actor, policy=policy, student=student,
                documents=documents_from(request.FILES, policy),
                note=text_param(request.POST.get("note"), max_length=500), request=request)  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("assistance:subsidy-apply-for", student_pk=student.pk)
        messages.success(request, _("Application for %(policy)s submitted for %(name)s.")
                         % {"policy": policy.name, "name": student.name})  # fmt: skip
        return redirect("assistance:subsidy-detail", pk=application.pk)

    def _student(self, pk: int) -> Student:
        try:
            return selectors.applicable_students(actor=self.actor).get(pk=pk)
        except Student.DoesNotExist as exc:  # out of scope is indistinguishable from absent
            raise Http404 from exc


def _offers_context(student: Any) -> dict[str, Any]:
    offers = [
        {"offer": o, "reasons": [{"ok": r.code == "matched", "text": reason_text(r.code, r.params)}
                                 for r in o.eligibility.reasons],
         "detail_url": reverse("assistance:subsidy-detail", args=[o.application.pk]) if o.application else ""}
        for o in selectors.offers_for(student)
    ]  # fmt: skip
    return {"student": student, "offers": offers}
