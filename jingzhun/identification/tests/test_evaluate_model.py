"""`evaluate_model` end to end: a file and a mapping in, the metric table and fairness out."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jingzhun.data.ml.synthetic import synthetic_cohorts

REPO = Path(__file__).resolve().parents[3]
MAPPINGS = REPO / "docs" / "mappings"
MODEL_ROWS = ("LightGBM (calibrated)", "LightGBM (uncalibrated)", "Logistic regression")
CELL = re.compile(r"(\d\.\d{3}) ± (\d\.\d{3})")

SYNTHETIC_MAPPING = {
    "outcome": {"column": "去向", "no_destination": ["待就业"]},
    "features": [
        {"column": "gpa", "kind": "numeric", "label": "平均学分绩点"},
        {"column": "failed_courses_last2", "kind": "numeric"},
        {"column": "internship_months", "kind": "numeric"},
        {"column": "career_events", "kind": "numeric"},
        {"column": "attendance_rate", "kind": "numeric"},
        {"column": "school", "kind": "categorical"},
    ],
    "protected": ["gender", "ethnicity"],
    "report_groups": ["hukou_type"],
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("evaluate_model", *args, "--n-jobs", "1", stdout=out)
    return out.getvalue()


def metric_row(output: str, model: str) -> list[tuple[float, float]]:
    """(mean, std) of ROC-AUC, PR-AUC, Brier, precision@k, recall@k for one model's row."""
    line = next(line for line in output.splitlines() if line.startswith(model))
    return [(float(m), float(s)) for m, s in CELL.findall(line)]


def write_inputs(tmp_path: Path, mapping: dict, *, with_cohort: bool = False) -> list[str]:
    """A UTF-8-BOM, semicolon-separated export like the UCI file, tab in one header included."""
    table = synthetic_cohorts(cohorts=(2022, 2023, 2024), rows_per_cohort=200, seed=11)
    table["去向"] = table.pop("no_destination").map({1: "待就业", 0: "签约就业"})
    table = table.rename(columns={"attendance_rate": "attendance_rate\t"})
    if not with_cohort:
        table = table.drop(columns=["cohort"])
    data = tmp_path / "students.csv"
    data.write_bytes(table.to_csv(sep=";", index=False).encode("utf-8-sig"))
    mapping_path = tmp_path / "mapping.json"
    mapping_path.write_text(json.dumps(mapping, ensure_ascii=False), "utf-8")
    return ["--data", str(data), "--mapping", str(mapping_path)]


def test_prints_both_models_on_the_same_folds_with_fairness(tmp_path: Path) -> None:
    output = run(*write_inputs(tmp_path, SYNTHETIC_MAPPING), "--folds", "3", "--capacity", "0.2")

    assert "Rows: 600; no destination:" in output
    assert "stratified 3-fold cross-validation (no cohort column" in output
    assert "Capacity: top 20% of each test fold (k = 40)" in output
    assert "precision@20%" in output and "recall@20%" in output
    for model in MODEL_ROWS:
        assert len(metric_row(output, model)) == 5
    for group in ("gender", "ethnicity", "hukou_type"):
        assert f"\n  {group}\n" in output
    assert "protected, never model inputs, used for fairness only: gender, ethnicity" in output
    assert "row " in output and "p=" in output  # reasons for the riskiest students of fold 1
    # The product's rule applied to the mean PR-AUC of the two rows above.
    trees, linear = metric_row(output, MODEL_ROWS[0])[1][0], metric_row(output, MODEL_ROWS[2])[1][0]
    picked = "LightGBM (calibrated)" if trees > linear + 0.005 else "Logistic regression"
    assert f"Product's pick: {picked} (mean PR-AUC LightGBM (calibrated) {trees:.3f} vs " in output


def test_a_cohort_column_gives_forward_folds(tmp_path: Path) -> None:
    mapping = {**SYNTHETIC_MAPPING, "cohort": "cohort"}
    output = run(*write_inputs(tmp_path, mapping, with_cohort=True), "--folds", "5")

    assert "forward by cohort: 2 folds" in output
    assert "leave-one-cohort-out" not in output.split("Calibration")[0]


