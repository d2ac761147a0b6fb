"""Tracking's tables. Each area keeps its models in its own module; they are imported here so
Django finds them."""

from jingzhun.tracking.alerts.models import Alert, AlertCheckRun  # noqa: F401
from jingzhun.tracking.batches.models import BatchItem, BatchOperation  # noqa: F401
from jingzhun.tracking.contacts import ContactAttempt

__all__ = ["ContactAttempt"]
