"""Plain-text rendering of a cross-validation report, for the operator's terminal."""

from __future__ import annotations

from collections.abc import Sequence

from jingzhun.data.ml.choice import CRITERION, TIE_MARGIN
from jingzhun.data.ml.crossval import (
    BASELINE,
    LIGHTGBM,
    MODELS,
    SUMMARY_METRICS,
    CrossValidationReport,
    MetricSummary,
)
from jingzhun.data.ml.fairness import AttributeFairness, FairnessReport

MODEL_WIDTH = 25
CELL_WIDTH = 16
WARNING = "  <-- check"


def percent(value: float) -> str:
    return f"{value:.0%}" if round(value * 100, 6).is_integer() else f"{value:.1%}"


def cell(summary: MetricSummary) -> str:
    if summary.mean is None:
        return "n/a"
    if summary.std is None:
        return f"{summary.mean:.3f}"
    return f"{summary.mean:.3f} ± {summary.std:.3f}"


def metric_headers(capacity: float) -> list[str]:
    at = f"@{percent(capacity)}"
    names = {
        "roc_auc": "ROC-AUC",
        "pr_auc": "PR-AUC",
        "brier": "Brier",
        "precision_at_k": f"precision{at}",
        "recall_at_k": f"recall{at}",
    }
    return [names[m] for m in SUMMARY_METRICS]


def metrics_table(report: CrossValidationReport) -> list[str]:
    header = "model".ljust(MODEL_WIDTH) + "".join(
        h.ljust(CELL_WIDTH) for h in metric_headers(report.capacity)
    )
    lines = [header.rstrip()]
    for model in MODELS:
        cells = "".join(cell(report.summary[model][m]).ljust(CELL_WIDTH) for m in SUMMARY_METRICS)
        lines.append((model.ljust(MODEL_WIDTH) + cells).rstrip())
    return lines


def pick_line(report: CrossValidationReport) -> str:
    """Which model the product would recommend here, and by what rule."""
    trees, linear = (report.summary[m][CRITERION].mean for m in (LIGHTGBM, BASELINE))
    shown = " vs ".join(
        f"{name} {'n/a' if value is None else f'{value:.3f}'}"
        for name, value in ((LIGHTGBM, trees), (BASELINE, linear))
    )
    return (
        f"Product's pick: {report.product_pick} (mean PR-AUC {shown}; the higher wins, within "
        f"{TIE_MARGIN} the simpler logistic regression)"
    )


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def attribute_lines(attribute: AttributeFairness, report: FairnessReport) -> list[str]:
    lines = [
        f"  {attribute.attribute}",
        "    group                 rows  positives  flagged  flag rate  precision  recall",
    ]
    for g in attribute.groups:
        if g.compared:
            lines.append(
                f"    {g.group[:20]:<20}{g.rows:>6}{g.positives:>11}{g.flagged:>9}"
                f"{g.flag_rate:>11.3f}{_share(g.precision):>11}{_share(g.recall):>8}"
            )
    small = [g for g in attribute.groups if not g.compared]
    if small:
        lines.append(
            f"    + {len(small)} groups under {report.min_group_rows} rows, not compared "
            f"({sum(g.rows for g in small)} rows, {sum(g.flagged for g in small)} flagged; "
            "see --json)"
        )
    ratio_note = WARNING if attribute.below_four_fifths else ""
    recall_note = WARNING if attribute.recall_gap_exceeded else ""
    lines.append(
        f"    flag-rate ratio lowest/highest: {_share(attribute.flag_rate_ratio)}"
        f" (four-fifths rule: >= {report.four_fifths}){ratio_note}"
    )
    lines.append(
        f"    recall gap: {_share(attribute.recall_gap)} (limit {report.recall_gap_limit})"
        f"{recall_note}; precision gap: {_share(attribute.precision_gap)}"
    )
    return lines


def fairness_lines(report: CrossValidationReport) -> list[str]:
    fairness = report.fairness
    if not fairness.attributes:
        return ["Fairness: no protected or group columns in the mapping."]
    lines = [
        f"Fairness of the LightGBM flags (top {percent(report.capacity)} of each test fold, "
        "pooled):"
    ]
    for attribute in fairness.attributes:
        lines.extend(attribute_lines(attribute, fairness))
    return lines


def example_lines(report: CrossValidationReport) -> list[str]:
    if not report.examples:
        return []
    lines = ["Reasons for the highest-risk students of fold 1 (row numbers of the file's data):"]
    for student in report.examples:
        reasons = "；".join(r.text for r in student.reasons) or "(no positive contribution)"
        lines.append(f"  row {student.key}  p={student.probability:.3f}  {reasons}")
    return lines


def render_report(report: CrossValidationReport, *, source: str, notes: Sequence[str] = ()) -> str:
    first = report.folds[0]
    k_values = sorted({f.metrics[MODELS[0]].k for f in report.folds})
    lines = [
        f"Risk model evaluation: {source}",
        f"Rows: {report.rows}; no destination: {report.positives} "
        f"({report.positives / report.rows:.1%}); features: {len(report.features)}",
        f"Validation: {report.design}",
        f"Calibration (fitted inside each training fold): {first.calibration}",
        f"Capacity: top {percent(report.capacity)} of each test fold "
        f"(k = {', '.join(str(k) for k in k_values)})",
        "",
        *metrics_table(report),
        pick_line(report),
        "",
        *fairness_lines(report),
    ]
    examples = example_lines(report)
    if examples:
        lines += ["", *examples]
    if notes:
        lines += ["", *(f"Note: {note}" for note in notes)]
    return "\n".join(lines) + "\n"
