"""Rule evaluation and explanation: table-driven, over in-memory frames, no database."""

from __future__ import annotations

import pandas as pd
import pytest

from jingzhun.identification.rules import (
    RuleError,
    evaluate,
    explain,
    explain_frame,
    sensitivity_of,
    validate,
)

FRAME = pd.DataFrame(
    [
        {"failed_courses_last2": 5, "gpa_latest": 1.8, "economic_level": "special", "psych_level": "normal",
         "has_disability": False, "internships": 0, "certificates": 0, "intention_plan": "not_yet", "rural": True},
        {"failed_courses_last2": 0, "gpa_latest": 3.6, "economic_level": "none", "psych_level": "key",
         "has_disability": True, "internships": 2, "certificates": 1, "intention_plan": "employment", "rural": False},
        {"failed_courses_last2": 3, "gpa_latest": None, "economic_level": None, "psych_level": "attention",
         "has_disability": False, "internships": 0, "certificates": 2, "intention_plan": "", "rural": True},
    ],
    index=[101, 102, 103],
)  # fmt: skip


@pytest.mark.parametrize(
    ("condition", "hits"),
    [
        ({"field": "failed_courses_last2", "op": ">=", "value": 3}, [101, 103]),
        ({"field": "failed_courses_last2", "op": ">", "value": 3}, [101]),
        ({"field": "gpa_latest", "op": "<", "value": 2.0}, [101]),  # missing GPA never matches
        ({"field": "gpa_latest", "op": "between", "value": [1.5, 3.6]}, [101, 102]),
        ({"field": "economic_level", "op": "in", "value": ["special", "difficult"]}, [101]),
        ({"field": "economic_level", "op": "not_in", "value": ["special"]}, [102]),
        ({"field": "psych_level", "op": "==", "value": "key"}, [102]),
        ({"field": "has_disability", "op": "is_true"}, [102]),
        ({"field": "rural", "op": "is_false"}, [102]),
        ({"field": "intention_plan", "op": "==", "value": ""}, [103]),
        (
            {"all": [{"field": "internships", "op": "==", "value": 0}, {"field": "certificates", "op": "==", "value": 0}]},
            [101],
        ),
        (
            {"any": [{"field": "psych_level", "op": "in", "value": ["attention", "key"]},
                     {"all": [{"field": "rural", "op": "is_true"}, {"field": "gpa_latest", "op": "<", "value": 2}]}]},
            [101, 102, 103],
        ),
    ],
)  # fmt: skip
def test_evaluate(condition, hits):
    validate(condition)
    mask = evaluate(condition, FRAME)
    assert list(FRAME.index[mask]) == hits


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({"field": "salary", "op": ">", "value": 1}, "未知字段：salary"),
        ({"field": "gpa_latest", "op": "in", "value": [1]}, "不支持运算 in"),
        ({"field": "gpa_latest", "op": ">", "value": "2"}, "阈值必须是数字"),
        ({"field": "gpa_latest", "op": "between", "value": [1]}, "需要两个数"),
        ({"field": "economic_level", "op": "==", "value": "poor"}, "取值必须在"),
        ({"all": []}, "非空的 all 或 any 列表"),
        (
            {"all": [{"field": "gpa_latest", "op": ">", "value": 1}], "any": []},
            "非空的 all 或 any 列表",
        ),
    ],
)
def test_validate_names_the_problem(condition, message):
    with pytest.raises(RuleError, match=message):
        validate(condition)


def test_explanation_uses_the_students_values_and_thresholds():
    condition = {"all": [
        {"field": "failed_courses_last2", "op": ">=", "value": 3},
        {"any": [{"field": "economic_level", "op": "in", "value": ["special", "difficult"]},
                 {"field": "rural", "op": "is_true"}]},
    ]}  # fmt: skip
    row = FRAME.loc[101].to_dict()
    assert (
        explain(condition, row)
        == "近两学期不及格课程 5 门（阈值 ≥3）；家庭经济困难认定：特别困难；农村户籍"
    )


def test_explanations_of_a_whole_frame_at_once():
    condition = {"any": [
        {"field": "failed_courses_last2", "op": ">=", "value": 3},
        {"field": "gpa_latest", "op": "between", "value": [1.5, 3.6]},
        {"field": "intention_plan", "op": "in", "value": ["", "not_yet"]},
        {"field": "has_disability", "op": "is_true"},
    ]}  # fmt: skip
    assert explain_frame(condition, FRAME).to_dict() == {
        101: "近两学期不及格课程 5 门（阈值 ≥3）；最近一学期平均学分绩点 1.8（阈值 1.5–3.6）；毕业打算：暂不就业",
        102: "最近一学期平均学分绩点 3.6（阈值 1.5–3.6）；残疾",
        103: "近两学期不及格课程 3 门（阈值 ≥3）；毕业打算：未登记",
    }
    assert explain_frame(condition, FRAME.iloc[:0]).empty


def test_sensitivity_is_the_most_restricted_field_read():
    assert sensitivity_of({"field": "failed_courses_last2", "op": ">", "value": 1}) is None
    mixed = {
        "any": [
            {"field": "economic_level", "op": "==", "value": "special"},
            {"field": "psych_level", "op": "==", "value": "key"},
        ]
    }
    assert sensitivity_of(mixed) == "psychological"


