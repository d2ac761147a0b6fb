"""Tracking's tables. Each area keeps its models in its own module; they are imported here so
Django finds them."""

from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.destinations.models import (
    DestinationEvent,
    DestinationEvidence,
    DestinationRegistration,
)

__all__ = ["ContactAttempt", "DestinationEvent", "DestinationEvidence", "DestinationRegistration"]
