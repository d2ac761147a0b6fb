"""The import wizard: upload → sheet, header row and mapping → check → apply; and history."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.excel import xlsx_export
from jingzhun.core.models import AuditLog
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.students.intake import services
from jingzhun.students.intake.forms import MAX_HEADER_ROW, ApplyForm, MappingForm, UploadForm
from jingzhun.students.intake.headers import unused_columns
from jingzhun.students.intake.kinds import KINDS
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.intake.permissions import importable_kinds
from jingzhun.students.intake.roster_units import may_propose_units
from jingzhun.students.intake.selectors import import_batch_get, import_batch_list

PREVIEW_ROWS = 5
SHOWN_ERRORS = 200


class ImportAccessMixin(RoleRequiredMixin, View):
    """Open to roles that may import at least one kind; batches are scoped per actor."""

    def allows(self, actor: RoleAssignment) -> bool:
        return bool(importable_kinds(actor))

    def batch(self, pk: int) -> ImportBatch:
        try:
            return import_batch_get(actor=self.actor, pk=pk)
        except ImportBatch.DoesNotExist as exc:
            raise Http404 from exc


class ImportListView(ImportAccessMixin):
    def get(self, request: HttpRequest) -> HttpResponse:
        kinds = importable_kinds(self.actor)
        return self._render(UploadForm(kinds=kinds, initial={"kind": request.GET.get("kind", "")}))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES, kinds=importable_kinds(self.actor))
        if not form.is_valid():
            return self._render(form, status=400)
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_batch_create(
                actor=self.actor, kind=form.cleaned_data["kind"], filename=upload.name,
                data=upload, source=form.cleaned_data["source"], request=request,
            )  # fmt: skip
        except DomainError as exc:
            form.add_error("file", exc.message)
            return self._render(form, status=400)
        messages.success(request, _("File received; it is being read."))
        return redirect("students:import-detail", pk=batch.pk)

    def _render(self, form: UploadForm, status: int = 200) -> HttpResponse:
        batches = import_batch_list(actor=self.actor)
        page = Paginator(batches, 20).get_page(self.request.GET.get("page"))
        return render(
            self.request,
            "students/import_list.html",
            {"form": form, "page": page, "batches": page.object_list,
             "max_mb": settings.IMPORT_MAX_UPLOAD_MB, "max_rows": settings.IMPORT_MAX_ROWS},
            status=status,
        )  # fmt: skip


def _audit_read(request: HttpRequest, actor: RoleAssignment, batch: ImportBatch, part: str) -> None:
    """Every look at a batch's content (its rows, errors or file) is on record, like any view
    of the same fields in the registry."""
    audit_log(
        actor=request.user,
        action=AuditLog.Action.EXPORT
        if part in {"file", "errors"}
        else AuditLog.Action.VIEW_SENSITIVE,
        target=batch,
        request=request,
        role=actor.role,
        fields=sorted(KINDS[batch.kind].file_sensitivities),
        detail={"import_batch": batch.pk, "kind": batch.kind, "part": part},
    )


class ImportDetailView(ImportAccessMixin):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        busy = batch.status in services.BUSY
        stalled = services.import_batch_is_stalled(batch)
        if request.headers.get("HX-Request") and not busy:
            # The poll saw the work finish: reload the whole page (errors, apply form).
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        context: dict[str, Any] = {"batch": batch, "kind": KINDS[batch.kind], "stalled": stalled,
                                   "job": services.import_batch_job(batch),
                                   "notice": batch.reading.get("notice", "")}  # fmt: skip
        if request.headers.get("HX-Request"):
            return render(request, "students/import_detail.html#batch-status", context)
        if batch.status == ImportBatch.Status.UPLOADED:
            context |= self._mapping_context(batch)
            _audit_read(request, self.actor, batch, "preview")
        elif batch.status in {
            ImportBatch.Status.VALIDATED,
            ImportBatch.Status.REJECTED,
            ImportBatch.Status.APPLIED,
        }:
            context |= {
                "errors": batch.errors[:SHOWN_ERRORS],
                "apply_form": ApplyForm(initial={"mode": ImportBatch.Mode.ALL_OR_NOTHING}),
                "propose_units": may_propose_units(self.actor, batch),
                "unused_columns": unused_columns(batch.headers(), batch.mapping_by_column),
            }
            if batch.errors:
                _audit_read(request, self.actor, batch, "error_list")
        return render(request, "students/import_detail.html", context)

    def _mapping_context(
        self, batch: ImportBatch, form: MappingForm | None = None
    ) -> dict[str, Any]:
        headers = batch.headers()
        if form is None:
            initial = {"sheet": batch.sheet, "header_row": batch.header_row + 1}
            initial |= {f"col_{c}": name for c, name in batch.mapping_by_column.items()}
            form = MappingForm(
                initial=initial, kind=KINDS[batch.kind], sheets=batch.sheet_names, headers=headers
            )
        width = len(headers)
        rows = batch.preview[batch.header_row + 1 : batch.header_row + 1 + PREVIEW_ROWS]
        preview = [(row + [""] * width)[:width] for row in rows]
        return {"mapping_form": form, "preview": preview, "headers": headers,
                "unused_columns": unused_columns(headers, batch.mapping_by_column, preview),
                "max_header_row": MAX_HEADER_ROW}  # fmt: skip


class ImportConfigureView(ImportAccessMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        form = MappingForm(
            request.POST, kind=KINDS[batch.kind], sheets=batch.sheet_names, headers=batch.headers()
        )
        if not form.is_valid():
            messages.error(request, _("The mapping form is invalid."))
            return redirect("students:import-detail", pk=batch.pk)
        header_row = form.cleaned_data["header_row"] - 1
        try:
            if form.cleaned_data["sheet"] != batch.sheet:
                services.import_batch_choose_sheet(
                    actor=self.actor, batch=batch, sheet=form.cleaned_data["sheet"]
                )
                messages.info(request, _("Reading the sheet you chose."))
                return redirect("students:import-detail", pk=batch.pk)
            if header_row != batch.header_row:
                # A different header row means different columns: map again.
                services.import_batch_set_header_row(
                    actor=self.actor, batch=batch, header_row=header_row
                )
                return redirect("students:import-detail", pk=batch.pk)
            services.import_batch_configure(
                actor=self.actor, batch=batch, sheet=form.cleaned_data["sheet"], header_row=header_row,
                mapping=form.mapping(), save_for_source=form.cleaned_data["save_for_source"],
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("students:import-detail", pk=batch.pk)
        services.import_batch_request_check(batch=batch)
        messages.success(request, _("Checking every row; the result appears here."))
        return redirect("students:import-detail", pk=batch.pk)


class ImportApplyView(ImportAccessMixin):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        form = ApplyForm(request.POST)
        if form.is_valid():
            try:
                services.import_batch_request_apply(
                    actor=self.actor, batch=batch, mode=form.cleaned_data["mode"], request=request
                )
                messages.success(request, _("Applying; the result appears here."))
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect("students:import-detail", pk=batch.pk)


class ImportRetryView(ImportAccessMixin):
    """Run a step again whose worker stopped (the page says so after a while)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        try:
            services.import_batch_retry(actor=self.actor, batch=batch, request=request)
            messages.success(request, _("The step was queued again."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("students:import-detail", pk=batch.pk)


class ImportErrorsView(ImportAccessMixin):
    """Every error of the batch as an Excel file (row, column, value, message)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(pk)
        header = [_("Row"), _("Column"), _("Value"), _("Problem")]
        rows = ([e["row"], e["column"], e["value"], e["message"]] for e in batch.errors)
        data = xlsx_export(header, rows, sheet=_("Errors"), title=batch.original_name)
        _audit_read(request, self.actor, batch, "errors")
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-errors.xlsx"'
        return response


class ImportFileView(ImportAccessMixin):
    """The file exactly as uploaded, kept with its batch."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        batch = self.batch(pk)
        _audit_read(request, self.actor, batch, "file")
        return FileResponse(batch.file.open("rb"), as_attachment=True, filename=batch.original_name)
