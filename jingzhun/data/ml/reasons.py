"""Why a student was flagged, in Chinese a counsellor can act on.

Reasons are the features with the largest positive contributions to the log-odds — LightGBM's
`pred_contrib` of the uncalibrated score (calibration is monotone, so they explain the ranking
too), or the linear model's coefficient × standardised value — phrased with the student's own
value, the same words whichever model flagged the student. Contributions cost far more than scoring, so only the
flagged students — the top of the list or those above a threshold — are explained.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from jingzhun.data.ml.features import MISSING_TEXT, display_value
from jingzhun.data.ml.linear import Scorer
from jingzhun.data.ml.metrics import capacity_flags
from jingzhun.data.ml.schema import FeatureSpec

DEFAULT_TOP_REASONS = 3

# Keyed by the feature pipeline's names; a FeatureSpec's own `phrase` wins over this table.
PHRASES: Mapping[str, str] = {
    # registry and academic record
    "failed_courses_last2": "近两学期不及格课程 {value} 门",
    "failed_courses": "累计不及格课程 {value} 门",
    "credits_owed": "欠修学分 {value} 分",
    "gpa": "平均学分绩点 {value}",
    "attendance_rate": "出勤率 {value}",
    "internship_months": "实习经历 {value} 个月",
    "career_events": "参加就业指导活动 {value} 次",
    "certificates": "职业资格证书 {value} 本",
    "school": "所在学院：{value}",
    "major": "所学专业：{value}",
    # campus card (jingzhun.data.features.card)
    "meals_per_day": "每个就餐日平均用餐 {value} 次",
    "meal_cost_mean": "平均每餐消费 {value} 元",
    "meal_cost_median": "每餐消费中位数 {value} 元",
    "cheap_meal_share": "低价餐占比 {value}",
    "no_canteen_days": "未在食堂就餐 {value} 天",
    "breakfast_share": "吃早餐天数占比 {value}",
    "daily_spend_mean": "日均校园卡消费 {value} 元",
    "late_night_share": "深夜消费占比 {value}",
    # job platform and library (jingzhun.data.features.jobs / library)
    "job_logins": "登录就业平台 {value} 次",
    "job_resume_updates": "更新简历 {value} 次",
    "job_applications": "投递简历 {value} 份",
    "job_active_days": "就业平台活跃 {value} 天",
    "library_loans": "借阅图书 {value} 册",
}
GENERIC_PHRASE = "{label}：{value}"


@dataclass(frozen=True)
class Reason:
    feature: str
    value: str
    contribution: float
    text: str


@dataclass(frozen=True)
class StudentReasons:
    key: Hashable
    probability: float
    reasons: tuple[Reason, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def phrase(spec: FeatureSpec, value: object) -> str:
    """The student's value in the feature's phrase; a missing value gets the plain form, since
    "不及格课程 缺失 门" reads as nonsense."""
    return _worded(spec, display_value(value))


def _worded(spec: FeatureSpec, shown: str) -> str:
    template = spec.phrase or PHRASES.get(spec.name, GENERIC_PHRASE)
    if shown == MISSING_TEXT:
        template = GENERIC_PHRASE
    return template.format(label=spec.display_label(), value=shown)


def top_positive(contributions: np.ndarray, top_k: int) -> list[int]:
    """Positions of the `top_k` largest positive contributions, largest first (stable on ties)."""
    order = np.argsort(-contributions, kind="stable")
    return [int(i) for i in order[:top_k] if contributions[i] > 0]


def flagged_positions(
    probabilities: np.ndarray,
    margin: np.ndarray,
    *,
    capacity: float | None = None,
    threshold: float | None = None,
) -> np.ndarray:
    """Rows to explain: the top `capacity` share, or everyone at or above `threshold`."""
    if capacity is not None and threshold is None:
        return np.flatnonzero(capacity_flags(probabilities, capacity, tiebreak=margin))
    if threshold is not None and capacity is None:
        return np.flatnonzero(probabilities >= threshold)
    raise ValueError("give exactly one of capacity or threshold")


def explain_rows(
    model: Scorer, rows: pd.DataFrame, top_k: int = DEFAULT_TOP_REASONS
) -> list[StudentReasons]:
    """Reasons for exactly these rows; the caller has already chosen whom to explain."""
    matrix = model.matrix(rows)
    return _explain(model, rows, matrix, model.probability_of(matrix), top_k)


def explain_flagged(
    model: Scorer,
    frame: pd.DataFrame,
    *,
    capacity: float | None = None,
    threshold: float | None = None,
    top_k: int = DEFAULT_TOP_REASONS,
    limit: int | None = None,
) -> list[StudentReasons]:
    """Score everyone, explain only the flagged (the first `limit` of them), highest risk first.

    Everyone is encoded and scored once; the flagged rows keep the probabilities already
    computed (scoring is row by row, so a subset scores the same)."""
    matrix = model.matrix(frame)
    margin = model.margin_of(matrix)
    probabilities = model.probability_of(matrix, margin)
    positions = flagged_positions(probabilities, margin, capacity=capacity, threshold=threshold)
    by_risk = positions[np.lexsort((positions, -margin[positions], -probabilities[positions]))]
    chosen = by_risk[:limit]
    return _explain(model, frame.iloc[chosen], matrix[chosen], probabilities[chosen], top_k)


def _explain(
    model: Scorer, rows: pd.DataFrame, matrix: np.ndarray, probabilities: np.ndarray,
    top_k: int,
) -> list[StudentReasons]:  # fmt: skip
    """`top_positive` for every row at once, then the phrases: column arrays, not row lookups,
    since a row of a mixed frame costs more to build than its reasons. `matrix`: the rows as
    the model encodes them (encoded once by the caller)."""
    contributions = model.contributions_of(matrix)[:, :-1]
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :top_k]
    top = np.take_along_axis(contributions, order, axis=1)
    specs = model.schema.features
    values = [rows[spec.name].to_numpy() for spec in specs]
    texts: dict[tuple[int, str], str] = {}  # the same few values recur among thousands
    explained = []
    for position, (key, probability) in enumerate(
        zip(rows.index, probabilities.tolist(), strict=True)
    ):
        reasons = []
        for feature, contribution in zip(
            order[position].tolist(), top[position].tolist(), strict=True
        ):
            if not contribution > 0:
                continue
            spec, shown = specs[feature], display_value(values[feature][position])
            text = texts.get((feature, shown))
            if text is None:
                text = texts[feature, shown] = _worded(spec, shown)
            reasons.append(Reason(spec.name, shown, contribution, text))
        explained.append(StudentReasons(key, probability, tuple(reasons)))
    return explained
