"""离校未就业移交 pages for the employment office: who is still to be handed over, by place;
the batches; one batch with its graduates (masked), its sheet (full identifiers, audited), its
sending and closing, and what came back — per graduate or from the returned sheet."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.core.masking import mask_id_number, mask_phone
from jingzhun.core.models import AuditLog
from jingzhun.core.sheetreader import read_sheet
from jingzhun.core.tabular import TableReadError
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.tracking.followups import permissions
from jingzhun.tracking.handover import selectors, services
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.handover.sheets import batch_xlsx, replies_from_rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024


class HandoverReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_handovers(actor)


class HandoverWriterMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_hand_over(actor)


class HandoverListView(HandoverReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        cohorts = selectors.left_cohorts(on=timezone.localdate())
        cohort = int_param(request.GET.get("cohort"), minimum=1990, maximum=2100) or cohorts[0]
        status = text_param(request.GET.get("status"), max_length=8)
        batches = selectors.batch_list(actor=self.actor)
        totals = dict(
            batches.order_by().values_list("status").annotate(n=Count("pk", distinct=True))
        )
        if status in HandoverBatch.Status.values:
            batches = batches.filter(status=status)
        page = Paginator(batches, settings.LIST_PAGE_SIZE).get_page(
            int_param(request.GET.get("page")) or 1
        )
        context: dict[str, Any] = {
            "page": page, "cohorts": cohorts, "cohort": cohort, "status": status,
            "statuses": HandoverBatch.Status.choices, "totals": totals,
            "places": selectors.candidates_by_place(actor=self.actor, cohort=cohort),
            "can_hand_over": permissions.can_hand_over(self.actor),
            "querystring": f"cohort={cohort}&status={status}" if status else f"cohort={cohort}",
        }  # fmt: skip
        return render(request, "tracking/handover_list.html", context)


class HandoverCreateView(HandoverWriterMixin, View):
    """POST cohort, place, receiver."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        cohort = int_param(request.POST.get("cohort"), minimum=1990, maximum=2100)
        place = text_param(request.POST.get("place"), max_length=4)
        try:
            batch = services.handover_create(
                actor=self.actor, cohort=cohort or 0, place=place,
                receiver=text_param(request.POST.get("receiver"), max_length=100), request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"{_list_url()}?cohort={cohort or ''}")
        messages.success(request, _("Handover batch for %(place)s created with %(n)s graduates.")
                         % {"place": batch.place_name, "n": batch.entries.count()})  # fmt: skip
        return redirect("tracking:handover-detail", pk=batch.pk)


def _list_url() -> str:
    from django.urls import reverse

    return reverse("tracking:handover-list")


class HandoverDetailView(HandoverReaderMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = selectors.batch_get(actor=self.actor, pk=pk)
        entries = selectors.batch_entries(actor=self.actor, batch=batch)
        counts = dict(entries.order_by().values_list("returned").annotate(n=Count("pk")))
        returned = text_param(request.GET.get("returned"), max_length=12)
        if returned in HandoverEntry.Return.values:
            entries = entries.filter(returned=returned)
        page = Paginator(entries, settings.LIST_PAGE_SIZE).get_page(
            int_param(request.GET.get("page")) or 1
        )
        rows = [
            (e, mask_id_number(e.student.id_number), mask_phone(e.student.phone))
            for e in page.object_list
        ]
        context: dict[str, Any] = {
            "batch": batch, "page": page, "rows": rows, "returned": returned,
            "replies": HandoverEntry.Return.choices, "counts": counts,
            "can_hand_over": permissions.can_hand_over(self.actor),
            "querystring": f"returned={returned}" if returned else "",
            "report": request.session.pop(f"handover-report-{batch.pk}", None),
        }  # fmt: skip
        return render(request, "tracking/handover_detail.html", context)


class HandoverStepView(HandoverWriterMixin, View):
    """POST send or close."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        batch = selectors.batch_get(actor=self.actor, pk=pk)
        steps = {"send": services.handover_send, "close": services.handover_close}
        if step not in steps:
            raise Http404
        try:
            batch = steps[step](actor=self.actor, batch=batch, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Handover batch for %(place)s: %(status)s.")
                             % {"place": batch.place_name, "status": batch.get_status_display()})  # fmt: skip
        return redirect("tracking:handover-detail", pk=pk)


class HandoverExportView(HandoverWriterMixin, View):
    """The batch's sheet for the receiving office: ID numbers and phones in full (this role
    alone produces it), each export audited with the fields it held."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = selectors.batch_get(actor=self.actor, pk=pk)
        entries = selectors.batch_entries(actor=self.actor, batch=batch)
        data = batch_xlsx(batch, entries, full=True)
        audit_log(actor=request.user, action=AuditLog.Action.EXPORT, target=batch, request=request,
                  role=self.actor.role, fields=["id_number", "phone", "hukou_region_code"],
                  detail={"what": "handover", "rows": entries.count(), "place": batch.place_code})  # fmt: skip
        response = HttpResponse(data, content_type=XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="handover-{batch.cohort}-{batch.place_code}.xlsx"'
        )
        return response


