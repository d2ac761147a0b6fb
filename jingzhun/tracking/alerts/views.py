"""Alert pages: the list (filters in the URL, counts per kind, paged), acknowledge or close
one with a note, acknowledge the checked ones, start today's checks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.core.http import id_params, int_param, safe_redirect_target, text_param
from jingzhun.core.jobs import is_interrupted
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment
from jingzhun.org.selectors import school_list
from jingzhun.tracking.alerts import checks, permissions, selectors, services
from jingzhun.tracking.alerts.models import Alert

PAGE = 50
FILTER_KEYS = ("kind", "severity", "state", "school", "owner")
STEPS = {"acknowledge": services.alert_acknowledge, "close": services.alert_close}


class AlertReaderMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_read_alerts(actor)


class AlertHandlerMixin(RoleRequiredMixin):
    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_handle_alerts(actor)


def _filters(request: HttpRequest) -> selectors.AlertFilters:
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", selectors.UNCLOSED)
    owner = text_param(request.GET.get("owner"), max_length=12)
    return selectors.AlertFilters(
        kind=kind if kind in checks.KINDS else "",
        severity=int_param(request.GET.get("severity"), maximum=3),
        state=state if state in (*Alert.State.values, selectors.ALL_STATES) else selectors.UNCLOSED,
        school=int_param(request.GET.get("school")),
        owner=owner if owner == selectors.MINE or owner.isdigit() else "",
    )  # fmt: skip


class AlertListView(AlertReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        filters = _filters(request)
        page = Paginator(selectors.alert_list(actor=self.actor, filters=filters), PAGE).get_page(
            int_param(request.GET.get("page")) or 1
        )
        labels = {k.code: k.label for k in checks.KINDS.values()}
        for alert in page.object_list:
            alert.kind_label = labels.get(alert.kind, alert.kind)  # type: ignore[attr-defined]
        by_kind = selectors.alert_counts_by_kind(actor=self.actor, filters=filters)
        kinds = [(k, by_kind.get(k.code, 0)) for k in checks.implemented()]
        query = urlencode([(k, getattr(filters, k)) for k in FILTER_KEYS if getattr(filters, k)])
        run, job = selectors.latest_check()
        context: dict[str, Any] = {
            "page": page, "filters": filters, "querystring": query, "kinds": kinds,
            "severities": Alert.Severity.choices, "states": Alert.State.choices,
            "schools": school_list(actor=self.actor).order_by("code"),
            "can_handle": permissions.can_handle_alerts(self.actor),
            "can_run": permissions.can_run_checks(self.actor),
            "check_run": run, "check_job": job, "check_interrupted": is_interrupted(job),
            "back": f"?{query}" if query else "",
        }  # fmt: skip
        return render(request, "tracking/alert_list.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    """Back to the list the form was sent from (its filters kept), never off the site."""
    return redirect(safe_redirect_target(request, request.POST.get("next"), "tracking:alert-list"))


class AlertStepView(AlertHandlerMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, step: str) -> HttpResponse:
        service = STEPS.get(step)
        if service is None:
            messages.error(request, _("Unknown step."))
            return _back(request)
        note = text_param(request.POST.get("note"), max_length=services.NOTE_MAX + 1)
        try:
            service(actor=self.actor, alert_id=pk, note=note, request=request)
        except Alert.DoesNotExist:
            raise Http404 from None
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
        return _back(request)


class AlertBulkAcknowledgeView(AlertHandlerMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        ids = id_params(request.POST.getlist("alerts"))
        if not ids:
            messages.error(request, _("Choose the alerts first."))
            return _back(request)
        try:
            n = services.alerts_bulk_acknowledge(actor=self.actor, alert_ids=ids, request=request,
                                                 note=text_param(request.POST.get("note"), max_length=1001))  # fmt: skip
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, ngettext("%(n)s alert acknowledged.",
                                               "%(n)s alerts acknowledged.", n) % {"n": n})  # fmt: skip
        return _back(request)


class AlertCheckStartView(RoleRequiredMixin, View):
    http_method_names = ["post"]

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_run_checks(actor)

    def post(self, request: HttpRequest) -> HttpResponse:
        run = services.alert_checks_start(actor=self.actor, again=True)
        if run is None:
            messages.info(request, _("Today's checks are already running."))
        else:
            messages.success(request, _("The checks are running in the background."))
        return _back(request)
