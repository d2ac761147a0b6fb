"""Record pages: add a record (帮扶记录) to an action, from the action page; download its
attachment (a confidential record's only for those who may read its content, audited)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.assistance import permissions, records, selectors
from jingzhun.assistance.action_views import ActionReaderMixin
from jingzhun.assistance.models import AssistanceRecord
from jingzhun.assistance.services import records as services
from jingzhun.core.errors import DomainError
from jingzhun.core.http import int_param, text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment


class RecordWriterMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_write_records(actor)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text_param(value, max_length=10))
    except ValueError:
        return None


class RecordAddView(RecordWriterMixin, View):
    """POST kind, occurred_on, duration_minutes, content."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = selectors.action_get(actor=self.actor, pk=pk)
        try:
            record = services.record_add(
                actor=self.actor, action=action,
                kind=text_param(request.POST.get("kind"), max_length=12),
                occurred_on=_date(request.POST.get("occurred_on")),
                duration_minutes=int_param(request.POST.get("duration_minutes"), minimum=0),
                content=text_param(request.POST.get("content"), max_length=services.CONTENT_MAX + 1),
                attachment=request.FILES.get("attachment"),
                request=request,
            )  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Record added: %(kind)s on %(date)s.")
                % {"kind": record.get_kind_display(), "date": record.occurred_on.isoformat()},
            )
        return redirect("assistance:action-detail", pk=action.pk)


class RecordAttachmentView(ActionReaderMixin, View):
    """The attachment, to whoever reads the record's content on its action page."""

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        record = AssistanceRecord.objects.filter(pk=pk, action__isnull=False).first()
        if record is None or not record.attachment:
            raise Http404
        action = selectors.action_get(actor=self.actor, pk=record.action_id or 0)
        (shown,) = records.shown(
            [AssistanceRecord.objects.select_related("student").get(pk=record.pk)],
            actor=self.actor, request=request,
        )  # fmt: skip
        if shown.restricted or shown.action_id != action.pk:
            raise Http404
        name = shown.attachment_name or (shown.attachment.name or "").rsplit("/", 1)[-1]
        return FileResponse(shown.attachment.open("rb"), as_attachment=True, filename=name)
