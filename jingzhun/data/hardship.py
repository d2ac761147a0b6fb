"""Hidden hardship (隐形贫困) inferred from campus-card spending: a candidate signal, never a label.

A shallow LightGBM classifier learns the subsidy classes (0/1000/1500/2000 yuan) from
per-student features where subsidy decisions exist, and scores every student. A high score
means "the spending looks like that of students who receive aid" — a reason for a counsellor
to look, quietly, not a finding about the student. Each candidate comes with reasons in
Chinese: the features that pushed the score up (LightGBM `pred_contrib`), with the student's
own value and where it sits in the whole population.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from lightgbm import LGBMClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from jingzhun.data.features.params import CardFeatureParams
from jingzhun.data.hardship_rule import DecisionRule, fit_aid_threshold, fit_decision_rule

SUBSIDY_CLASSES: tuple[int, ...] = (0, 1000, 1500, 2000)
NO_SUBSIDY = 0
DECILES: tuple[float, ...] = tuple(n / 10 for n in range(1, 10))
MEDIAN = 0.5
PERCENT = 100
MIN_INNER_FOLDS = 2
BALANCED = 1.0
LINEAR_MAX_ITER = 2000


@dataclass(frozen=True)
class HardshipParams:
    """Model settings. Shallow trees: contributions stay cheap and the data is small."""

    n_estimators: int = 200
    learning_rate: float = 0.05
    max_depth: int = 3
    num_leaves: int = 7
    min_child_samples: int = 20
    colsample_bytree: float = 0.5
    """Share of features each tree may use; below 1 decorrelates trees on small data."""
    subsample: float = 1.0
    """Share of students each tree sees (bagging every iteration when below 1)."""
    reg_lambda: float = 0.0
    class_weight_power: float = 1.0
    """0 = unweighted, 1 = fully balanced classes. Balanced measured best on the real
    development split (0.5 predicted the aid classes too rarely: metric 0.016 against 0.021);
    the decision rule then corrects what the weights over- or undershoot."""
    seed: int = 2026
    top_reasons: int = 3
    rule_folds: int = 5
    """Inner folds whose out-of-fold predictions choose the decision rule's class weights;
    0 keeps plain argmax."""
    rule_repeats: int = 3
    """Inner splits (different seeds) whose out-of-fold predictions are averaged per student
    before the rule is chosen: the choice on one split of ~1,600 students is noisy. Three
    splits on the development split: metric +0.0012 on fold-split seeds 0–4, +0.0005 ± 0.0019
    paired over seeds 0–14 (within noise; every other variance reduction tried did less);
    the inner fits cost three times as much."""
    linear_share: float = 0.5
    """Share of a logistic regression's P(any aid) in the ranking score (the rest is the
    trees'). The average ranks better than either on the real development split (ROC-AUC
    0.818 against 0.808 for the trees and 0.804 for the logistic regression). 0 = trees only."""
    aid_cut: bool = True
    """Let the decision rule call a student aided by a cut on the ranking score (chosen on the
    inner out-of-fold scores), the trees' weighted probabilities then choosing the level."""


@dataclass(frozen=True)
class FeatureLabel:
    """How a feature reads in Chinese: its name and the format of one value."""

    name: str
    value_format: str

    def value(self, value: float) -> str:
        return self.value_format.format(value)


