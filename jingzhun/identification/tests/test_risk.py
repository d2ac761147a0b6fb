"""The pure side of the risk model in identification: inputs, labels, stages, reasons."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from jingzhun.data import ml
from jingzhun.identification.risk import (
    PROTECTED,
    explanation,
    group_columns,
    model_inputs,
    model_schema,
    newest_labelled_cohort,
    no_destination,
    reasons_sensitivity,
    stage_points,
)


def test_the_schema_takes_the_catalogue_without_protected_columns():
    schema = model_schema()
    assert "rural" not in schema.names and not set(schema.names) & PROTECTED
    assert schema.protected_names() >= {"gender", "ethnicity", "hukou_type", "school", "rural"}
    with pytest.raises(ml.ProtectedAttributeError):
        ml.FeatureSchema(
            (*schema.features, ml.FeatureSpec("rural", ml.FeatureKind.NUMERIC)), PROTECTED
        )
    kinds = {s.name: s.kind.value for s in schema.features}
    assert (kinds["failed_courses_last2"], kinds["economic_level"], kinds["has_disability"]) == (
        "numeric", "categorical", "categorical",
    )  # fmt: skip


def test_inputs_read_as_a_counsellor_would():
    frame = pd.DataFrame({
        "failed_courses_last2": [5.0, 0.0], "failed_courses_total": [7.0, 0.0], "gpa_latest": [1.85, None],
        "credits_owed": [12.5, 0.0], "academic_warning": [2.0, None], "economic_level": ["special", None],
        "priority_groups": [1, 0], "has_disability": [True, False], "psych_level": [None, "key"],
        "internships": [0, 2], "certificates": [0, 1], "intention_plan": ["", "not_yet"],
        "years_to_graduation": [0, 2], "rural": [True, False], "meal_cost_mean": [3.2, None],
    }, index=[11, 12])  # fmt: skip
    inputs = model_inputs(frame)
    assert inputs.loc[11, "meal_cost_mean"] == 3.2 and np.isnan(
        inputs.loc[11, "meals_per_day"]
    )  # no snapshot
    assert "hardship_score" not in inputs and "rural" not in inputs
    assert list(inputs.columns) == model_schema().names
    assert inputs.loc[11, ["economic_level", "has_disability", "psych_level", "intention_plan"]].tolist() == [
        "特别困难", "是", "无", "未登记",
    ]  # fmt: skip
    assert inputs.loc[12, ["economic_level", "has_disability", "psych_level", "intention_plan"]].tolist() == [
        "无", "否", "重点关注", "暂不就业",
    ]  # fmt: skip
    assert np.isnan(inputs.loc[12, "gpa_latest"]) and inputs.loc[11, "gpa_latest"] == 1.85


@pytest.mark.parametrize(
    ("category", "recorded_on", "label"),
    [
        ("employed", "2025-06-30", 0),
        ("further_study", "2025-08-31", 0),
        ("employed", "2025-09-01", 1),  # placed only after the deadline
        ("not_placed", "2025-05-01", 1),
        (None, None, 1),  # graduated without any destination on record
    ],
)
def test_the_label_is_no_placed_destination_by_31_august(category, recorded_on, label):
    result = no_destination(pd.Series([category]), pd.Series([recorded_on]), pd.Series([2025]))
    assert result.tolist() == [label]


@pytest.mark.parametrize(
    ("as_of", "newest"),
    [(dt.date(2026, 11, 26), 2026), (dt.date(2026, 8, 31), 2025), (dt.date(2026, 3, 1), 2025)],
)
def test_a_cohort_is_labelled_once_its_deadline_has_passed(as_of, newest):
    assert newest_labelled_cohort(as_of) == newest


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Autumn: the final year started the September before graduation.
        (dt.date(2026, 11, 26), ["2023-11-26", "2022-11-26", "2021-11-26"]),
        # Spring: still the same academic year as graduation.
        (dt.date(2026, 3, 1), ["2024-03-01", "2023-03-01", "2022-03-01"]),
        # 29 February falls back to the 28th in other years.
        (dt.date(2028, 2, 29), ["2024-02-29", "2023-02-28", "2022-02-28"]),
    ],
)
def test_each_graduate_is_seen_once_per_year_of_study(as_of, expected):
    points = stage_points(pd.DataFrame({"id": [7], "cohort": [2024], "entry_year": [2021]}), as_of)
    assert points["as_of"].dt.strftime("%Y-%m-%d").tolist() == expected
    assert (points["student_id"].tolist(), points["k"].tolist()) == ([7, 7, 7], [0, 1, 2])


def test_fairness_groups_compare_han_with_minorities():
    students = pd.DataFrame({
        "gender": ["F", "M"], "ethnicity": ["01", "03"], "hukou_type": ["rural", ""], "school": ["信息工程学院"] * 2,
    })  # fmt: skip
    groups = group_columns(students)
    assert groups["ethnicity"].tolist() == ["han", "minority"]
    assert groups["hukou_type"].isna().tolist() == [False, True]


def _reasons(*features: str) -> ml.StudentReasons:
    return ml.StudentReasons(
        key=1,
        probability=0.6234,
        reasons=tuple(ml.Reason(f, "1", 0.5, f"{f} 文本") for f in features),
    )


def test_the_explanation_leads_with_the_probability():
    reasons = ml.StudentReasons(1, 0.6234, (
        ml.Reason("failed_courses_last2", "5", 0.9, "近两学期不及格课程 5 门"),
        ml.Reason("internships", "0", 0.4, "实习经历 0 段"),
    ))  # fmt: skip
    assert (
        explanation(reasons)
        == "模型预测未落实去向概率 0.62：近两学期不及格课程 5 门；实习经历 0 段"
    )
    assert explanation(ml.StudentReasons(1, 0.5, ())) == "模型预测未落实去向概率 0.50"


@pytest.mark.parametrize(
    ("features", "sensitivity"),
    [
        (("failed_courses_last2", "internships"), None),
        (("failed_courses_last2", "economic_level"), "family_finance"),
        (("economic_level", "psych_level", "has_disability"), "psychological"),
    ],
)
def test_a_model_signal_is_as_sensitive_as_the_values_it_cites(features, sensitivity):
    assert reasons_sensitivity(_reasons(*features)) == sensitivity
