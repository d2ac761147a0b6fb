"""Turn a feature table into the float matrix the trees were grown on, and back into words.

Categories are coded by a vocabulary learned from the training rows and stored with the model,
so a category's code never depends on which values happen to occur in a scoring batch. A value
never seen in training becomes missing, which LightGBM sends down its "other" branch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from jingzhun.data.ml.schema import FeatureKind, FeatureSchema

Categories = dict[str, list[str]]

MISSING_TEXT = "缺失"


def check_columns(frame: pd.DataFrame, schema: FeatureSchema) -> None:
    missing = [name for name in schema.names if name not in frame.columns]
    if missing:
        raise ValueError(f"the table lacks feature columns: {', '.join(missing)}")


def category_text(values: pd.Series) -> pd.Series:
    """Categories compare as text: 1, 1.0 and "1" from different files are the same code."""

    def one(value: object) -> object:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return np.nan
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        text = str(value).strip()
        return text if text else np.nan

    if pd.api.types.infer_dtype(values, skipna=True) == "string":
        # All text: convert each distinct value once (a million rows hold a handful). Only
        # then, since hashing would merge 1, 1.0 and True, which read differently.
        codes, distinct = pd.factorize(values)
        shown = np.array([*(one(value) for value in distinct), np.nan], dtype=object)
        return pd.Series(shown[codes], index=values.index, name=values.name, dtype=object)
    return values.map(one).astype(object)


def learn_categories(frame: pd.DataFrame, schema: FeatureSchema) -> Categories:
    check_columns(frame, schema)
    return {
        name: sorted(category_text(frame[name]).dropna().unique().tolist())
        for name in schema.names_of(FeatureKind.CATEGORICAL)
    }


def typed_features(frame: pd.DataFrame, schema: FeatureSchema) -> pd.DataFrame:
    """Numerics as float64 (bad text fails loudly), categoricals as text, in schema order."""
    check_columns(frame, schema)
    columns: dict[str, pd.Series] = {}
    for spec in schema.features:
        column = frame[spec.name]
        if spec.kind is FeatureKind.NUMERIC:
            columns[spec.name] = pd.to_numeric(column, errors="raise").astype("float64")
        else:
            columns[spec.name] = category_text(column)
    return pd.DataFrame(columns, index=frame.index)


def encode_features(
    frame: pd.DataFrame, schema: FeatureSchema, categories: Mapping[str, list[str]]
) -> np.ndarray:
    """The float64 matrix for LightGBM: categories as vocabulary codes, unknown as NaN."""
    typed = typed_features(frame, schema)
    matrix = np.empty((len(typed), len(schema.features)), dtype=np.float64)
    for position, spec in enumerate(schema.features):
        column = typed[spec.name]
        if spec.kind is FeatureKind.NUMERIC:
            matrix[:, position] = column.to_numpy(dtype=np.float64)
        else:
            codes = {value: float(code) for code, value in enumerate(categories[spec.name])}
            matrix[:, position] = column.map(codes).to_numpy(dtype=np.float64, na_value=np.nan)
    return matrix


def categorical_positions(schema: FeatureSchema) -> list[int]:
    return [i for i, spec in enumerate(schema.features) if spec.kind is FeatureKind.CATEGORICAL]


def display_value(value: object) -> str:
    """How a counsellor reads a value: 3 not 3.0, two decimals at most, missing said so."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_TEXT
    if isinstance(value, float | np.floating):
        number = float(value)
        if number.is_integer():
            return str(int(number))
        return f"{number:.2f}".rstrip("0").rstrip(".")
    return str(value)