def feature_labels(params: CardFeatureParams | None = None) -> dict[str, FeatureLabel]:
    """Chinese labels of the model's features, with the thresholds the features were built with."""
    p = params or CardFeatureParams()
    window = p.rate_window_days
    return {
        "active_days": FeatureLabel("有刷卡记录的天数", "{:.0f} 天"),
        "span_days": FeatureLabel("首末刷卡间隔", "{:.0f} 天"),
        "meals": FeatureLabel("食堂就餐", "{:.0f} 顿"),
        "canteen_days": FeatureLabel("在食堂就餐的天数", "{:.0f} 天"),
        "meals_per_day": FeatureLabel("就餐日平均就餐", "{:.1f} 顿"),
        "meal_cost_mean": FeatureLabel("食堂顿均消费", "{:.1f} 元"),
        "meal_cost_median": FeatureLabel("食堂每顿消费中位数", "{:.1f} 元"),
        "cheap_meal_share": FeatureLabel(f"低于 {p.cheap_meal_yuan:g} 元的餐次占比", "{:.0%}"),
        "no_canteen_days": FeatureLabel("未在食堂就餐的天数", "{:.0f} 天"),
        "breakfast_share": FeatureLabel("就餐日中吃早餐的比例", "{:.0%}"),
        "supermarket_spend_per_day": FeatureLabel("超市日均消费", "{:.1f} 元"),
        "shower_spend_per_day": FeatureLabel("淋浴日均消费", "{:.2f} 元"),
        "topups_per_window": FeatureLabel(f"每 {window} 天充值", "{:.1f} 次"),
        "topup_mean": FeatureLabel("平均每次充值", "{:.0f} 元"),
        "daily_spend_mean": FeatureLabel("日均消费", "{:.1f} 元"),
        "spend_volatility": FeatureLabel("日消费波动系数", "{:.2f}"),
        "late_night_share": FeatureLabel("深夜刷卡占比", "{:.1%}"),
        "library_entries_per_window": FeatureLabel(f"每 {window} 天图书馆刷卡", "{:.1f} 次"),
        "rank_pct": FeatureLabel("成绩在本学院的位置", "{:.0%}"),
        "spend_total": FeatureLabel("期间消费总额", "{:.0f} 元"),
        "balance_mean": FeatureLabel("卡内平均余额", "{:.0f} 元"),
        "balance_before_topup": FeatureLabel("充值前平均余额", "{:.1f} 元"),
        "topup_total": FeatureLabel("期间充值总额", "{:.0f} 元"),
        "holiday_day_share": FeatureLabel("假期月份刷卡天数占比", "{:.0%}"),
        "lunch_share": FeatureLabel("就餐日中吃午餐的比例", "{:.0%}"),
        "dinner_share": FeatureLabel("就餐日中吃晚餐的比例", "{:.0%}"),
        "breakfast_cost_mean": FeatureLabel("早餐顿均消费", "{:.1f} 元"),
        "lunch_cost_mean": FeatureLabel("午餐顿均消费", "{:.1f} 元"),
        "dinner_cost_mean": FeatureLabel("晚餐顿均消费", "{:.1f} 元"),
        "weekend_meal_share": FeatureLabel("周末就餐占比", "{:.0%}"),
        "weekday_meal_cost": FeatureLabel("工作日顿均消费", "{:.1f} 元"),
        "weekend_meal_cost": FeatureLabel("周末顿均消费", "{:.1f} 元"),
        "holiday_meal_share": FeatureLabel("假期月份就餐占比", "{:.0%}"),
        "holiday_meal_cost": FeatureLabel("假期月份顿均消费", "{:.1f} 元"),
        "meal_cost_cv": FeatureLabel("每顿消费的波动系数", "{:.2f}"),
        "meal_cost_max": FeatureLabel("单顿最高消费", "{:.1f} 元"),
        "breakfast_hour_mean": FeatureLabel("平均早餐时刻", "{:.1f} 点"),
        "breakfast_hour_sd": FeatureLabel("早餐时刻的波动", "{:.1f} 小时"),
        "weeks_with_meals": FeatureLabel("有食堂就餐的周数", "{:.0f} 周"),
        "active_months": FeatureLabel("有刷卡记录的月数", "{:.0f} 个月"),
        "month_spend_mean": FeatureLabel("月均消费", "{:.0f} 元"),
        "month_spend_cv": FeatureLabel("月消费波动系数", "{:.2f}"),
        "small_topup_share": FeatureLabel(
            f"{p.small_topup_yuan:g} 元及以下的小额充值占比", "{:.0%}"
        ),
        "bank_topups": FeatureLabel("银行圈存转账", "{:.0f} 次"),
        "bank_topup_total": FeatureLabel("银行圈存转账总额", "{:.0f} 元"),
        "balance_min": FeatureLabel("消费后最低余额", "{:.2f} 元"),
        "low_balance_share": FeatureLabel(
            f"消费后余额不足 {p.low_balance_yuan:g} 元的次数占比", "{:.0%}"
        ),
        "water_spend": FeatureLabel("开水消费总额", "{:.0f} 元"),
        "bus_rides": FeatureLabel("乘坐校车", "{:.0f} 次"),
        "laundry_spend": FeatureLabel("洗衣房消费总额", "{:.0f} 元"),
        "print_spend": FeatureLabel("文印消费总额", "{:.0f} 元"),
        "card_replacements": FeatureLabel("挂失、补办或更换校园卡", "{:.0f} 次"),
    }


