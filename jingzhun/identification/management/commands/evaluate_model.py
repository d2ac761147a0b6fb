"""`jingzhun evaluate_model --data PATH --mapping MAPPING`: how well would the risk model do here?

Reads an external table (CSV in UTF-8, UTF-8-BOM or GB18030 with any common separator, or a
spreadsheet), cross-validates the risk pipeline beside a logistic-regression baseline on the
same folds, and prints the metrics, which of the two the product would recommend on this
table (its rule applied to the mean PR-AUC: `jingzhun.data.ml.choice`), and a fairness
summary. All the work is in `jingzhun.data.ml`; this command only reads files and prints.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from jingzhun.core.tabular import TableReadError, read_table
from jingzhun.data.ml import (
    DEFAULT_CAPACITY,
    MappingError,
    ProtectedAttributeError,
    RiskModelConfig,
    evaluate_external,
    frame_from_rows,
    load_mapping,
    render_report,
)
from jingzhun.data.ml.crossval import DEFAULT_FOLDS


class Command(BaseCommand):
    help = (
        "Cross-validate the risk model and a logistic baseline on an external table, say "
        "which the product would pick, with a fairness summary for the protected columns."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--data", type=Path, required=True, help="CSV or spreadsheet")
        parser.add_argument("--mapping", type=Path, required=True, help="JSON column mapping")
        parser.add_argument("--folds", type=int, default=DEFAULT_FOLDS)
        parser.add_argument(
            "--capacity", type=float, default=DEFAULT_CAPACITY, help="share of students flagged"
        )
        parser.add_argument(
            "--n-jobs", type=int, default=RiskModelConfig().n_jobs, help="LightGBM threads"
        )
        parser.add_argument("--json", action="store_true", help="print the full report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        if not 0 < options["capacity"] <= 1:
            raise CommandError("--capacity is a share of students in (0, 1]")
        data_path: Path = options["data"]
        try:
            table = read_table(data_path.read_bytes(), data_path.name)
            mapping = load_mapping(options["mapping"])
            report, notes = evaluate_external(
                frame_from_rows(table.rows),
                mapping,
                folds=options["folds"],
                capacity=options["capacity"],
                config=replace(RiskModelConfig(), n_jobs=options["n_jobs"]),
            )
        except (OSError, TableReadError, MappingError, ProtectedAttributeError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            payload = {**report.to_dict(), "notes": notes}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
        else:
            self.stdout.write(render_report(report, source=str(data_path), notes=notes), ending="")
