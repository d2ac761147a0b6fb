"""`jingzhun train_risk_model --institution CODE [--as-of DATE] [--enqueue]`.

Trains a candidate risk model from the institution's graduated cohorts and prints how it did
on the newest one. The model waits for the employment office's approval on the risk-model
page; nothing a run does changes before that.
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
    help = "Train a candidate risk model from the graduated cohorts of one institution."

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
            from jingzhun.identification.tasks import risk_model_train_task

            risk_model_train_task.enqueue(institution.pk, as_of.isoformat(), None)
            self.stdout.write("Training queued.")
            return
        try:
            model = services.risk_model_train(actor=None, institution=institution, as_of=as_of)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_summary(model))


def _summary(model: RiskModel) -> str:
    metrics, v = model.metrics, model.metrics["validation"]
    lines = [
        f"Risk model {model.version} trained (waiting for approval).",
        f"Trained on cohorts {', '.join(map(str, metrics['train_cohorts']))}, "
        f"tested on {metrics['test_cohort']}: {v['rows']} rows, {v['positives']} not placed.",
        f"ROC-AUC {_num(v['roc_auc'])}  PR-AUC {_num(v['pr_auc'])}  Brier {_num(v['brier'], 4)}  "
        f"precision@{v['k']} {_num(v['precision_at_k'])}  recall@{v['k']} {_num(v['recall_at_k'])}",
    ]
    for item in model.fairness.get("attributes", []):
        if item["below_four_fifths"] or item["recall_gap_exceeded"]:
            lines.append(
                f"Fairness check: {item['attribute']} flag-rate ratio "
                f"{_num(item['flag_rate_ratio'], 2)}, recall gap {_num(item['recall_gap'], 2)}"
            )
    return "\n".join(lines)


def _num(value: float | None, places: int = 3) -> str:
    return "—" if value is None else f"{value:.{places}f}"
