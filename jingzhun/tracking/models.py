"""Tracking's tables. Each area keeps its models in its own module; they are imported here so
Django finds them."""

import jingzhun.tracking.publications.models
import jingzhun.tracking.satisfaction.models  # noqa: F401  ratings of actions, feedback
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.destinations.models import (
    DestinationEvent,
    DestinationEvidence,
    DestinationRegistration,
)
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry

__all__ = [
    "ContactAttempt",
    "DestinationEvent",
    "DestinationEvidence",
    "DestinationRegistration",
    "FollowUp",
    "HandoverBatch",
    "HandoverEntry",
]
