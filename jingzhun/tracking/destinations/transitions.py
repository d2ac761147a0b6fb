"""The registration's status table: verification in strict order — the school first, then
the employment office — or returned with a reason at either step."""

from django.utils.translation import gettext_lazy as _

from jingzhun.core.status import TransitionTable
from jingzhun.tracking.destinations.errors import DestinationErrorCode
from jingzhun.tracking.destinations.models import DestinationRegistration

S = DestinationRegistration.Status

REGISTRATION_TABLE = TransitionTable(
    allowed={
        S.SUBMITTED: frozenset({S.SCHOOL_VERIFIED, S.RETURNED, S.WITHDRAWN}),
        S.SCHOOL_VERIFIED: frozenset({S.OFFICE_VERIFIED, S.RETURNED, S.WITHDRAWN}),
        S.OFFICE_VERIFIED: frozenset({S.SUPERSEDED}),
        S.RETURNED: frozenset(),
        S.WITHDRAWN: frozenset(),
        S.SUPERSEDED: frozenset(),
    },
    needs_reason=frozenset({S.RETURNED}),
    labels=dict(S.choices),
    bad_transition_code=DestinationErrorCode.BAD_TRANSITION,
    reason_required_code=DestinationErrorCode.REASON_REQUIRED,
    bad_transition_message=_("A destination that is %(current)s cannot become %(target)s."),
)
