"""The fitted probability calibrator, kept as plain numbers instead of a pickled object.

scikit-learn fits it (`CalibratedClassifierCV`, see `training.py`); we keep only its parameters
— Platt's slope and intercept, or the isotonic step points — so that an artifact loads without
unpickling code and survives scikit-learn upgrades. `apply` reproduces scikit-learn's
`predict_proba` exactly; a test holds it to that.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
from scipy.special import expit


class CalibrationMethod(StrEnum):
    SIGMOID = "sigmoid"
    ISOTONIC = "isotonic"


class CalibratorInput(StrEnum):
    """What the calibrator was fitted on: LightGBM >= 4.7 exposes the raw margin to
    scikit-learn (`decision_function`); older versions only the probability."""

    MARGIN = "margin"
    PROBABILITY = "probability"


@dataclass(frozen=True)
class Calibrator:
    method: CalibrationMethod
    input: CalibratorInput
    slope: float = 0.0
    intercept: float = 0.0
    thresholds_x: tuple[float, ...] = ()
    thresholds_y: tuple[float, ...] = ()

    def apply(self, scores: np.ndarray) -> np.ndarray:
        scores = np.asarray(scores, dtype=np.float64)
        if self.method is CalibrationMethod.SIGMOID:
            probabilities = expit(-(self.slope * scores + self.intercept))
        else:
            x = np.asarray(self.thresholds_x)
            clipped = np.clip(scores, x[0], x[-1])
            probabilities = np.interp(clipped, x, np.asarray(self.thresholds_y))
        return np.clip(probabilities, 0.0, 1.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method.value,
            "input": self.input.value,
            "slope": self.slope,
            "intercept": self.intercept,
            "thresholds_x": list(self.thresholds_x),
            "thresholds_y": list(self.thresholds_y),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibrator:
        return cls(
            method=CalibrationMethod(data["method"]),
            input=CalibratorInput(data["input"]),
            slope=float(data["slope"]),
            intercept=float(data["intercept"]),
            thresholds_x=tuple(float(v) for v in data["thresholds_x"]),
            thresholds_y=tuple(float(v) for v in data["thresholds_y"]),
        )


def calibrator_from_sklearn(
    fitted: Any, method: CalibrationMethod, input_kind: CalibratorInput
) -> Calibrator:
    """Read the parameters out of scikit-learn's fitted one-dimensional calibrator."""
    if method is CalibrationMethod.SIGMOID:
        return Calibrator(method, input_kind, slope=float(fitted.a_), intercept=float(fitted.b_))
    return Calibrator(
        method,
        input_kind,
        thresholds_x=tuple(float(v) for v in fitted.X_thresholds_),
        thresholds_y=tuple(float(v) for v in fitted.y_thresholds_),
    )
