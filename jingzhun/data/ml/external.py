"""Evaluate on someone else's table: a JSON mapping says what each column means to us.

A mapping names the outcome column and which of its values means "no destination", the
feature columns with their kinds (and optional Chinese labels and phrases for reasons), the
protected columns (never inputs, only fairness groups), other columns to report fairness on,
an optional cohort column, and columns deliberately ignored with the reason (an outcome leak
such as salary, a row number). Columns the mapping does not mention are reported back.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jingzhun.data.ml.crossval import DEFAULT_FOLDS, CrossValidationReport, cross_validate
from jingzhun.data.ml.metrics import DEFAULT_CAPACITY
from jingzhun.data.ml.schema import FeatureKind, FeatureSchema, FeatureSpec
from jingzhun.data.ml.training import COHORT, LABEL, RiskModelConfig

EXAMPLES_IN_ERRORS = 3


class MappingError(ValueError):
    """The mapping file or the table does not fit the mapping."""


@dataclass(frozen=True)
class ExternalMapping:
    outcome_column: str
    no_destination_values: tuple[str, ...]
    features: tuple[FeatureSpec, ...]
    protected: tuple[str, ...] = ()
    report_groups: tuple[str, ...] = ()
    cohort_column: str | None = None
    ignored: Mapping[str, str] = field(default_factory=dict)

    def schema(self) -> FeatureSchema:
        """Raises ProtectedAttributeError when a protected column is mapped as a feature."""
        return FeatureSchema(self.features, frozenset(self.protected))

    @property
    def group_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.protected, *self.report_groups)))

    def mentioned(self) -> set[str]:
        named = {self.outcome_column, *self.group_columns, *self.ignored}
        named |= {spec.name for spec in self.features}
        return named | ({self.cohort_column} if self.cohort_column else set())


def _require(data: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in data:
        raise MappingError(f"mapping: '{key}' is required in {where}")
    return data[key]


def _feature(item: Mapping[str, Any]) -> FeatureSpec:
    kind = _require(item, "kind", "each feature")
    if kind not in {k.value for k in FeatureKind}:
        raise MappingError(f"mapping: feature kind must be numeric or categorical, not {kind!r}")
    return FeatureSpec(
        name=_require(item, "column", "each feature"),
        kind=FeatureKind(kind),
        label=item.get("label", ""),
        phrase=item.get("phrase", ""),
    )


def parse_mapping(data: Mapping[str, Any]) -> ExternalMapping:
    outcome = _require(data, "outcome", "the mapping")
    values = _require(outcome, "no_destination", "'outcome'")
    return ExternalMapping(
        outcome_column=_require(outcome, "column", "'outcome'"),
        no_destination_values=tuple(str(v) for v in ([values] if isinstance(values, str) else values)),
        features=tuple(_feature(item) for item in _require(data, "features", "the mapping")),
        protected=tuple(data.get("protected", ())),
        report_groups=tuple(data.get("report_groups", ())),
        cohort_column=data.get("cohort"),
        ignored=dict(data.get("ignored", {})),
    )  # fmt: skip


def load_mapping(path: Path) -> ExternalMapping:
    try:
        data = json.loads(path.read_text("utf-8"))
    except json.JSONDecodeError as exc:
        raise MappingError(f"mapping {path} is not valid JSON: {exc}") from exc
    return parse_mapping(data)


def frame_from_rows(rows: Sequence[Sequence[str]]) -> pd.DataFrame:
    """Text rows with a header row → a text frame. Short rows (trailing empty cells dropped by
    the reader) are padded; header cells lose stray BOMs, tabs and spaces."""
    if not rows:
        raise MappingError("the table is empty")
    header = [str(cell).replace("\ufeff", "").strip() for cell in rows[0]]
    duplicates = sorted({h for h in header if header.count(h) > 1})
    if duplicates:
        raise MappingError(f"duplicate column names: {', '.join(duplicates)}")
    body = [list(row) + [""] * (len(header) - len(row)) for row in rows[1:]]
    frame = pd.DataFrame([row[: len(header)] for row in body], columns=header, dtype=object)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row")
    return frame


@dataclass(frozen=True)
class PreparedTable:
    table: pd.DataFrame  # features, LABEL, optional COHORT, group columns
    schema: FeatureSchema
    group_columns: tuple[str, ...]
    dropped_rows: int  # no outcome value
    unmapped_columns: tuple[str, ...]


def _blank_to_nan(column: pd.Series) -> pd.Series:
    text = column.astype(object).map(lambda v: v.strip() if isinstance(v, str) else v)
    return text.replace("", np.nan)


def parse_numeric(column: pd.Series, name: str) -> pd.Series:
    """Numbers, with blanks as missing; any other text is an error, not a silent NaN."""
    text = _blank_to_nan(column)
    numbers = pd.to_numeric(text, errors="coerce")
    bad = text[numbers.isna() & text.notna()]
    if len(bad):
        examples = ", ".join(repr(v) for v in bad.unique()[:EXAMPLES_IN_ERRORS])
        raise MappingError(f"column '{name}' is mapped as numeric but holds {examples}")
    return numbers.astype("float64")


def outcome_labels(outcome: pd.Series, mapping: ExternalMapping) -> pd.Series:
    """1 where the outcome is one of the "no destination" values; a value list that matches no
    row is almost always a typo, so it fails with the values actually present."""
    labels = outcome.isin(mapping.no_destination_values).astype(int)
    if not labels.any():
        present = ", ".join(repr(v) for v in sorted(outcome.unique())[: EXAMPLES_IN_ERRORS * 3])
        raise MappingError(
            f"no row of '{mapping.outcome_column}' matches {list(mapping.no_destination_values)}; "
            f"values present: {present}"
        )
    return labels


def prepare_table(raw: pd.DataFrame, mapping: ExternalMapping) -> PreparedTable:
    schema = mapping.schema()
    needed = mapping.mentioned() - set(mapping.ignored)
    missing = sorted(needed - set(raw.columns))
    if missing:
        raise MappingError(f"the table lacks mapped columns: {', '.join(missing)}")
    clashes = {LABEL, COHORT} & {spec.name for spec in mapping.features}
    if clashes:
        raise MappingError(f"feature names reserved by the pipeline: {', '.join(clashes)}")
    outcome = _blank_to_nan(raw[mapping.outcome_column])
    kept = raw[outcome.notna()]
    columns: dict[str, pd.Series] = {}
    for spec in schema.features:
        column = kept[spec.name]
        is_numeric = spec.kind is FeatureKind.NUMERIC
        columns[spec.name] = (
            parse_numeric(column, spec.name) if is_numeric else _blank_to_nan(column)
        )
    for group in mapping.group_columns:
        columns.setdefault(group, _blank_to_nan(kept[group]))
    columns[LABEL] = outcome_labels(outcome.dropna(), mapping)
    if mapping.cohort_column:
        columns[COHORT] = parse_numeric(kept[mapping.cohort_column], mapping.cohort_column)
    return PreparedTable(
        table=pd.DataFrame(columns, index=kept.index),
        schema=schema,
        group_columns=mapping.group_columns,
        dropped_rows=len(raw) - len(kept),
        unmapped_columns=tuple(c for c in raw.columns if c not in mapping.mentioned()),
    )  # fmt: skip


def preparation_notes(prepared: PreparedTable, mapping: ExternalMapping) -> list[str]:
    """What the operator should know about how the table was read."""
    notes = []
    if mapping.protected:
        notes.append(
            f"protected, never model inputs, used for fairness only: {', '.join(mapping.protected)}"
        )
    notes.extend(f"ignored '{column}': {why}" for column, why in mapping.ignored.items())
    if prepared.unmapped_columns:
        notes.append(f"columns not in the mapping (unused): {', '.join(prepared.unmapped_columns)}")
    if prepared.dropped_rows:
        notes.append(f"{prepared.dropped_rows} rows without an outcome value were left out")
    return notes


def evaluate_external(
    raw: pd.DataFrame,
    mapping: ExternalMapping,
    *,
    folds: int = DEFAULT_FOLDS,
    capacity: float = DEFAULT_CAPACITY,
    config: RiskModelConfig | None = None,
) -> tuple[CrossValidationReport, list[str]]:
    """Cross-validate the risk pipeline and the baseline on an external table."""
    prepared = prepare_table(raw, mapping)
    report = cross_validate(
        prepared.table,
        prepared.schema,
        folds=folds,
        capacity=capacity,
        config=config,
        group_columns=prepared.group_columns,
    )
    return report, preparation_notes(prepared, mapping)
