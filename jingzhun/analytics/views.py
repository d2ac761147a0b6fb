from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jingzhun.analytics.overview import PIPELINE, chart_data
from jingzhun.analytics.permissions import OVERVIEW_ROLES, PROVINCIAL_ROLES
from jingzhun.analytics.selectors import overview_get, status_choices
from jingzhun.analytics.workbench import workbench_for
from jingzhun.core.http import text_param
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.students.intake.setup_status import setup_incomplete


class HomeView(LoginRequiredMixin, TemplateView):
    """The workbench (工作台): what needs the current role today."""

    template_name = "analytics/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["workbench"] = workbench_for(getattr(self.request, "actor", None))
        context["setup_incomplete"] = setup_incomplete(actor=getattr(self.request, "actor", None))
        return context


class OverviewView(RoleRequiredMixin, View):
    """数据总览: students in difficulty in the actor's scope, every number a link to the
    filtered case list. `status` chooses the cases the breakdowns count (every open case by
    default, like the case list)."""

    allowed_roles = OVERVIEW_ROLES

    def get(self, request: HttpRequest) -> HttpResponse:
        status = self.status_of(request)
        overview = overview_get(actor=self.actor, status=status)
        context = {
            "overview": overview,
            "charts": chart_data(overview, (_("Flagged"), _("New candidates"))),
            "status_choices": status_choices(),
            "status": status if status in PIPELINE else "",
        }
        return render(request, "analytics/overview.html", context)

    def status_of(self, request: HttpRequest) -> str:
        return text_param(request.GET.get("status"), max_length=20)


class ProvincialOverviewView(OverviewView):
    """The same aggregates across institutions for the provincial supervisor: groups under
    five suppressed (see `jingzhun.analytics.suppression`), no link to any person, and no
    choice of what to count."""

    allowed_roles = PROVINCIAL_ROLES

    def status_of(self, request: HttpRequest) -> str:
        """Always every open case: two pages counting different statuses would give the
        reader more sums than one page's suppression accounts for (open = candidates +
        confirmed + …, group by group)."""
        return ""
