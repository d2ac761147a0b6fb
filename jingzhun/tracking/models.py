"""Tracking's tables. Each area keeps its models in its own module; they are imported here so
Django finds them."""

from jingzhun.tracking.alerts.models import Alert, AlertCheckRun
from jingzhun.tracking.batches.models import BatchItem, BatchOperation
from jingzhun.tracking.contacts import ContactAttempt
from jingzhun.tracking.destinations.models import (
    DestinationEvent,
    DestinationEvidence,
    DestinationRegistration,
)
from jingzhun.tracking.followups.models import FollowUp
from jingzhun.tracking.handover.models import HandoverBatch, HandoverEntry
from jingzhun.tracking.publications.models import (
    PolicyArticle,
    PolicyAudienceCohort,
    PolicyRead,
    PolicyVisit,
    ProcedureStep,
)
from jingzhun.tracking.satisfaction.models import ActionRating, StudentFeedback

__all__ = [
    "ActionRating",
    "Alert",
    "AlertCheckRun",
    "BatchItem",
    "BatchOperation",
    "ContactAttempt",
    "DestinationEvent",
    "DestinationEvidence",
    "DestinationRegistration",
    "FollowUp",
    "HandoverBatch",
    "HandoverEntry",
    "PolicyArticle",
    "PolicyAudienceCohort",
    "PolicyRead",
    "PolicyVisit",
    "ProcedureStep",
    "StudentFeedback",
]
