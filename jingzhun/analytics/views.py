from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from jingzhun.analytics.workbench import workbench_for


class HomeView(LoginRequiredMixin, TemplateView):
    """The workbench (工作台): what needs the current role today."""

    template_name = "analytics/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["workbench"] = workbench_for(getattr(self.request, "actor", None))
        return context
