"""The ordered list of model inputs, its fingerprint, and the refusal of protected attributes.

A model is only valid for inputs built exactly as at training time: same names, same order,
same kinds. The SHA-256 of that description is stored with every artifact so that scoring can
refuse a table built by a different feature pipeline instead of silently mis-scoring it.

Protected attributes (gender, ethnicity, and whatever a deployment declares) must never be model
inputs — policy, and PIPL — so a schema that contains one cannot be constructed at all.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Bumped when the hashed description changes shape, so old and new hashes never collide.
SCHEMA_HASH_FORMAT = 1

# Lower-cased names that are always protected, in the spellings the public datasets and the
# registry use. A deployment adds its own through `FeatureSchema(protected=...)`.
ALWAYS_PROTECTED: frozenset[str] = frozenset(
    {"gender", "sex", "ethnicity", "ethnic_group", "race", "nation", "性别", "民族"}
)


class FeatureKind(StrEnum):
    NUMERIC = "numeric"
    CATEGORICAL = "categorical"


class ProtectedAttributeError(ValueError):
    """A protected attribute was offered as a model input."""


@dataclass(frozen=True)
class FeatureSpec:
    """One model input. `label` and `phrase` only shape explanations; they are not hashed."""

    name: str
    kind: FeatureKind
    label: str = ""
    phrase: str = ""

    def display_label(self) -> str:
        return self.label or self.name


def _normalise(name: str) -> str:
    return name.strip().casefold()


@dataclass(frozen=True)
class FeatureSchema:
    features: tuple[FeatureSpec, ...]
    protected: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        names = [spec.name for spec in self.features]
        if not names:
            raise ValueError("a feature schema needs at least one feature")
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate feature names: {', '.join(duplicates)}")
        refused = [n for n in names if _normalise(n) in self.protected_names()]
        if refused:
            raise ProtectedAttributeError(
                "protected attributes cannot be model inputs (use them only in the fairness "
                f"report): {', '.join(refused)}"
            )

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, FeatureKind | str]], protected: Iterable[str] = ()
    ) -> FeatureSchema:
        specs = tuple(FeatureSpec(name, FeatureKind(kind)) for name, kind in pairs)
        return cls(specs, frozenset(protected))

    def protected_names(self) -> frozenset[str]:
        return ALWAYS_PROTECTED | {_normalise(n) for n in self.protected}

    @property
    def names(self) -> list[str]:
        return [spec.name for spec in self.features]

    def names_of(self, kind: FeatureKind) -> list[str]:
        return [spec.name for spec in self.features if spec.kind is kind]

    def hash(self) -> str:
        """SHA-256 of the ordered (name, kind) list: what the trees were grown on, nothing else."""
        description = {
            "format": SCHEMA_HASH_FORMAT,
            "features": [[spec.name, spec.kind.value] for spec in self.features],
        }
        canonical = json.dumps(description, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": [
                {"name": s.name, "kind": s.kind.value, "label": s.label, "phrase": s.phrase}
                for s in self.features
            ],
            "protected": sorted(self.protected),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FeatureSchema:
        specs = tuple(
            FeatureSpec(
                name=item["name"],
                kind=FeatureKind(item["kind"]),
                label=item.get("label", ""),
                phrase=item.get("phrase", ""),
            )
            for item in data["features"]
        )
        return cls(specs, frozenset(data.get("protected", ())))