class HandoverReplyView(HandoverWriterMixin, View):
    """POST returned, placed_where, note for one entry."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = HandoverEntry.objects.filter(pk=pk).select_related("batch", "student").first()
        if entry is None:
            raise Http404
        batch = selectors.batch_get(actor=self.actor, pk=entry.batch_id)
        if not selectors.batch_entries(actor=self.actor, batch=batch).filter(pk=pk).exists():
            raise Http404
        reply = services.Reply(
            text_param(request.POST.get("returned"), max_length=12),
            text_param(request.POST.get("placed_where"), max_length=121),
            text_param(request.POST.get("note"), max_length=1001),
        )
        try:
            services.handover_reply(actor=self.actor, entry=entry, reply=reply, request=request)
        except DomainError as exc:
            messages.error(request, f"{entry.student.name}：{exc.message}")
        else:
            messages.success(
                request, _("Reply for %(name)s recorded.") % {"name": entry.student.name}
            )
        return redirect("tracking:handover-detail", pk=batch.pk)


class HandoverRepliesUploadView(HandoverWriterMixin, View):
    """POST the returned sheet (file), check_only: checked in full, applied only if clean."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = selectors.batch_get(actor=self.actor, pk=pk)
        upload = request.FILES.get("file")
        rows, problem = _read_upload(upload)
        replies, header_problem = replies_from_rows(rows) if not problem else ([], "")
        problem = problem or header_problem
        if problem:
            messages.error(request, problem)
            return redirect("tracking:handover-detail", pk=pk)
        try:
            report = services.handover_replies_apply(
                actor=self.actor, batch=batch, replies=replies,
                check_only=request.POST.get("check_only") == "1", request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("tracking:handover-detail", pk=pk)
        labels = dict(HandoverEntry.Return.choices)
        request.session[f"handover-report-{pk}"] = {
            "rows": report.rows, "changed": report.changed, "applied": report.applied,
            "by_reply": [(str(labels.get(k, k)), n) for k, n in report.by_reply.items()],
            "problems": report.problems[:200], "more": max(0, len(report.problems) - 200),
        }  # fmt: skip
        return redirect("tracking:handover-detail", pk=pk)


def _read_upload(upload: Any) -> tuple[list[list[str]], str]:
    """The uploaded sheet's rows as text, read by the capped reader; or a problem."""
    if upload is None:
        return [], _("Choose the returned sheet.")
    if (upload.size or 0) > UPLOAD_MAX_BYTES:
        return [], _("The file may be at most %(mb)s MB.") % {
            "mb": UPLOAD_MAX_BYTES // (1024 * 1024)
        }
    name = text_param(upload.name, max_length=100) or "replies.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "upload", Path(folder) / "rows.csv"
        with source.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            read_sheet(source, name, None, target)
        except TableReadError as exc:
            return [], str(exc)
        with target.open(encoding="utf-8", newline="") as handle:
            return [list(row) for row in csv.reader(handle)], ""
