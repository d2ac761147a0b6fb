"""Behaviour snapshots in words: the hidden-hardship model against its baseline, and the
event sources by the names the office uses ("card" is 校园一卡通 to them)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


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
    """The event source in words."""
    return str(SOURCE_LABELS.get(source, source))
