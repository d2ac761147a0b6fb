"""Seeded reference data: difficulty types and a starting rule set the office then edits."""

from __future__ import annotations

from typing import Any

MODEL_TYPE = "model_risk"
"""The type of the risk model's signals: the model's, never chosen by a person."""

DIFFICULTY_TYPES: list[tuple[str, str, str, str]] = [
    ("economic", "经济困难", "家庭经济困难或属于重点群体", "family_finance"),
    ("academic", "学业困难", "不及格课程多、欠学分或受学业预警", ""),
    ("psychological", "心理困扰", "心理筛查需关注", "psychological"),
    ("disability", "身体残疾或健康", "残疾或长期健康问题", "health"),
    ("employability", "就业能力不足", "缺少实习经历与职业证书", ""),
    ("motivation", "求职动力不足", "慢就业、暂不就业或未登记求职意向", ""),
    ("long_term_unemployed", "离校长期未就业", "离校后较长时间未落实去向", ""),
    ("model_risk", "综合风险", "风险模型预测毕业时未落实去向的可能性高，原因见识别依据", ""),
    ("other", "其他", "其他原因", ""),
]

DEFAULT_RULES: list[dict[str, Any]] = [
    {"name": "近两学期不及格课程较多", "type": "academic", "level": 2,
     "condition": {"any": [{"field": "failed_courses_last2", "op": ">=", "value": 3},
                           {"field": "academic_warning", "op": ">=", "value": 2}]}},
    {"name": "家庭经济特别困难", "type": "economic", "level": 1,
     "condition": {"field": "economic_level", "op": "==", "value": "special"}},
    {"name": "家庭经济困难", "type": "economic", "level": 2,
     "condition": {"field": "economic_level", "op": "==", "value": "difficult"}},
    {"name": "重点群体", "type": "economic", "level": 1,
     "condition": {"field": "priority_groups", "op": ">=", "value": 1}},
    {"name": "心理筛查重点关注", "type": "psychological", "level": 1,
     "condition": {"field": "psych_level", "op": "==", "value": "key"}},
    {"name": "残疾学生", "type": "disability", "level": 1,
     "condition": {"field": "has_disability", "op": "is_true"}},
    {"name": "毕业前无实习无证书", "type": "employability", "level": 3,
     "condition": {"all": [{"field": "internships", "op": "==", "value": 0},
                           {"field": "certificates", "op": "==", "value": 0},
                           {"field": "years_to_graduation", "op": "==", "value": 0}]}},
    {"name": "毕业前暂不就业或未登记意向", "type": "motivation", "level": 3,
     "condition": {"all": [{"field": "intention_plan", "op": "in", "value": ["not_yet", ""]},
                           {"field": "years_to_graduation", "op": "==", "value": 0}]}},
]  # fmt: skip
