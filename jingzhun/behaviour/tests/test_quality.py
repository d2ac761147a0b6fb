"""Behaviour snapshots in words: the hardship model against its baseline, source names."""

from __future__ import annotations

from django.utils import translation

from jingzhun.behaviour.quality import hardship_model_warnings, source_label


def test_hardship_warning_only_below_the_baseline():
    assert hardship_model_warnings({"model": {"metric": 0.6}, "baseline": {"metric": 0.5}}) == []
    with translation.override("en"):
        words = hardship_model_warnings({"model": {"metric": 0.4}, "baseline": {"metric": 0.5}})
    assert words == [
        "Weighted F1 0.400 is below the simple baseline's 0.500: check the data before "
        "relying on its candidates."
    ]
    assert hardship_model_warnings({}) == []
    assert hardship_model_warnings({"model": {"metric": 0.4}}) == []


def test_sources_have_names():
    with translation.override("en"):
        labels = [source_label(s) for s in ("card", "dorm", "library", "jobs", "x")]
    assert labels == ["Campus card", "Dormitory access", "Library", "Job platform", "x"]
