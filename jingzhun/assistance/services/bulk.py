"""分批: draft the plans of many confirmed cases at once — all of them, or none.

Each case goes through `plan_draft` (permission, scope, the case's move to 帮扶中, versions,
audit) inside one transaction; if any is refused, nothing is kept and the refusals come back
per student, like identification's bulk decisions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.services.plans import plan_draft
from jingzhun.core.errors import DomainError
from jingzhun.identification.models import Case
from jingzhun.org.models import RoleAssignment

BULK_MAX = 500


@dataclass(frozen=True)
class BulkFailure:
    student: str  # name and student number
    message: str


@dataclass(frozen=True)
class BulkDraftResult:
    drafted: int
    failures: list[BulkFailure] = field(default_factory=list)


class _RolledBack(Exception):
    pass


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
    failures: list[BulkFailure] = []
    try:
        with transaction.atomic():
            cases = list(Case.objects.filter(pk__in=ids).select_related("student").order_by("pk"))
            for case in cases:
                try:
                    plan_draft(actor=actor, case=case, request=request)
                except DomainError as exc:
                    failures.append(
                        BulkFailure(
                            f"{case.student.name}（{case.student.student_number}）", exc.message
                        )
                    )
            if len(cases) != len(ids):
                failures.append(BulkFailure("—", _("Some of these cases no longer exist.")))
            if failures:
                raise _RolledBack
    except _RolledBack:
        return BulkDraftResult(0, failures)
    return BulkDraftResult(len(ids))
