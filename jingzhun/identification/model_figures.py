"""The two models of one training side by side, in words a counsellor can act on.

Each validation figure becomes a sentence about the list the office would work from ("of the
18 students at the top of the list, 16 later had no destination"), with the metric's name
and value kept small beside it for whoever wants them. Pure formatting of stored metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.identification.models import RiskModel

KIND_WORDS = {
    RiskModel.Kind.LIGHTGBM: gettext_lazy(
        "Finds combinations of factors; the reasons are each factor's share of the score."
    ),
    RiskModel.Kind.LINEAR: gettext_lazy(
        "Each factor adds a fixed weight: simpler, and its reasons are exact."
    ),
}


def kind_words(model: RiskModel) -> str:
    """What the model's kind means for its reasons ("" for a kind without words)."""
    words = KIND_WORDS.get(RiskModel.Kind(model.kind)) if model.kind in RiskModel.Kind else None
    return str(words) if words else ""


@dataclass(frozen=True)
class Figure:
    words: str
    metric: str
    value: str
    testid: str


def _pct(value: float) -> str:
    return f"{value:.0%}"


def plain_figures(validation: dict[str, Any]) -> list[Figure]:
    """The held-out cohort's figures, the operational ones first; a figure that could not be
    measured (one outcome only) is left out."""
    k, capacity = validation.get("k"), validation.get("capacity")
    figures = []
    precision, recall = validation.get("precision_at_k"), validation.get("recall_at_k")
    if precision is not None and k:
        hits = round(precision * k)
        words = _("Of the %(k)s students at the top of the list (the riskiest %(share)s), "
                  "%(hits)s later had no destination.") % {
            "k": k, "share": _pct(capacity or 0), "hits": hits}  # fmt: skip
        figures.append(Figure(words, f"precision@{k}", f"{precision:.3f}", "figure-precision"))
    if recall is not None and k:
        words = _("The list holds %(share)s of all students who ended without a destination.") % {
            "share": _pct(recall)
        }
        figures.append(Figure(words, f"recall@{k}", f"{recall:.3f}", "figure-recall"))
    pr_auc, prevalence = validation.get("pr_auc"), validation.get("prevalence")
    if pr_auc is not None and prevalence is not None:
        words = _("How well the list keeps finding them as it grows longer: %(v)s (picking "
                  "students at random: %(base)s).") % {
            "v": f"{pr_auc:.3f}", "base": f"{prevalence:.3f}"}  # fmt: skip
        figures.append(Figure(words, "PR-AUC", f"{pr_auc:.3f}", "figure-pr-auc"))
    roc_auc = validation.get("roc_auc")
    if roc_auc is not None:
        words = _("Of one student who ended without a destination and one who found one, the "
                  "first is ranked higher %(share)s of the time (a coin toss: 50%%).") % {
            "share": _pct(roc_auc)}  # fmt: skip
        figures.append(Figure(words, "ROC-AUC", f"{roc_auc:.3f}", "figure-roc-auc"))
    brier = validation.get("brier")
    if brier is not None and prevalence is not None:
        words = _("Gap between the predicted chance and what happened: %(v)s (lower is better; "
                  "the same chance for everyone: %(base)s).") % {
            "v": f"{brier:.4f}", "base": f"{prevalence * (1 - prevalence):.4f}"}  # fmt: skip
        figures.append(Figure(words, "Brier", f"{brier:.4f}", "figure-brier"))
    return figures


@dataclass(frozen=True)
class Training:
    """One training's models (trees first) and the sentence saying which is recommended."""

    key: str
    models: list[RiskModel]
    recommendation: str


def recommendation_words(model: RiskModel) -> str:
    comparison = model.metrics.get("comparison")
    if not comparison:
        return ""
    name = RiskModel.Kind(comparison["recommended"]).label
    return _("Recommended: %(name)s. Rule: the higher PR-AUC on the newest graduated cohort "
             "(%(cohort)s); when the two are within %(margin)s, the simpler logistic "
             "regression.") % {"name": name, "cohort": model.metrics.get("test_cohort", "—"),
                               "margin": comparison["tie_margin"]}  # fmt: skip


def trainings(models: Sequence[RiskModel], *, cut: bool = False) -> list[Training]:
    """Rows of the same training together, newest training first; a model trained before
    there were two kinds stands alone. `cut`: the list was limited, so its last training may
    have lost a row to the limit; it is left out rather than shown half."""
    grouped: dict[str, list[RiskModel]] = {}
    for model in models:
        grouped.setdefault(model.training or model.version, []).append(model)
    result = []
    for key, members in grouped.items():
        members.sort(key=lambda m: m.kind != RiskModel.Kind.LIGHTGBM)
        result.append(Training(key, members, recommendation_words(members[0])))
    last = result[-1].models if result else []
    if cut and last and last[0].training and len(last) < len(RiskModel.Kind):
        result.pop()
    return result
