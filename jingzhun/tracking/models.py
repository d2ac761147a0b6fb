"""Tracking's tables. Each area keeps its models in its own module; they are imported here so
Django finds them."""

import jingzhun.tracking.publications.models
import jingzhun.tracking.satisfaction.models  # noqa: F401  ratings of actions, feedback
from jingzhun.tracking.contacts import ContactAttempt

__all__ = ["ContactAttempt"]
