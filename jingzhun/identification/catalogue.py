"""The per-student features rules may use: names, Chinese labels, units, sensitivity.

Pure data. `snapshot.py` computes these columns from the registry; `rules.py` checks that a
rule only names columns listed here, and uses the labels to explain a hit in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from jingzhun.org.roles import Sensitivity


class FeatureKind(StrEnum):
    NUMBER = "number"
    CHOICE = "choice"
    FLAG = "flag"
    TEXT = "text"
    DATE = "date"


POINT = "as_of"
"""The column of a feature table holding each row's point in time (the run's day), which
relative date conditions ("within the last 90 days") count back from."""


@dataclass(frozen=True)
class Feature:
    name: str
    label: str
    kind: FeatureKind
    unit: str = ""
    sensitivity: Sensitivity | None = None
    choices: tuple[tuple[str, str], ...] = ()

    def show(self, value: object) -> str:
        if self.kind is FeatureKind.FLAG:
            return "是" if value else "否"
        if self.kind is FeatureKind.CHOICE:
            return dict(self.choices).get(
                str(value), str(value) if value not in (None, "") else "无"
            )
        if self.kind in (FeatureKind.TEXT, FeatureKind.DATE):
            if value is None or value == "" or value != value:  # None, blank, NaN/NaT
                return "无"
            return str(value)[:10] if self.kind is FeatureKind.DATE else str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value}{(' ' + self.unit) if self.unit else ''}"


ECONOMIC_LEVELS = (
    ("special", "特别困难"),
    ("difficult", "困难"),
    ("somewhat", "一般困难"),
    ("none", "不困难"),
)
PSYCH_LEVELS = (("normal", "无异常"), ("attention", "一般关注"), ("key", "重点关注"))
PLANS = (
    ("employment", "就业"), ("upgrade", "专升本"), ("postgraduate", "考研"), ("civil_service", "考公"),
    ("military", "参军"), ("entrepreneurship", "创业"), ("abroad", "出国"), ("not_yet", "暂不就业"),
)  # fmt: skip

FEATURES: tuple[Feature, ...] = (
    Feature("failed_courses_last2", "近两学期不及格课程", FeatureKind.NUMBER, "门"),
    Feature("failed_courses_total", "累计不及格课程", FeatureKind.NUMBER, "门"),
    Feature("gpa_latest", "最近一学期平均学分绩点", FeatureKind.NUMBER),
    Feature("credits_owed", "欠学分", FeatureKind.NUMBER, "分"),
    Feature("academic_warning", "学业预警等级", FeatureKind.NUMBER, "级"),
    Feature("economic_level", "家庭经济困难认定", FeatureKind.CHOICE, sensitivity=Sensitivity.FAMILY_FINANCE, choices=ECONOMIC_LEVELS),
    Feature("priority_groups", "重点群体类别数", FeatureKind.NUMBER, "类", sensitivity=Sensitivity.FAMILY_FINANCE),
    Feature("has_disability", "残疾", FeatureKind.FLAG, sensitivity=Sensitivity.HEALTH),
    Feature("psych_level", "心理筛查结果", FeatureKind.CHOICE, sensitivity=Sensitivity.PSYCHOLOGICAL, choices=PSYCH_LEVELS),
    Feature("internships", "实习经历", FeatureKind.NUMBER, "段"),
    Feature("certificates", "证书", FeatureKind.NUMBER, "项"),
    Feature("intention_plan", "毕业打算", FeatureKind.CHOICE, choices=(*PLANS, ("", "未登记"))),
    Feature("years_to_graduation", "距毕业", FeatureKind.NUMBER, "年"),
    Feature("rural", "农村户籍", FeatureKind.FLAG),
    # Text and dates: for rules only (the risk model takes numbers, choices and flags).
    Feature("major_name", "专业", FeatureKind.TEXT),
    Feature("hukou_region_code", "户籍地区代码", FeatureKind.TEXT),
    Feature("intention_recorded_on", "最近登记毕业打算", FeatureKind.DATE),
    # Campus behaviour, from the newest behaviour snapshot (the term of the point or before).
    # Spending reveals family finances.
    Feature("meal_cost_mean", "食堂顿均消费", FeatureKind.NUMBER, "元", sensitivity=Sensitivity.FAMILY_FINANCE),
    Feature("meals_per_day", "就餐日平均就餐", FeatureKind.NUMBER, "顿", sensitivity=Sensitivity.FAMILY_FINANCE),
    Feature("cheap_meal_share", "低价餐次占比", FeatureKind.NUMBER, sensitivity=Sensitivity.FAMILY_FINANCE),
    Feature("no_canteen_days", "未在食堂就餐的天数", FeatureKind.NUMBER, "天", sensitivity=Sensitivity.FAMILY_FINANCE),
    Feature("daily_spend_mean", "日均消费", FeatureKind.NUMBER, "元", sensitivity=Sensitivity.FAMILY_FINANCE),
    Feature("library_entries_per_window", "每 30 天图书馆刷卡", FeatureKind.NUMBER, "次"),
    Feature("job_applications", "就业平台投递简历", FeatureKind.NUMBER, "份"),
    Feature("dorm_late_entries", "晚归", FeatureKind.NUMBER, "次"),
    Feature("hardship_score", "隐性经济困难评分", FeatureKind.NUMBER, sensitivity=Sensitivity.FAMILY_FINANCE),
)  # fmt: skip
BEHAVIOUR_FEATURES = (
    "meal_cost_mean", "meals_per_day", "cheap_meal_share", "no_canteen_days", "daily_spend_mean",
    "library_entries_per_window", "job_applications", "dorm_late_entries", "hardship_score",
)  # fmt: skip
FEATURES_BY_NAME = {f.name: f for f in FEATURES}


# Most restricted first: a text that cites several of these is shown only to those who may
# open the first one it cites.
SENSITIVITY_ORDER = (Sensitivity.PSYCHOLOGICAL, Sensitivity.HEALTH, Sensitivity.FAMILY_FINANCE)


def strictest(sensitivities: Iterable[Sensitivity | None]) -> Sensitivity | None:
    used = set(sensitivities)
    return next((s for s in SENSITIVITY_ORDER if s in used), None)