def rank_phrase(rank_pct: float) -> str:
    """A rank in college (0 = top, 1 = bottom) as a counsellor says it: "后 4%" for 0.96."""
    if rank_pct >= MEDIAN:
        return f"成绩位于本学院后 {max(1, round((1 - rank_pct) * PERCENT))}%"
    return f"成绩位于本学院前 {max(1, round(rank_pct * PERCENT))}%"


PLAIN_PHRASES = {"rank_pct": rank_phrase}
"""Features whose value is clearer said on its own than against the school's deciles."""


@dataclass(frozen=True)
class Reason:
    feature: str
    value: float | None
    contribution: float
    """Push towards "receives aid" in log-odds of the no-aid class, sign flipped (> 0)."""
    text: str


@dataclass(frozen=True)
class HardshipCandidate:
    student_id: str
    probability: float
    """P(any subsidy class) — a ranking score for review, not a finding."""
    likely_class: int
    """The aid class (1000/1500/2000) with the highest probability, weighted by the model's
    decision rule (the rule's weights undo the rarer classes' lower base rates)."""
    reasons: tuple[Reason, ...]


@dataclass
class HardshipModel:
    estimator: LGBMClassifier
    features: tuple[str, ...]
    classes: tuple[int, ...]
    deciles: dict[str, np.ndarray]
    """Population deciles per feature, for "低于全校 10% 分位"."""
    labels: dict[str, FeatureLabel] = field(default_factory=feature_labels)
    rule: DecisionRule | None = None
    """Class weights and the cut on the score, fitted on the training students' out-of-fold
    predictions; None = argmax."""
    linear: Pipeline | None = None
    """The logistic regression averaged into the ranking score (None: trees only)."""
    linear_share: float = 0.0


def class_weights(y: pd.Series, power: float) -> dict[int, float]:
    """(N / (K · n_c)) ** power per class."""
    counts = y.value_counts()
    return {int(c): float((len(y) / (len(counts) * n)) ** power) for c, n in counts.items()}


