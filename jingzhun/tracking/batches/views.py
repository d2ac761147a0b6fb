"""Batch work pages: filter the students in scope and see the count, run one operation; the
operation's page shows its progress and the per-student results; its ledger downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.assistance.selectors import measures_of
from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, text_param
from jingzhun.core.jobs import attach_jobs
from jingzhun.identification.models import Level
from jingzhun.identification.selectors import staff_types
from jingzhun.jobs.models import JobPosting
from jingzhun.jobs.permissions import can_push
from jingzhun.jobs.push_services import BATCH_MAX_POSTINGS
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import school_list
from jingzhun.tracking.alerts import checks, permissions
from jingzhun.tracking.batches import selectors, services
from jingzhun.tracking.batches.models import BatchItem, BatchOperation
from jingzhun.tracking.batches.stages import Stage

PAGE = 50
FILTER_KEYS = ("cohort", "school", "difficulty_type", "level", "stage", "alert_kind")
STAGES = [(Stage.EARLY, _("Years 1–2")), (Stage.FINAL, _("Final year")),
          (Stage.GRADUATED, _("Graduated"))]  # fmt: skip


class BatchMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_batch(actor)


def _filters(data: QueryDict) -> selectors.BatchFilters:
    stage = data.get("stage", "")
    kind = data.get("alert_kind", "")
    return selectors.BatchFilters(
        cohort=int_param(data.get("cohort"), minimum=1990, maximum=2100),
        school=int_param(data.get("school")),
        difficulty_type=int_param(data.get("difficulty_type")),
        level=int_param(data.get("level"), maximum=3),
        stage=stage if stage in Stage.__members__.values() else "",
        alert_kind=kind if kind in checks.KINDS else "",
        ids=tuple(id_params(data.getlist("ids"))[: selectors.MAX_IDS]),
    )  # fmt: skip


POSTING_CHOICES = 200  # the open postings offered in the form, soonest deadline first


def _params(data: QueryDict) -> dict[str, Any]:
    return {
        "mentor": int_param(data.get("mentor")), "measure": int_param(data.get("measure")),
        "title": text_param(data.get("title"), max_length=services.TITLE_MAX + 1),
        "body": text_param(data.get("body"), max_length=services.BODY_MAX + 1),
        "postings": id_params(data.getlist("postings"))[: BATCH_MAX_POSTINGS + 1],
    }  # fmt: skip


class BatchNewView(BatchMixin, View):
    """GET: the filters, the count and a sample; POST: start the chosen operation."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, _filters(request.GET))

    def post(self, request: HttpRequest) -> HttpResponse:
        filters = _filters(request.POST)
        kind = request.POST.get("kind", "")
        try:
            operation = services.batch_start(actor=self.actor, kind=kind, filters=filters,
                                             params=_params(request.POST))  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return self._render(request, filters, status=400)
        messages.success(request, _("The operation is running in the background."))
        return redirect("tracking:batch-detail", pk=operation.pk)

    def _render(self, request: HttpRequest, filters: selectors.BatchFilters,
                status: int = 200) -> HttpResponse:  # fmt: skip
        students = selectors.batch_students(actor=self.actor, filters=filters)
        query = urlencode([(k, getattr(filters, k)) for k in FILTER_KEYS if getattr(filters, k)])
        recent = attach_jobs(list(selectors.operation_list(actor=self.actor)[:10]),
                             kind=services.BATCH_JOB)  # fmt: skip
        context: dict[str, Any] = {
            "filters": filters, "querystring": query, "count": students.count(),
            "sample": students.select_related("school", "class_group")[:20],
            "schools": school_list(actor=self.actor).order_by("code"),
            "types": staff_types(), "levels": Level.choices, "stages": STAGES,
            "alert_kinds": [k for k in checks.KINDS.values() if k.implemented],
            "kinds": [(k, label) for k, label in BatchOperation.Kind.choices
                      if k != BatchOperation.Kind.PUSH_POSTINGS or can_push(self.actor)],
            "postings": (JobPosting.objects.offerable()
                         .filter(institution_id=self.actor.institution_id or 0)
                         .select_related("employer").order_by("deadline", "-pk")[:POSTING_CHOICES]
                         if can_push(self.actor) else []),
            "mentors": services.mentor_options(actor=self.actor),
            "measures": measures_of(institution_id=self.actor.institution_id or 0).filter(is_active=True),
            "recent": recent, "max_students": services.MAX_STUDENTS,
        }  # fmt: skip
        return render(request, "tracking/batch_new.html", context, status=status)


def _own(actor: RoleAssignment, pk: int) -> BatchOperation:
    operation = selectors.operation_list(actor=actor).filter(pk=pk).first()
    if operation is None:
        raise Http404
    return operation


class BatchDetailView(BatchMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        operation = attach_jobs([_own(self.actor, pk)], kind=services.BATCH_JOB)[0]
        outcome = request.GET.get("outcome", "")
        items = operation.items.order_by("pk")
        if outcome in BatchItem.Outcome.values:
            items = items.filter(outcome=outcome)
        else:
            outcome = ""
        page = Paginator(items, PAGE).get_page(int_param(request.GET.get("page")) or 1)
        context = {"operation": operation, "page": page, "outcome": outcome,
                   "outcomes": BatchItem.Outcome.choices,
                   "querystring": urlencode({"outcome": outcome}) if outcome else ""}  # fmt: skip
        return render(request, "tracking/batch_detail.html", context)


class BatchRetryView(BatchMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        operation = _own(self.actor, pk)
        try:
            services.batch_retry(actor=self.actor, operation=operation)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("tracking:batch-detail", pk=operation.pk)


class BatchExportView(BatchMixin, View):
    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        operation = _own(self.actor, pk)
        if not operation.export:
            raise Http404
        return FileResponse(operation.export.open("rb"), as_attachment=True,
                            filename=f"ledger-{operation.pk}.xlsx")  # fmt: skip
