"""`jingzhun evaluate_hardship --card PATH --labels PATH [--scores PATH] [--folds 5]`.

Measures how well campus-card spending finds the students who receive aid, on
DataCastle-format files: ingest into a scratch lake, whole-period features per student,
stratified cross-validation of the hardship model beside a logistic-regression baseline, and
the top candidates with their reasons. The scores are candidate signals for review, not labels.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jingzhun.data.hardship import HardshipCandidate, HardshipParams
from jingzhun.data.hardship_evaluation import (
    SEEDS,
    TOP_SHARE,
    Evaluation,
    ModelScores,
    RepeatedScores,
    evaluate_card_file,
)


class Command(BaseCommand):
    help = (
        "Cross-validate the hidden-hardship model on a DataCastle card file and subsidy labels "
        "(optionally with ranks in college) and print per-class scores, the competition "
        "metric and a logistic-regression baseline on the same folds."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--card", type=Path, required=True, help="Card transactions file.")
        parser.add_argument("--labels", type=Path, required=True, help="id,subsidy file.")
        parser.add_argument("--scores", type=Path, help="id,college_id,rank_in_college file.")
        parser.add_argument("--folds", type=int, default=5, help="Cross-validation folds.")
        parser.add_argument(
            "--explain", type=int, default=5, help="Show this many top candidates with reasons."
        )
        parser.add_argument("--seed", type=int, default=HardshipParams.seed, help="Random seed.")
        parser.add_argument(
            "--repeats",
            type=int,
            default=len(SEEDS),
            help="Repeat the cross-validation over this many seeds of the fold split "
            "(0, 1, …) and print mean ± sd; 0 runs the single split of --seed only.",
        )

    def handle(
        self,
        *args: Any,
        card: str | Path,
        labels: str | Path,
        scores: str | Path | None,
        folds: int,
        explain: int,
        seed: int,
        repeats: int = len(SEEDS),
        **options: Any,
    ) -> None:
        # call_command() passes keyword options through without argparse's `type`.
        card_path, labels_path = Path(card), Path(labels)
        scores_path = Path(scores) if scores is not None else None
        for path in (card_path, labels_path, scores_path):
            if path is not None and not path.is_file():
                raise CommandError(_("No such file: %(path)s") % {"path": path})
        try:
            run = evaluate_card_file(
                card_path,
                labels_path,
                scores_path,
                folds=folds,
                explain=explain,
                params=HardshipParams(seed=seed),
                seeds=tuple(range(repeats)),
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        ingest = run.ingest
        self.stdout.write(
            _("card rows: %(rows)s imported, %(rejected)s rejected")
            % {"rows": ingest.imported, "rejected": ingest.rejected}
        )
        for line in evaluation_lines(run.evaluation) + candidate_lines(run.candidates):
            self.stdout.write(line)
        timings = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in run.seconds.items())
        self.stdout.write(_("time: %(timings)s") % {"timings": timings})


def evaluation_lines(evaluation: Evaluation) -> list[str]:
    lines = [
        _("students: %(labelled)s labelled, %(with_card)s with card rows; %(folds)s-fold "
          "stratified cross-validation; %(features)s features")
        % {"labelled": evaluation.n_students, "with_card": evaluation.n_with_card,
           "folds": evaluation.folds, "features": len(evaluation.features)},
    ]  # fmt: skip
    for scores in (evaluation.model, evaluation.baseline):
        lines += ["", *model_lines(scores)]
    if evaluation.repeated is not None:
        lines += ["", *repeated_lines(evaluation.repeated, len(evaluation.seeds))]
    lines += [_("note: %(note)s") % {"note": note} for note in evaluation.notes]
    return lines


def repeated_lines(repeated: tuple[RepeatedScores, ...], seeds: int) -> list[str]:
    """Mean ± sd over the seeds of the fold split, model and baseline side by side."""
    lines = [
        _("over %(seeds)s seeds of the fold split (mean ± sd):") % {"seeds": seeds},
        "  {:<32} {:>15} {:>15} {:>15} {:>15}".format(
            "",
            _("metric"),
            "ROC-AUC",
            "PR-AUC",
            _("precision@%(share)s%%") % {"share": round(TOP_SHARE * 100)},
        ),
    ]
    for r in repeated:
        cells = [
            f"{s.mean:.4f} ± {s.sd:.4f}"
            for s in (r.metric, r.roc_auc, r.pr_auc, r.precision_at_top)
        ]
        lines.append("  {:<32} {:>15} {:>15} {:>15} {:>15}".format(r.name, *cells))
    return lines


def model_lines(scores: ModelScores) -> list[str]:
    header = (_("aid level"), _("n"), _("precision"), _("recall"), _("F1"))
    lines = [scores.name, "  {:>6} {:>6} {:>9} {:>7} {:>6}".format(*header)]
    lines += [
        f"  {c.label:>6} {c.support:>6} {c.precision:>9.3f} {c.recall:>7.3f} {c.f1:>6.3f}"
        for c in scores.per_class
    ]
    lines.append(
        _("  metric Σ (n_c/N)·F1_c over 1000/1500/2000: %(metric).4f") % {"metric": scores.metric}
    )
    lines.append(
        _("  any aid: ROC-AUC %(roc).3f, PR-AUC %(pr).3f, precision in the top 5%%: %(top).3f")
        % {"roc": scores.roc_auc, "pr": scores.pr_auc, "top": scores.precision_at_top}
    )
    return lines


def candidate_lines(candidates: tuple[HardshipCandidate, ...]) -> list[str]:
    if not candidates:
        return []
    lines = ["", _("top candidates (a signal for a counsellor to review, never a label):")]
    for c in candidates:
        lines.append(
            _("  %(student)s: P(aid)=%(probability).2f, likeliest %(subsidy)s yuan — %(reasons)s")
            % {"student": c.student_id, "probability": c.probability, "subsidy": c.likely_class,
               "reasons": "；".join(r.text for r in c.reasons) or "—"}
        )  # fmt: skip
    return lines
