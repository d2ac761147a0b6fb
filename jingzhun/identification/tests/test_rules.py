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