# Text and date fields: each row has its own point (a run's day; training rows differ).
DATED = pd.DataFrame(
    {
        "major_name": ["护理", "计算机应用技术", "", None],
        "hukou_region_code": ["411522", "410105", "411523", ""],
        "intention_recorded_on": pd.to_datetime(["2026-10-20", "2026-03-01", None, "2026-12-01"]),
        "as_of": pd.to_datetime(["2026-11-26", "2026-11-26", "2026-11-26", "2026-11-26"]),
    },
    index=[1, 2, 3, 4],
)


@pytest.mark.parametrize(
    ("condition", "hits"),
    [
        ({"field": "major_name", "op": "==", "value": "护理"}, [1]),
        ({"field": "major_name", "op": "contains", "value": "计算机"}, [2]),
        # blank and missing text never match, not even "does not contain"
        ({"field": "major_name", "op": "not_contains", "value": "护理"}, [2]),
        ({"field": "major_name", "op": "!=", "value": "护理"}, [2]),
        ({"field": "hukou_region_code", "op": "starts_with", "value": ["411522", "411523"]}, [1, 3]),
        ({"field": "hukou_region_code", "op": "starts_with", "value": ["4115"]}, [1, 3]),
        ({"field": "intention_recorded_on", "op": "before", "value": "2026-09-01"}, [2]),
        ({"field": "intention_recorded_on", "op": "after", "value": "2026-10-20"}, [4]),
        ({"field": "intention_recorded_on", "op": "within_days", "value": 37}, [1]),
        ({"field": "intention_recorded_on", "op": "within_days", "value": 36}, []),
        # a date after the point is not "within the last N days" (nor older than N days)
        ({"field": "intention_recorded_on", "op": "older_than_days", "value": 180}, [2]),
        ({"field": "intention_recorded_on", "op": "older_than_days", "value": 270}, []),
    ],
)  # fmt: skip
def test_evaluate_text_and_dates(condition, hits):
    validate(condition)
    assert list(DATED.index[evaluate(condition, DATED)]) == hits


def test_text_and_date_explanations_and_descriptions():
    from jingzhun.identification.rules import describe

    condition = {"all": [
        {"field": "hukou_region_code", "op": "starts_with", "value": ["411522", "411523"]},
        {"field": "intention_recorded_on", "op": "older_than_days", "value": 180},
    ]}  # fmt: skip
    assert (
        describe(condition)
        == "户籍地区代码 开头为 411522、411523 且 最近登记毕业打算 距今超过 180 天"
    )
    row = DATED.loc[2].to_dict() | {"hukou_region_code": "411522"}
    # The student's reason names the place (province and prefecture), never the county code.
    assert explain(condition, row) == (
        "户籍地：河南省信阳市；最近登记毕业打算 2026-03-01（条件：距今超过 180 天）"
    )


@pytest.mark.parametrize(
    ("field", "op", "text", "value"),
    [
        ("major_name", "contains", " 护理 ", "护理"),
        ("hukou_region_code", "starts_with", "411522、411523，411524", ["411522", "411523", "411524"]),
        ("intention_recorded_on", "before", "2026/9/1", "2026-09-01"),
        ("intention_recorded_on", "after", "2026.10.01", "2026-10-01"),
        ("intention_recorded_on", "within_days", "90天", 90),
    ],
)  # fmt: skip
def test_editor_values_for_text_and_dates_round_trip(field, op, text, value):
    from jingzhun.identification.catalogue import FEATURES_BY_NAME
    from jingzhun.identification.rules import parse_value, value_text

    feature = FEATURES_BY_NAME[field]
    assert parse_value(feature, op, text) == value
    assert parse_value(feature, op, value_text(feature, op, value)) == value


@pytest.mark.parametrize(
    ("field", "op", "text", "message"),
    [
        ("major_name", "contains", "", "“专业”需要 1–100 个字的文字"),
        ("intention_recorded_on", "before", "2026-02-30", "“最近登记毕业打算”需要日期，例如 2026-09-01"),
        ("intention_recorded_on", "before", "上个月", "“最近登记毕业打算”需要日期，例如 2026-09-01"),
        ("intention_recorded_on", "within_days", "0", "“最近登记毕业打算”的天数必须是 1–3650 的整数"),
        ("intention_recorded_on", "within_days", "-3", "“最近登记毕业打算”的天数必须是 1–3650 的整数"),
    ],
)  # fmt: skip
def test_editor_refuses_bad_text_and_dates(field, op, text, message):
    from jingzhun.identification.catalogue import FEATURES_BY_NAME
    from jingzhun.identification.rules import parse_value

    with pytest.raises(RuleError) as exc:
        parse_value(FEATURES_BY_NAME[field], op, text)
    assert str(exc.value) == message


@pytest.mark.parametrize(
    "condition",
    [
        {"field": "major_name", "op": ">", "value": "护理"},
        {"field": "major_name", "op": "starts_with", "value": "41"},  # a list is required
        {"field": "intention_recorded_on", "op": "before", "value": "soon"},
        {"field": "intention_recorded_on", "op": "within_days", "value": 2.5},
    ],
)
def test_validate_refuses_stored_text_and_date_conditions(condition):
    with pytest.raises(RuleError):
        validate(condition)


def test_text_and_dates_are_never_model_inputs():
    from jingzhun.identification.risk import model_schema

    names = {spec.name for spec in model_schema().features}
    assert {"major_name", "hukou_region_code", "intention_recorded_on"}.isdisjoint(names)
    assert "failed_courses_last2" in names
