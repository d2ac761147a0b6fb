"""Risk models (employment office): each training's boosted trees and logistic regression side
by side in plain words, the recommended one marked; train, and approve either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from jingzhun.core.errors import DomainError
from jingzhun.identification import model_figures, model_quality, services
from jingzhun.identification.access import RunnerRequiredMixin
from jingzhun.identification.models import RiskModel
from jingzhun.identification.selectors import (
    model_training_queryset,
    model_trainings_open,
    risk_model_list,
)
from jingzhun.students.models import Student

ATTRIBUTE_LABELS = {
    "gender": gettext_lazy("Gender"),
    "ethnicity": gettext_lazy("Ethnicity"),
    "hukou_type": gettext_lazy("Household registration"),
    "school": gettext_lazy("School"),
}
GROUP_LABELS: dict[str, dict[str, Any]] = {
    "gender": dict(Student.Gender.choices),
    "hukou_type": dict(Student.HukouType.choices),
    "ethnicity": {"han": gettext_lazy("Han"), "minority": gettext_lazy("Ethnic minorities")},
}
MODELS_SHOWN = 20  # ten trainings of two models
MISSING_GROUP = "(missing)"  # jingzhun.data.ml.fairness names groups without a value so


@dataclass(frozen=True)
class FairnessTable:
    attribute: Any
    groups: list[dict[str, Any]]
    flag_rate_ratio: float | None
    precision_gap: float | None
    recall_gap: float | None
    highlighted: bool


def fairness_tables(report: dict[str, Any]) -> list[FairnessTable]:
    """The stored fairness report with readable group names (codes stay in the JSON)."""
    tables = []
    for item in report.get("attributes", []):
        labels = GROUP_LABELS.get(item["attribute"], {})
        groups = [
            {**g, "label": _("Not recorded") if g["group"] == MISSING_GROUP else labels.get(g["group"], g["group"])}
            for g in item["groups"]
        ]  # fmt: skip
        tables.append(FairnessTable(
            attribute=ATTRIBUTE_LABELS.get(item["attribute"], item["attribute"]), groups=groups,
            flag_rate_ratio=item["flag_rate_ratio"], precision_gap=item["precision_gap"],
            recall_gap=item["recall_gap"], highlighted=item["below_four_fifths"] or item["recall_gap_exceeded"],
        ))  # fmt: skip
    return tables


@dataclass(frozen=True)
class ModelPanel:
    """One model's column on the page: its plain figures, fairness and warnings."""

    model: RiskModel
    figures: list[model_figures.Figure]
    fairness: list[FairnessTable]
    warnings: list[str]
    kind_words: Any


class RiskModelListView(RunnerRequiredMixin, View):
    """The institution's risk models with validation metrics and fairness; POST trains one."""

    def get(self, request: HttpRequest) -> HttpResponse:
        models = list(risk_model_list(actor=self.actor)[:MODELS_SHOWN])
        trainings = [
            (training, [ModelPanel(m, model_figures.plain_figures(m.metrics.get("validation", {})),
                                   fairness_tables(m.fairness),
                                   model_quality.risk_model_warnings(m.metrics.get("validation", {})),
                                   model_figures.kind_words(m))
                        for m in training.models])
            for training in model_figures.trainings(models, cut=len(models) == MODELS_SHOWN)
        ]  # fmt: skip
        open_trainings = model_trainings_open(actor=self.actor)
        polling = any(
            not t.interrupted and t.status != "failed"  # type: ignore[attr-defined]
            for t in open_trainings
        )
        context = {"trainings": trainings, "open_trainings": open_trainings, "polling": polling}
        return render(request, "identification/risk_model_list.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            services.risk_model_train_start(actor=self.actor, as_of=services.now_date())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("Training started; the new model appears here when it is ready.")
            )
        return redirect("identification:model-list")


class TrainingRetryView(RunnerRequiredMixin, View):
    """Train again a request that failed or whose worker stopped."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        training = get_object_or_404(model_training_queryset(actor=self.actor), pk=pk)
        try:
            services.risk_model_training_retry(actor=self.actor, training=training)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Training queued again."))
        return redirect("identification:model-list")


class RiskModelApproveView(RunnerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        model = get_object_or_404(risk_model_list(actor=self.actor), pk=pk)
        try:
            services.risk_model_approve(actor=self.actor, model=model, request=request)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Model %(version)s approved: the next runs use it.") % {"version": model.version},
            )
        return redirect("identification:model-list")
