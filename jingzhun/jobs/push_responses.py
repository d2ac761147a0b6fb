"""The student's response to a push, as a transition table for `core.status.move`.

A push starts as sent; opening it makes it viewed. From there the student says how far they
got — interested → applied → interview → offer — and may skip steps (applied without saying
interested) but never go back. Declining is possible at any point and needs a reason from
`JobPush.DeclineReason` ("other" also needs the student's own words). A student who declined
may change their mind and say they are interested or applied after all.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jingzhun.core.status import TransitionTable
from jingzhun.jobs.errors import JobsErrorCode

SENT, VIEWED, INTERESTED, APPLIED = "sent", "viewed", "interested", "applied"
INTERVIEW, OFFER, DECLINED = "interview", "offer", "declined"
PROGRESS = (INTERESTED, APPLIED, INTERVIEW, OFFER)  # in order
# What the student may tap in the portal (viewed is recorded by opening the push).
ANSWERS = (*PROGRESS, DECLINED)


def _later(step: str) -> frozenset[str]:
    return frozenset(PROGRESS[PROGRESS.index(step) + 1 :])


RESPONSE_TABLE = TransitionTable(
    allowed={
        SENT: frozenset({VIEWED, *PROGRESS, DECLINED}),
        VIEWED: frozenset({*PROGRESS, DECLINED}),
        INTERESTED: _later(INTERESTED) | {DECLINED},
        APPLIED: _later(APPLIED) | {DECLINED},
        INTERVIEW: _later(INTERVIEW) | {DECLINED},
        OFFER: frozenset({DECLINED}),
        DECLINED: frozenset({INTERESTED, APPLIED}),
    },
    needs_reason=frozenset({DECLINED}),
    labels={
        SENT: _("Not yet opened"),
        VIEWED: _("Viewed"),
        INTERESTED: _("Interested"),
        APPLIED: pgettext_lazy("job push", "Applied"),
        INTERVIEW: _("Interview"),
        OFFER: _("Offer"),
        DECLINED: _("Declined"),
    },
    bad_transition_code=JobsErrorCode.PUSH_BAD_RESPONSE,
    reason_required_code=JobsErrorCode.PUSH_REASON_REQUIRED,
    bad_transition_message=_("A push that is %(current)s cannot become %(target)s."),
)


def answers_after(current: str) -> list[str]:
    """The buttons the portal offers for a push in `current`, in the table's order."""
    return [a for a in ANSWERS if RESPONSE_TABLE.can_move(current, a)]