def min_child_samples_for(n_rows: int, params: HardshipParams) -> int:
    """Leaves need fewer rows on tiny samples (40 students), or no tree can split at all."""
    smallest_useful = 2
    return max(smallest_useful, min(params.min_child_samples, n_rows // 10))


def make_estimator(y: pd.Series, params: HardshipParams) -> LGBMClassifier:
    return LGBMClassifier(
        n_estimators=params.n_estimators,
        learning_rate=params.learning_rate,
        max_depth=params.max_depth,
        num_leaves=params.num_leaves,
        min_child_samples=min_child_samples_for(len(y), params),
        colsample_bytree=params.colsample_bytree,
        subsample=params.subsample,
        subsample_freq=1 if params.subsample < 1 else 0,
        reg_lambda=params.reg_lambda,
        class_weight=class_weights(y, params.class_weight_power),
        random_state=params.seed,
        n_jobs=1,
        verbose=-1,
    )


def linear_model(y: pd.Series) -> Pipeline:
    """Logistic regression on standardised features; missing values imputed by the median
    with an indicator column, since a linear model cannot route them itself. Balanced class
    weights, like the trees."""
    return make_pipeline(
        SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
        StandardScaler(),
        LogisticRegression(max_iter=LINEAR_MAX_ITER, class_weight=class_weights(y, BALANCED)),
    )


def deciles_of(values: np.ndarray) -> np.ndarray:
    """The 10%…90% quantiles ignoring missing values; empty when nothing is known."""
    known = values[np.isfinite(values)]
    return np.quantile(known, DECILES) if known.size else np.array([])


def population_deciles(population: pd.DataFrame) -> dict[str, np.ndarray]:
    return {c: deciles_of(population[c].to_numpy(dtype=float)) for c in population.columns}


def fit_hardship(
    features: pd.DataFrame,
    labels: pd.Series,
    params: HardshipParams | None = None,
    population: pd.DataFrame | None = None,
    card_params: CardFeatureParams | None = None,
) -> HardshipModel:
    """Train on the students with a label; `population` (default: `features`) is the
    reference for the percentile statements and should be everyone, labelled or not."""
    params = params or HardshipParams()
    y = labels.loc[features.index].astype(int)
    estimator = make_estimator(y, params).fit(features, y)
    classes = tuple(int(c) for c in estimator.classes_)
    linear = None
    if params.linear_share > 0 and NO_SUBSIDY in classes:
        linear = linear_model(y).fit(features.to_numpy(float), y)
    return HardshipModel(
        estimator=estimator,
        features=tuple(features.columns),
        classes=classes,
        deciles=population_deciles(population if population is not None else features),
        labels=feature_labels(card_params),
        rule=training_rule(features, y, classes, params),
        linear=linear,
        linear_share=params.linear_share if linear is not None else 0.0,
    )


def inner_folds(y: pd.Series, wanted: int) -> int:
    """Stratified inner folds need every class in every fold; 0 when that is impossible."""
    smallest = int(y.value_counts().min()) if len(y) else 0
    folds = min(wanted, smallest)
    return folds if folds >= MIN_INNER_FOLDS else 0


REPEAT_SEED_STEP = 100
"""Seed distance between the inner splits of `rule_repeats`."""


def out_of_fold_proba(
    features: pd.DataFrame,
    y: pd.Series,
    classes: tuple[int, ...],
    params: HardshipParams,
    folds: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Class probabilities of the trees and the ranking score of each student, from models
    that did not see that student, averaged over `params.rule_repeats` inner splits."""
    runs = [
        split_out_of_fold(
            features, y, classes, params, folds, params.seed + REPEAT_SEED_STEP * repeat
        )
        for repeat in range(max(1, params.rule_repeats))
    ]
    return (
        np.mean([proba for proba, _ in runs], axis=0),
        np.mean([score for _, score in runs], axis=0),
    )


def split_out_of_fold(
    features: pd.DataFrame,
    y: pd.Series,
    classes: tuple[int, ...],
    params: HardshipParams,
    folds: int,
    split_seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """`out_of_fold_proba` on one inner split (seeded by `split_seed`)."""
    proba = np.zeros((len(y), len(classes)))
    score = np.zeros(len(y))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=split_seed)
    for train, test in splitter.split(features, y):
        x_train, y_train, x_test = features.iloc[train], y.iloc[train], features.iloc[test]
        fitted = make_estimator(y_train, params).fit(x_train, y_train)
        columns = [classes.index(int(c)) for c in fitted.classes_]
        proba[np.ix_(test, columns)] = fitted.predict_proba(x_test)
        score[test] = 1.0 - proba[test, classes.index(NO_SUBSIDY)]
        if params.linear_share > 0:
            linear = linear_model(y_train).fit(x_train.to_numpy(float), y_train)
            no_aid = list(linear.classes_).index(NO_SUBSIDY)
            linear_aid = 1.0 - linear.predict_proba(x_test.to_numpy(float))[:, no_aid]
            score[test] = (1.0 - params.linear_share) * score[
                test
            ] + params.linear_share * linear_aid
    return proba, score


def training_rule(
    features: pd.DataFrame, y: pd.Series, classes: tuple[int, ...], params: HardshipParams
) -> DecisionRule | None:
    """The decision rule chosen on the training students alone (nested: no test fold)."""
    folds = inner_folds(y, params.rule_folds)
    if not folds or NO_SUBSIDY not in classes:
        return None
    proba, score = out_of_fold_proba(features, y, classes, params, folds)
    rule = fit_decision_rule(proba, y.to_numpy(), classes)
    if params.aid_cut:
        rule = fit_aid_threshold(rule, proba, score, y.to_numpy())
    return rule


def predict_class(model: HardshipModel, features: pd.DataFrame) -> np.ndarray:
    """The aid class per student under the model's decision rule (argmax without one)."""
    proba = predict_proba(model, features).to_numpy()
    rule = model.rule or DecisionRule.argmax(model.classes)
    return rule.decide(proba, hardship_probability(model, features).to_numpy())


def predict_proba(model: HardshipModel, features: pd.DataFrame) -> pd.DataFrame:
    """Probabilities per subsidy class, one row per student."""
    values = model.estimator.predict_proba(features[list(model.features)])
    return pd.DataFrame(values, index=features.index, columns=list(model.classes))


def linear_aid_probability(model: HardshipModel, features: pd.DataFrame) -> pd.Series | None:
    """P(any aid) of the model's logistic regression; None when it has none."""
    if model.linear is None:
        return None
    proba = model.linear.predict_proba(features[list(model.features)].to_numpy(float))
    no_aid = list(model.linear.classes_).index(NO_SUBSIDY)
    return pd.Series(1.0 - proba[:, no_aid], index=features.index)


def hardship_probability(model: HardshipModel, features: pd.DataFrame) -> pd.Series:
    """The ranking score: P(any aid) of the trees, averaged with the logistic regression's
    by `linear_share` when the model has one."""
    trees = 1.0 - predict_proba(model, features)[NO_SUBSIDY]
    linear = linear_aid_probability(model, features)
    if linear is None:
        return trees
    return (1.0 - model.linear_share) * trees + model.linear_share * linear


def position_phrase(value: float, deciles: np.ndarray) -> str:
    """Where a value sits among everyone: the tightest true statement against the deciles."""
    below = [d for d, q in zip(DECILES, deciles, strict=True) if value < q and d <= MEDIAN]
    if below:
        return f"低于全校 {round(min(below) * PERCENT)}% 分位"
    above = [d for d, q in zip(DECILES, deciles, strict=True) if value > q and d >= MEDIAN]
    if above:
        return f"高于全校 {round(max(above) * PERCENT)}% 分位"
    return "接近全校中位数"


def reason_text(label: FeatureLabel, value: float | None, deciles: np.ndarray) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return f"{label.name}：无记录"
    if deciles.size == 0:
        return f"{label.name} {label.value(value)}"
    return f"{label.name} {label.value(value)}，{position_phrase(value, deciles)}"


def no_aid_contributions(model: HardshipModel, features: pd.DataFrame) -> np.ndarray:
    """Per-feature contributions to the no-aid class's raw score (LightGBM lays out the
    multiclass output as one block of n_features + 1 columns per class, bias last)."""
    contrib = model.estimator.predict(features[list(model.features)], pred_contrib=True)
    width = len(model.features) + 1
    block = model.classes.index(NO_SUBSIDY)
    return np.asarray(contrib)[:, block * width : block * width + len(model.features)]


def student_reasons(
    model: HardshipModel, values: pd.Series, pushes: np.ndarray, top: int
) -> tuple[Reason, ...]:
    """The `top` features that pushed one student's score up the most, phrased."""
    reasons = []
    for i in np.argsort(-pushes)[:top]:
        if pushes[i] <= 0:
            break
        name = model.features[i]
        value = None if pd.isna(values[name]) else float(values[name])
        label = model.labels.get(name, FeatureLabel(name, "{:g}"))
        if value is not None and name in PLAIN_PHRASES:
            text = PLAIN_PHRASES[name](value)
        else:
            text = reason_text(label, value, model.deciles[name])
        reasons.append(Reason(feature=name, value=value, contribution=float(pushes[i]), text=text))
    return tuple(reasons)


def explain(
    model: HardshipModel, features: pd.DataFrame, top: int = HardshipParams.top_reasons
) -> list[HardshipCandidate]:
    """Candidates with reasons, for the given students only (contributions are expensive)."""
    if features.empty:
        return []
    proba = predict_proba(model, features)
    rule = model.rule or DecisionRule.argmax(model.classes)
    weighted = pd.DataFrame(
        rule.weighted(proba.to_numpy()), index=proba.index, columns=proba.columns
    )
    pushes = -no_aid_contributions(model, features)
    score = hardship_probability(model, features)
    return [
        HardshipCandidate(
            student_id=str(student_id),
            probability=float(score.iloc[row]),
            likely_class=int(weighted.iloc[row].drop(NO_SUBSIDY).idxmax()),
            reasons=student_reasons(model, features.iloc[row], pushes[row], top),
        )
        for row, student_id in enumerate(features.index)
    ]


def top_candidates(
    model: HardshipModel, features: pd.DataFrame, limit: int, top_reasons: int
) -> list[HardshipCandidate]:
    """The `limit` students with the highest hardship score, explained."""
    scores = hardship_probability(model, features).sort_values(ascending=False, kind="stable")
    return explain(model, features.loc[scores.index[:limit]], top_reasons)
