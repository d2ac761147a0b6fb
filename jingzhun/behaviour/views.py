"""Behaviour snapshots (employment office)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from jingzhun.behaviour import permissions, quality, selectors, services
from jingzhun.core.errors import DomainError
from jingzhun.org.access import RoleRequiredMixin
from jingzhun.org.models import RoleAssignment


class BehaviourManagerRequiredMixin(RoleRequiredMixin):
    """Pages of whoever may manage behaviour data (the permission table decides)."""

    def allows(self, actor: RoleAssignment) -> bool:
        return permissions.can_manage_behaviour(actor)


class SnapshotListView(BehaviourManagerRequiredMixin, View):
    """Behaviour snapshots: what each read, how many students, and the hidden-hardship model
    it trained (metrics beside the baseline). POST queues the next computation."""

    def get(self, request: HttpRequest) -> HttpResponse:
        snapshots = selectors.behaviour_snapshot_list(actor=self.actor)
        rows = [{"s": s, "sources": [(quality.source_label(src.get("source", "")), src.get("files"))
                                     for src in s.sources or []],
                 "warnings": quality.hardship_model_warnings(s.hardship_metrics or {})}
                for s in snapshots]  # fmt: skip
        builds = selectors.behaviour_builds_open(actor=self.actor)
        polling = any(
            not b.interrupted and b.status != "failed"  # type: ignore[attr-defined]
            for b in builds
        )
        context = {"rows": rows, "builds": builds, "polling": polling}
        return render(request, "behaviour/snapshot_list.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            services.behaviour_snapshot_start(actor=self.actor, as_of=timezone.localdate())
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("behaviour:snapshot-list")
        messages.success(
            request, _("Computation queued; the new version appears here when it is ready.")
        )
        return redirect("behaviour:snapshot-list")


class BuildRetryView(BehaviourManagerRequiredMixin, View):
    """Run again a computation that failed or whose worker stopped."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        build = get_object_or_404(selectors.behaviour_build_queryset(actor=self.actor), pk=pk)
        try:
            services.behaviour_build_retry(actor=self.actor, build=build)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Computation queued again."))
        return redirect("behaviour:snapshot-list")
