"""Model pages in words: no-skill baselines, Chinese source names, readable model names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from jingzhun.identification.model_quality import risk_model_warnings
from jingzhun.identification.models import RiskModel


@pytest.mark.parametrize(
    ("validation", "n"),
    [({"roc_auc": 0.81, "pr_auc": 0.4, "brier": 0.1, "prevalence": 0.2}, 0),
     ({"roc_auc": 0.5, "pr_auc": 0.4, "brier": 0.1, "prevalence": 0.2}, 1),
     ({"roc_auc": 0.7, "pr_auc": 0.2, "brier": 0.17, "prevalence": 0.2}, 2),
     ({}, 0)],
)  # fmt: skip
def test_risk_model_warnings_compare_with_no_skill(validation, n):
    assert len(risk_model_warnings(validation)) == n


def test_risk_model_warning_words():
    with translation.override("en"):
        words = risk_model_warnings(
            {"roc_auc": 0.45, "pr_auc": 0.1, "brier": 0.2, "prevalence": 0.2}
        )
    assert len(words) == 3
    assert words[0].startswith("ROC-AUC 0.450")


@pytest.mark.django_db
def test_model_list_explains_metrics_warns_and_names_the_model(college, client):
    RiskModel.objects.create(
        institution=college.institution, version="risk-20260901T000000Z-x", schema_hash="h",
        as_of=dt.date(2026, 9, 1), artifact="risk_models/x.zip",
        metrics={"validation": {"roc_auc": 0.48, "pr_auc": 0.3, "brier": 0.1, "prevalence": 0.2,
                                "k": 10}, "train_cohorts": [2024], "test_cohort": 2025},
    )  # fmt: skip
    client.force_login(college.user("employment_officer"))
    html = client.get(reverse("identification:model-list")).content.decode()
    assert 'data-testid="metric-help"' in html
    assert html.count('data-testid="model-warning"') == 1
    assert 'title="risk-20260901T000000Z-x"' in html and "2026-09-01" in html


@pytest.mark.django_db
def test_rule_list_says_rule_name(college, client):
    client.force_login(college.user("employment_officer"))
    html = client.get(reverse("identification:rule-list")).content.decode()
    assert "<th>姓名</th>" not in html
