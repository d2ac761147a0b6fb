"""Is a model better than guessing? Plain comparisons with each metric's no-skill baseline,
so the model pages can warn in words instead of leaving the office to read the numbers."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def risk_model_warnings(validation: dict[str, Any]) -> list[str]:
    """What is no better than guessing on the held-out cohort: ROC-AUC against 0.5 (a coin),
    PR-AUC against the share not placed (flagging at random), Brier against always predicting
    that share, p·(1−p)."""
    warnings: list[str] = []
    prevalence = validation.get("prevalence")
    roc, pr, brier = validation.get("roc_auc"), validation.get("pr_auc"), validation.get("brier")
    if roc is not None and roc <= 0.5:
        warnings.append(_("ROC-AUC %(v).3f is no better than chance (0.5).") % {"v": roc})
    if pr is not None and prevalence is not None and pr <= prevalence:
        warnings.append(_("PR-AUC %(v).3f is no better than flagging at random (%(b).3f).")
                        % {"v": pr, "b": prevalence})  # fmt: skip
    if brier is not None and prevalence is not None and brier >= prevalence * (1 - prevalence):
        warnings.append(_("Brier %(v).4f is no better than giving everyone the average risk "
                          "(%(b).4f).") % {"v": brier, "b": prevalence * (1 - prevalence)})  # fmt: skip
    return warnings


def hardship_model_warnings(metrics: dict[str, Any]) -> list[str]:
    """The hidden-hardship model against its simple baseline (weighted F1)."""
    model = (metrics.get("model") or {}).get("metric")
    baseline = (metrics.get("baseline") or {}).get("metric")
    if model is not None and baseline is not None and model < baseline:
        return [_("Weighted F1 %(v).3f is below the simple baseline's %(b).3f: check the data "
                  "before relying on its candidates.") % {"v": model, "b": baseline}]  # fmt: skip
    return []


SOURCE_LABELS = {
    "card": gettext_lazy("Campus card"),
    "dorm": gettext_lazy("Dormitory access"),
    "library": gettext_lazy("Library"),
    "jobs": gettext_lazy("Job platform"),
}


def source_label(source: str) -> str:
    """The event source in words ("card" is 校园一卡通 to the office)."""
    return str(SOURCE_LABELS.get(source, source))
