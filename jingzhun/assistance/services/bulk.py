"""分批: draft the plans of many confirmed cases at once — all of them, or none.

The cases go through the set-based `drafting.plans_draft_many` (permission, scope, owner,
the cases' move to 帮扶中, versions, history, audit) in one transaction; if any is refused,
nothing is kept and the refusals come back per student, like identification's bulk
decisions. Cases that already have a plan are skipped, so a repeated click drafts nothing
twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.services.drafting import plans_draft_many
from jingzhun.core.errors import DomainError
from jingzhun.org.models import RoleAssignment

# One request drafts this many at most (a few seconds set-based); the page says so beyond.
BULK_MAX = 5000


@dataclass(frozen=True)
class BulkFailure:
    student: str  # name and student number
    message: str


@dataclass(frozen=True)
class BulkDraftResult:
    drafted: int
    failures: list[BulkFailure] = field(default_factory=list)
    skipped: int = 0


def plans_draft_bulk(
    *, actor: RoleAssignment, case_ids: Iterable[int], request: HttpRequest | None = None
) -> BulkDraftResult:
    permissions.require(permissions.can_plan(actor))
    ids = sorted(set(case_ids))
    if not ids:
        raise DomainError(
            AssistanceErrorCode.CASE_NOT_CONFIRMED, _("No case is waiting for a plan.")
        )
    if len(ids) > BULK_MAX:
        raise DomainError(AssistanceErrorCode.CASE_NOT_CONFIRMED, _(
            "At most %(max)s plans at once.") % {"max": BULK_MAX})  # fmt: skip
    result = plans_draft_many(actor=actor, case_ids=ids, request=request)
    failures = [BulkFailure(r.student, r.message) for r in result.refusals]
    return BulkDraftResult(result.drafted, failures, result.skipped)
