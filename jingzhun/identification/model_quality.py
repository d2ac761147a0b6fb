"""Is a model better than guessing? Plain comparisons with each metric's no-skill baseline,
so the model pages can warn in words instead of leaving the office to read the numbers.
(The hidden-hardship model's words live with the behaviour stage: `behaviour.quality`.)"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


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