def test_the_pick_follows_the_trees_when_they_are_clearly_better(tmp_path: Path) -> None:
    """An either-or outcome (many failed courses, or few internships, not both) that no
    weighted sum can draw: the trees win and the product would pick them."""
    rng = np.random.default_rng(4)
    failed, internships = rng.integers(0, 7, 600), rng.integers(0, 7, 600)
    outcome = ((failed >= 3) ^ (internships <= 2)) & (rng.random(600) < 0.95)
    table = pd.DataFrame({"failed": failed, "internships": internships,
                          "去向": np.where(outcome, "待就业", "签约就业")})  # fmt: skip
    data, mapping = tmp_path / "xor.csv", tmp_path / "xor.json"
    table.to_csv(data, index=False)
    mapping.write_text(json.dumps({
        "outcome": {"column": "去向", "no_destination": ["待就业"]},
        "features": [{"column": "failed", "kind": "numeric"},
                     {"column": "internships", "kind": "numeric"}],
    }), "utf-8")  # fmt: skip
    output = run("--data", str(data), "--mapping", str(mapping), "--folds", "3")
    trees, linear = metric_row(output, MODEL_ROWS[0])[1][0], metric_row(output, MODEL_ROWS[2])[1][0]
    assert trees > linear + 0.1  # measured 0.952 vs 0.757
    assert "Product's pick: LightGBM (calibrated) (mean PR-AUC" in output
    report = json.loads(run("--data", str(data), "--mapping", str(mapping), "--folds", "3",
                            "--json"))  # fmt: skip
    assert report["product_pick"] == "LightGBM (calibrated)"


def test_json_output_carries_every_fold(tmp_path: Path) -> None:
    output = run(*write_inputs(tmp_path, SYNTHETIC_MAPPING), "--folds", "3", "--json")
    report = json.loads(output)

    assert len(report["folds"]) == 3
    assert set(report["summary"]) == set(MODEL_ROWS)
    assert [a["attribute"] for a in report["fairness"]["attributes"]] == [
        "gender", "ethnicity", "hukou_type",
    ]  # fmt: skip
    assert report["rows"] == sum(f["test_rows"] for f in report["folds"]) == 600


def test_a_protected_column_mapped_as_a_feature_is_refused(tmp_path: Path) -> None:
    mapping = {
        **SYNTHETIC_MAPPING,
        "features": [*SYNTHETIC_MAPPING["features"], {"column": "gender", "kind": "categorical"}],
    }
    with pytest.raises(
        CommandError, match=r"protected attributes cannot be model inputs .*: gender"
    ):
        run(*write_inputs(tmp_path, mapping))


def test_bad_arguments_fail_before_any_work(tmp_path: Path) -> None:
    args = write_inputs(tmp_path, SYNTHETIC_MAPPING)
    with pytest.raises(CommandError, match="capacity"):
        run(*args, "--capacity", "1.5")
    with pytest.raises(CommandError, match="No such file"):
        run("--data", str(tmp_path / "missing.csv"), "--mapping", args[3])


@pytest.mark.realdata
def test_campus_recruitment(realdata_dir: Path) -> None:
    output = run(
        "--data", str(realdata_dir / "campus_recruitment" / "Placement_Data_Full_Class.csv"),
        "--mapping", str(MAPPINGS / "campus_recruitment.json"),
    )  # fmt: skip

    assert "Rows: 215; no destination: 67 (31.2%); features: 11" in output
    for model in MODEL_ROWS:
        assert len(metric_row(output, model)) == 5
    (auc, _), *_ = metric_row(output, "LightGBM (calibrated)")
    assert auc > 0.8  # measured 0.922 ± 0.066
    assert "\n  gender\n" in output
    # Measured: PR-AUC 0.880 (trees) vs 0.882 (logistic regression): a tie, the simpler model.
    assert (
        "Product's pick: Logistic regression (mean PR-AUC LightGBM (calibrated) 0.880 vs "
        "Logistic regression 0.882;" in output
    )


@pytest.mark.realdata
def test_uci_dropout(realdata_dir: Path) -> None:
    output = run(
        "--data", str(realdata_dir / "uci_dropout" / "data.csv"),
        "--mapping", str(MAPPINGS / "uci_dropout.json"),
    )  # fmt: skip

    assert "Rows: 4424; no destination: 1421 (32.1%); features: 29" in output
    for model in MODEL_ROWS:
        assert len(metric_row(output, model)) == 5
    (auc, _), *_ = metric_row(output, "LightGBM (calibrated)")
    assert auc > 0.9  # measured 0.921 ± 0.008
    assert "\n  Gender\n" in output and "\n  Nacionality\n" in output
    # Measured: PR-AUC 0.883 both: a tie, the simpler model.
    assert (
        "Product's pick: Logistic regression (mean PR-AUC LightGBM (calibrated) 0.883 vs "
        "Logistic regression 0.883;" in output
    )


def test_mapping_files_are_valid_and_keep_protected_columns_out() -> None:
    for path in sorted(MAPPINGS.glob("*.json")):
        mapping = json.loads(path.read_text("utf-8"))
        features = {f["column"] for f in mapping["features"]}
        assert not features & set(mapping["protected"]), path.name
        assert not features & set(mapping.get("ignored", {})), path.name
    assert len(list(MAPPINGS.glob("*.json"))) == 2


def test_synthetic_export_reads_back(tmp_path: Path) -> None:
    """Guard for the helper itself: the BOM and the tab really are in the file."""
    args = write_inputs(tmp_path, SYNTHETIC_MAPPING)
    raw = Path(args[1]).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"attendance_rate\t;" in raw
    assert len(pd.read_csv(args[1], sep=";", encoding="utf-8-sig")) == 600
