"""Per-student features from event data, as pure Ibis table functions (DuckDB and Spark)."""

from jingzhun.data.features.card import CARD_FEATURES, KEYS, card_features
from jingzhun.data.features.combine import combine_features
from jingzhun.data.features.dorm import DORM_FEATURES, dorm_features
from jingzhun.data.features.jobs import JOB_FEATURES, job_features
from jingzhun.data.features.library import LIBRARY_FEATURES, library_features
from jingzhun.data.features.params import CardFeatureParams, DormParams, JobPlatformParams

__all__ = [
    "CARD_FEATURES",
    "DORM_FEATURES",
    "JOB_FEATURES",
    "KEYS",
    "LIBRARY_FEATURES",
    "CardFeatureParams",
    "DormParams",
    "JobPlatformParams",
    "card_features",
    "combine_features",
    "dorm_features",
    "job_features",
    "library_features",
]
