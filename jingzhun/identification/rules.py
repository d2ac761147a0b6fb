"""Policy rules as data: validate a condition tree, evaluate it over a whole feature table at
once, and explain a hit in words a counsellor reads.

A condition is a leaf `{"field", "op", "value"}` or a group `{"all": [...]}` / `{"any": [...]}`,
nested freely. Evaluation is vectorised over a pandas frame (one row per student), never a
Python loop per student.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

import pandas as pd

from jingzhun.core.regions import region_place
from jingzhun.identification.catalogue import (
    FEATURES_BY_NAME,
    POINT,
    Feature,
    FeatureKind,
    strictest,
)
from jingzhun.org.roles import Sensitivity

Condition = dict[str, Any]

NUMBER_OPS: dict[str, Callable[[pd.Series, Any], pd.Series]] = {
    ">": lambda s, v: s > v,
    ">=": lambda s, v: s >= v,
    "<": lambda s, v: s < v,
    "<=": lambda s, v: s <= v,
    "==": lambda s, v: s == v,
    "!=": lambda s, v: s != v,
    "between": lambda s, v: s.between(v[0], v[1]),
}
CHOICE_OPS: dict[str, Callable[[pd.Series, Any], pd.Series]] = {
    "==": lambda s, v: s == v,
    "!=": lambda s, v: s != v,
    "in": lambda s, v: s.isin(list(v)),
    "not_in": lambda s, v: ~s.isin(list(v)),
}
FLAG_OPS: dict[str, Callable[[pd.Series, Any], pd.Series]] = {
    "is_true": lambda s, v: s.astype(bool),
    "is_false": lambda s, v: ~s.astype(bool),
}
TEXT_OPS: dict[str, Callable[[pd.Series, Any], pd.Series]] = {
    "==": lambda s, v: s == v,
    "!=": lambda s, v: s != v,
    "contains": lambda s, v: s.str.contains(v, regex=False, na=False),
    "not_contains": lambda s, v: ~s.str.contains(v, regex=False, na=False),
    "starts_with": lambda s, v: s.str.startswith(tuple(v), na=False),  # any of several prefixes
}
# Date operators take the frame too: "within the last N days" counts back from each row's point.
DateOp = Callable[[pd.Series, Any, pd.Series], pd.Series]
DATE_OPS: dict[str, DateOp] = {
    "before": lambda s, v, point: s < pd.Timestamp(v),
    "after": lambda s, v, point: s > pd.Timestamp(v),
    "within_days": lambda s, v, point: (s <= point) & (point - s <= pd.Timedelta(days=v)),
    "older_than_days": lambda s, v, point: point - s > pd.Timedelta(days=v),
}
OPS_BY_KIND: dict[FeatureKind, dict[str, Any]] = {
    FeatureKind.NUMBER: NUMBER_OPS,
    FeatureKind.CHOICE: CHOICE_OPS,
    FeatureKind.FLAG: FLAG_OPS,
    FeatureKind.TEXT: TEXT_OPS,
    FeatureKind.DATE: DATE_OPS,
}
OP_WORDS = {">": "＞", ">=": "≥", "<": "＜", "<=": "≤", "==": "=", "!=": "≠", "between": "介于", "in": "属于", "not_in": "不属于", "is_true": "是", "is_false": "否",
            "contains": "包含", "not_contains": "不包含", "starts_with": "开头为",
            "before": "早于", "after": "晚于", "within_days": "在最近…天内", "older_than_days": "距今超过…天"}  # fmt: skip
VALUE_HINTS = {
    FeatureKind.TEXT: "文字；开头为 可填多个，用、分隔（如 411522、411523）",
    FeatureKind.DATE: "早于、晚于：日期（如 2026-09-01）；在最近…天内、距今超过…天：天数",
}
MAX_TEXT = 100
MAX_DAYS = 3650  # "within the last N days": up to ten years back


def operator_words(kind: FeatureKind) -> str:
    """The operators a field of this kind takes, as the editor shows them: "=、≠、属于、不属于"."""
    return "、".join(OP_WORDS[op] for op in OPS_BY_KIND[kind])


class RuleError(ValueError):
    pass


def validate(condition: Condition, *, depth: int = 0) -> None:
    """Raise RuleError naming the first problem in a condition tree."""
    if depth > 8:
        raise RuleError("条件嵌套过深")
    groups = [k for k in ("all", "any") if k in condition]
    if groups:
        children = condition[groups[0]]
        if len(groups) > 1 or not isinstance(children, list) or not children:
            raise RuleError("条件组必须是非空的 all 或 any 列表")
        for child in children:
            validate(child, depth=depth + 1)
        return
    feature = FEATURES_BY_NAME.get(condition.get("field", ""))
    if feature is None:
        raise RuleError(f"未知字段：{condition.get('field')}")
    ops = OPS_BY_KIND[feature.kind]
    op = condition.get("op")
    if op not in ops:
        raise RuleError(
            f"字段“{feature.label}”不支持运算 {op}，可用：{operator_words(feature.kind)}"
        )
    _validate_value(feature, op, condition.get("value"))


def _validate_value(feature: Feature, op: str, value: Any) -> None:
    if feature.kind is FeatureKind.NUMBER:
        numbers = value if op == "between" else [value]
        if op == "between" and (not isinstance(value, list) or len(value) != 2):
            raise RuleError(f"“{feature.label}”介于运算需要两个数")
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
            raise RuleError(f"“{feature.label}”的阈值必须是数字")
    elif feature.kind is FeatureKind.CHOICE:
        allowed = {c for c, _label in feature.choices}
        values = value if op in {"in", "not_in"} else [value]
        if not isinstance(values, list) or not set(values) <= allowed:
            raise RuleError(f"“{feature.label}”的取值必须在 {sorted(allowed)} 中")
    elif feature.kind is FeatureKind.TEXT:
        texts = value if op == "starts_with" else [value]
        if (
            not isinstance(texts, list)
            or not texts
            or not all(isinstance(t, str) and 0 < len(t.strip()) <= MAX_TEXT for t in texts)
        ):
            raise RuleError(f"“{feature.label}”需要 1–{MAX_TEXT} 个字的文字")
    elif feature.kind is FeatureKind.DATE:
        if op in {"within_days", "older_than_days"}:
            if not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= MAX_DAYS:
                raise RuleError(f"“{feature.label}”的天数必须是 1–{MAX_DAYS} 的整数")
        elif not isinstance(value, str) or _iso_date(value) is None:
            raise _needs_date(feature)


def _needs_date(feature: Feature) -> RuleError:
    return RuleError(f"“{feature.label}”需要日期，例如 2026-09-01")


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def evaluate(condition: Condition, frame: pd.DataFrame) -> pd.Series:
    """Boolean mask over `frame` (one row per student). Missing values never match a leaf."""
    for key, combine in (("all", _all), ("any", _any)):
        if key in condition:
            return combine([evaluate(child, frame) for child in condition[key]], frame.index)
    feature = FEATURES_BY_NAME[condition["field"]]
    column = _column(feature, frame)
    op, value = OPS_BY_KIND[feature.kind][condition["op"]], condition.get("value")
    if feature.kind is FeatureKind.DATE:
        mask = op(column, value, pd.to_datetime(frame[POINT]))
    else:
        mask = op(column, value)
    return (mask & column.notna()).astype(bool)


def _column(feature: Feature, frame: pd.DataFrame) -> pd.Series:
    """The feature's column as its operators take it: blank text is missing, dates are
    datetimes (NaT when missing)."""
    column = frame[feature.name]
    if feature.kind is FeatureKind.TEXT:
        text = column.astype(object).where(column.notna(), None)
        return text.where(text != "", None)
    if feature.kind is FeatureKind.DATE:
        return pd.to_datetime(column, errors="coerce")
    return column


def _all(masks: list[pd.Series], index: pd.Index) -> pd.Series:
    result = pd.Series(True, index=index)
    for mask in masks:
        result &= mask
    return result


def _any(masks: list[pd.Series], index: pd.Index) -> pd.Series:
    result = pd.Series(False, index=index)
    for mask in masks:
        result |= mask
    return result


def leaves(condition: Condition) -> list[Condition]:
    for key in ("all", "any"):
        if key in condition:
            return [leaf for child in condition[key] for leaf in leaves(child)]
    return [condition]


def sensitivity_of(condition: Condition) -> Sensitivity | None:
    """The most restricted sensitivity among the fields a rule reads (psychological first)."""
    return strictest(FEATURES_BY_NAME[leaf["field"]].sensitivity for leaf in leaves(condition))


# Region codes whose value a reason shows as a place name (see `_phrases`).
PLACE_FEATURES = frozenset({"hukou_region_code"})


def explain(condition: Condition, row: dict[str, Any]) -> str:
    """The leaves that hold for this student, with the student's values and the thresholds,
    e.g. "近两学期不及格课程 5 门（阈值 ≥3）"."""
    return str(explain_frame(condition, pd.DataFrame([row])).iloc[0])


def explain_frame(condition: Condition, frame: pd.DataFrame) -> pd.Series:
    """`explain` for every row of `frame` at once (call it on the hits only): one vectorised
    pass per leaf, so a million hits cost string operations, not a million small frames."""
    text = pd.Series("", index=frame.index, dtype=object)
    for leaf in leaves(condition):
        holds = evaluate(leaf, frame)
        if not holds.any():
            continue
        feature = FEATURES_BY_NAME[leaf["field"]]
        phrase = _phrases(feature, leaf, frame.loc[holds, feature.name])
        current = text[holds]
        text[holds] = current.where(current == "", current + "；") + phrase
    return text


def _phrases(feature: Feature, leaf: Condition, values: pd.Series) -> pd.Series:
    if feature.kind is FeatureKind.FLAG:
        return pd.Series(
            feature.label if leaf["op"] == "is_true" else f"非{feature.label}", index=values.index
        )
    if feature.kind is FeatureKind.CHOICE:
        codes = values.fillna("").astype(str)
        shown = codes.map({"": feature.show(None), **dict(feature.choices)}).fillna(codes)
        return f"{feature.label}：" + shown
    if feature.name in PLACE_FEATURES:
        # A student's reason names the place, never the county code (most of what an ID
        # number's region holds): province and prefecture, as masked pages show it.
        places = values.fillna("").astype(str).map(lambda code: "".join(region_place(code)) or "无")
        return "户籍地：" + places
    if feature.kind is FeatureKind.TEXT:
        return f"{feature.label}：" + values.astype(str)
    if feature.kind is FeatureKind.DATE:
        days = pd.to_datetime(values, errors="coerce").dt.strftime("%Y-%m-%d")
        return f"{feature.label} " + days + f"（条件：{_date_words(leaf['op'], leaf['value'])}）"
    op, threshold = leaf["op"], leaf["value"]
    limit = f"{threshold[0]}–{threshold[1]}" if op == "between" else f"{OP_WORDS[op]}{threshold}"
    unit = f" {feature.unit}" if feature.unit else ""
    return f"{feature.label} " + shown_numbers(values) + f"{unit}（阈值 {limit}）"


def shown_numbers(values: pd.Series) -> pd.Series:
    """Numbers as `Feature.show` writes them: 5 not 5.0, 1.85 as it is."""
    numbers = pd.to_numeric(values, errors="coerce").astype("float64").round(2)
    text = numbers.astype(str).astype(object)
    whole = numbers.notna() & (numbers % 1 == 0)
    text[whole] = numbers[whole].astype("int64").astype(str)
    return text


def describe(condition: Condition) -> str:
    """The condition in words, e.g. "近两学期不及格课程 ≥3 门 或 学业预警等级 ≥2 级"."""
    for key, word in (("all", " 且 "), ("any", " 或 ")):
        if key in condition:
            parts = [describe(child) for child in condition[key]]
            nested = [f"（{p}）" if ("all" in c or "any" in c) else p
                      for p, c in zip(parts, condition[key], strict=True)]  # fmt: skip
            return word.join(nested)
    feature = FEATURES_BY_NAME[condition["field"]]
    op: str = condition["op"]
    value: Any = condition.get("value")
    if feature.kind is FeatureKind.FLAG:
        return feature.label if op == "is_true" else f"非{feature.label}"
    if feature.kind is FeatureKind.CHOICE:
        values = value if op in {"in", "not_in"} else [value]
        shown = "、".join(feature.show(v) for v in values)
        return f"{feature.label} {OP_WORDS[op]} {shown}"
    if feature.kind is FeatureKind.TEXT:
        shown = "、".join(value) if op == "starts_with" else value
        return f"{feature.label} {OP_WORDS[op]} {shown}"
    if feature.kind is FeatureKind.DATE:
        return f"{feature.label} {_date_words(op, value)}"
    unit = f" {feature.unit}" if feature.unit else ""
    if op == "between":
        return f"{feature.label} 介于 {_number(value[0])}–{_number(value[1])}{unit}"
    return f"{feature.label} {OP_WORDS[op]}{_number(value)}{unit}"


def _date_words(op: str, value: Any) -> str:
    """ "早于 2026-09-01", "在最近 90 天内", "距今超过 180 天"."""
    if op == "within_days":
        return f"在最近 {value} 天内"
    if op == "older_than_days":
        return f"距今超过 {value} 天"
    return f"{OP_WORDS[op]} {value}"


def value_hint(feature: Feature) -> str:
    """What the editor's value box takes for this field, when it has no list of choices."""
    if feature.choices:
        return "、".join(label for _code, label in feature.choices)
    return VALUE_HINTS.get(feature.kind, "")


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def parse_value(feature: Feature, op: str, text: str) -> Any:
    """A threshold typed into the rule editor, as the condition stores it.

    Numbers: "3" or "2.5"; between: "1-3", "1–3" or "1,3". Choices: codes or their Chinese
    labels, several separated by commas or 、 for in / not_in. Flags take no value.
    Raises RuleError with a message for the editor."""
    text = (text or "").strip()
    if feature.kind is FeatureKind.FLAG:
        return None
    if feature.kind is FeatureKind.TEXT:
        parts = _split(text) if op == "starts_with" else [text]
        value = parts if op == "starts_with" else (parts or [""])[0]
        _validate_value(feature, op, value)
        return value
    if feature.kind is FeatureKind.DATE:
        return _parse_date_value(feature, op, text)
    if feature.kind is FeatureKind.NUMBER:
        parts = (
            _split(text.replace("–", ",").replace("~", ",").replace("-", ","))
            if op == "between"
            else [text]
        )
        if op == "between" and len(parts) != 2:
            raise RuleError(f"“{feature.label}”介于运算需要两个数，例如 1-3")
        try:
            numbers = [float(p) for p in parts]
        except ValueError as exc:
            raise RuleError(f"“{feature.label}”的阈值必须是数字") from exc
        if not all(math.isfinite(n) for n in numbers):  # "1e999", "nan": no JSON for them
            raise RuleError(f"“{feature.label}”的阈值必须是数字")
        numbers_shown = [int(n) if n.is_integer() else n for n in numbers]
        return numbers_shown if op == "between" else numbers_shown[0]
    by_label = {label: code for code, label in feature.choices}
    codes = {code for code, _label in feature.choices}
    values = []
    for part in _split(text) if op in {"in", "not_in"} else [text]:
        code = by_label.get(part, part)
        if code not in codes:
            allowed = "、".join(label for _code, label in feature.choices)
            raise RuleError(f"“{feature.label}”的取值“{part}”无效，可选：{allowed}")
        values.append(code)
    return values if op in {"in", "not_in"} else values[0]


def _parse_date_value(feature: Feature, op: str, text: str) -> Any:
    if op in {"within_days", "older_than_days"}:
        days = text.removesuffix("天").strip()
        value = int(days) if days.isascii() and days.isdigit() else None
        _validate_value(feature, op, value)  # the range and its message live there
        return value
    normalised = text.replace("/", "-").replace(".", "-")
    parts = normalised.split("-")
    if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
        try:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2])).isoformat()
        except ValueError:
            pass
    raise _needs_date(feature)


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("，", ",").replace("、", ",").split(",") if p.strip()]


def value_text(feature: Feature, op: str, value: Any) -> str:
    """The inverse of `parse_value`, to fill the editor with a stored condition."""
    if feature.kind is FeatureKind.FLAG:
        return ""
    if feature.kind is FeatureKind.CHOICE:
        values = value if op in {"in", "not_in"} else [value]
        return "、".join(dict(feature.choices).get(v, v) for v in values)
    if feature.kind is FeatureKind.TEXT:
        return "、".join(value) if op == "starts_with" else str(value)
    if feature.kind is FeatureKind.DATE:
        return str(value)
    if op == "between":
        return f"{_number(value[0])}-{_number(value[1])}"
    return _number(value)
