"""Behaviour snapshots (employment office)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.identification import model_quality, services
from jingzhun.identification.access import RunnerRequiredMixin
from jingzhun.students.models import BehaviourSnapshot


class BehaviourListView(RunnerRequiredMixin, View):
    """Behaviour snapshots: what each read, how many students, and the hidden-hardship model
    it trained (metrics beside the baseline). POST queues the next computation."""

    def get(self, request: HttpRequest) -> HttpResponse:
        snapshots = list(BehaviourSnapshot.objects.filter(institution=self.actor.institution)[:20])
        rows = [{"s": s, "sources": [(model_quality.source_label(src.get("source", "")), src.get("files"))
                                     for src in s.sources or []],
                 "warnings": model_quality.hardship_model_warnings(s.hardship_metrics or {})}
                for s in snapshots]  # fmt: skip
        return render(request, "identification/behaviour_list.html", {"rows": rows})

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            services.behaviour_snapshot_start(actor=self.actor, as_of=services.now_date())
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("identification:behaviour-list")
        messages.success(
            request, _("Computation queued; the new version appears here when it is ready.")
        )
        return redirect("identification:behaviour-list")
