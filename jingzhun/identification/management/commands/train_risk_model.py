"""`jingzhun train_risk_model --institution CODE [--as-of DATE] [--enqueue]`.

Trains the two candidate risk models (boosted trees and logistic regression) from the
institution's graduated cohorts and prints how each did on the newest cohort and which one is
recommended. Both wait for the employment office's approval on the risk-model page; nothing a
run does changes before that. A command has no person behind it: the training is audited as a
system action.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jingzhun.core.errors import DomainError
from jingzhun.identification import services
from jingzhun.identification.models import RiskModel
from jingzhun.org.models import Institution


class Command(BaseCommand):
    help = "Train the candidate risk models from the graduated cohorts of one institution."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--institution", required=True, help="Institution code.")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="Day of the year the model is for (YYYY-MM-DD; default today).",
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the training for the worker instead."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            institution = Institution.objects.get(code=options["institution"])
        except Institution.DoesNotExist as exc:
            raise CommandError(f"No institution with code {options['institution']}.") from exc
        as_of: dt.date = options["as_of"] or timezone.localdate()
        if options["enqueue"]:
            from django.db import transaction

            from jingzhun.core.jobs import job_enqueue
            from jingzhun.identification.models import ModelTraining
            from jingzhun.identification.services.risk_models import TRAIN_JOB

            with transaction.atomic():
                training = ModelTraining.objects.create(institution=institution, as_of=as_of)
                job_enqueue(kind=TRAIN_JOB, subject=training)
            self.stdout.write(f"Training queued (request {training.pk}).")
            return
        try:
            model = services.risk_model_train(actor=None, institution=institution, as_of=as_of)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_summary(model))


KIND_NAMES = {"lightgbm": "LightGBM", "linear": "Logistic regression"}


def _summary(recommended: RiskModel) -> str:
    """Both models of the training, the recommended one marked, and the rule that chose it."""
    pair = recommended.training_models()
    metrics = recommended.metrics
    comparison = metrics["comparison"]
    lines = [
        f"Risk models {', '.join(m.version for m in pair)} trained (waiting for approval).",
        f"Trained on cohorts {', '.join(map(str, metrics['train_cohorts']))}, tested on "
        f"{metrics['test_cohort']}: {metrics['validation']['rows']} rows, "
        f"{metrics['validation']['positives']} not placed.",
    ]
    for model in pair:
        v = model.metrics["validation"]
        mark = "*" if model.recommended else " "
        lines.append(
            f"{mark} {KIND_NAMES[model.kind]:<20}ROC-AUC {_num(v['roc_auc'])}  "
            f"PR-AUC {_num(v['pr_auc'])}  Brier {_num(v['brier'], 4)}  "
            f"precision@{v['k']} {_num(v['precision_at_k'])}  recall@{v['k']} {_num(v['recall_at_k'])}"
        )
    lines.append(
        f"Recommended (*): {KIND_NAMES[recommended.kind]} — higher PR-AUC on the newest cohort; "
        f"within {comparison['tie_margin']} the simpler logistic regression."
    )
    for model in pair:
        for item in model.fairness.get("attributes", []):
            if item["below_four_fifths"] or item["recall_gap_exceeded"]:
                lines.append(
                    f"Fairness check ({KIND_NAMES[model.kind]}): {item['attribute']} flag-rate "
                    f"ratio {_num(item['flag_rate_ratio'], 2)}, recall gap "
                    f"{_num(item['recall_gap'], 2)}"
                )
    return "\n".join(lines)


def _num(value: float | None, places: int = 3) -> str:
    return "—" if value is None else f"{value:.{places}f}"
