"""Seeded reference data: the measure catalogue and starting playbooks the office then edits."""

from __future__ import annotations

import math
from decimal import Decimal

# code, name, owning department kind, default days, unit cost (yuan), survey category
MEASURES: list[tuple[str, str, str, int, Decimal, str]] = [
    ("career_guidance", "职业生涯与创业指导", "employment", 30, Decimal("0"), "guidance"),
    ("resume_coaching", "简历与面试辅导", "employment", 21, Decimal("0"), "guidance"),
    ("hongzhi", "宏志助航就业能力培训", "employment", 60, Decimal("800"), "guidance"),
    ("skills_training", "职业技能培训与证书", "academic", 90, Decimal("1200"), "other"),
    ("psych_counselling", "心理咨询", "psych", 30, Decimal("0"), "counselling"),
    ("tutoring", "课程学习辅导", "academic", 60, Decimal("0"), "tutoring"),
    ("aid", "奖助学金与困难资助", "aid", 30, Decimal("2000"), "aid"),
    ("job_subsidy", "求职创业补贴", "aid", 45, Decimal("1000"), "aid"),
    ("job_push", "精准岗位推送", "employment", 30, Decimal("0"), "other"),
    ("traineeship", "就业见习", "employment", 90, Decimal("0"), "other"),
    ("mentoring", "一对一帮扶", "employment", 30, Decimal("0"), "guidance"),
    ("policy_briefing", "就业政策宣讲", "employment", 14, Decimal("0"), "guidance"),
]  # fmt: skip

# difficulty type → (measure, deadline in days after approval at level 3)
PLAYBOOKS: dict[str, list[tuple[str, int]]] = {
    "economic": [("aid", 14), ("job_subsidy", 30), ("job_push", 30), ("mentoring", 30)],
    "academic": [("tutoring", 30), ("mentoring", 30), ("career_guidance", 45)],
    "psychological": [("psych_counselling", 7), ("mentoring", 21), ("career_guidance", 45)],
    "disability": [("aid", 14), ("policy_briefing", 14), ("job_push", 30)],
    "employability": [("resume_coaching", 21), ("hongzhi", 60), ("skills_training", 90),
                      ("traineeship", 90)],
    "motivation": [("policy_briefing", 14), ("career_guidance", 21), ("mentoring", 30)],
    "long_term_unemployed": [("policy_briefing", 7), ("job_push", 14), ("job_subsidy", 30),
                             ("traineeship", 45)],
    "model_risk": [("career_guidance", 30), ("resume_coaching", 30), ("job_push", 30)],
    "other": [("mentoring", 30)],
}  # fmt: skip

# A key case (level 1) gets help sooner: the level-3 deadline times this share.
LEVEL_SHARE = {1: 0.5, 2: 0.75, 3: 1.0}
MIN_DEADLINE = 3


def deadline_for(days: int, level: int) -> int:
    return max(MIN_DEADLINE, math.ceil(days * LEVEL_SHARE[level]))
