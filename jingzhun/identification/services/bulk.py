"""分批分类: one decision over many cases — all of them, or none.

The reviewer picks the checked cards or the whole filtered queue; each case goes through the
same service as a single decision (permission, scope, status table, event, audit). If any
case is refused, every case is left as it was and the refusals come back per student, so the
reviewer can fix the selection and try again; a half-applied batch is never left behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.errors import DomainError
from jingzhun.identification import permissions
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import Case, Level
from jingzhun.identification.services.cases import case_assign, case_confirm, case_dismiss
from jingzhun.org.models import RoleAssignment, User

BULK_MAX = 2000  # a school's queue at most; a larger selection is narrowed by the filters


class BulkAction(StrEnum):
    CONFIRM = "confirm"
    DISMISS = "dismiss"
    ASSIGN = "assign"


@dataclass(frozen=True)
class BulkFailure:
    case_id: int
    student: str  # name and student number
    message: str


@dataclass(frozen=True)
class BulkResult:
    action: BulkAction
    done: int
    failures: list[BulkFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class _RolledBack(Exception):
    pass


def case_bulk_decide(
    *, actor: RoleAssignment, case_ids: Iterable[int], action: str, level: int | None = None,
    reason: str = "", responsible: User | None = None, request: HttpRequest | None = None,
) -> BulkResult:  # fmt: skip
    """Apply `action` to every case of `case_ids` in one transaction, or to none.

    Confirm keeps each case's own types and level unless `level` is given; the responsible
    person is `responsible` or each class's counsellor. Dismiss needs `reason`. Assign sets
    the responsible person only. Returns how many were done, or the refusals per student.
    """
    permissions.require(permissions.can_review(actor))
    if action not in BulkAction.__members__.values():
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION, _("Choose what to do."))
    ids = sorted(set(case_ids))
    if not ids:
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION, _("No case was selected."))
    if len(ids) > BULK_MAX:
        raise DomainError(IdentificationErrorCode.BAD_TRANSITION, _(
            "At most %(max)s cases at once; narrow the filters.") % {"max": BULK_MAX})  # fmt: skip
    failures: list[BulkFailure] = []
    try:
        with transaction.atomic():
            locked = list(
                Case.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True)
            )
            cases = (Case.objects.filter(pk__in=locked).select_related("student")
                     .prefetch_related("types").order_by("pk"))  # fmt: skip
            for case in cases:
                try:
                    _decide_one(
                        actor, case, BulkAction(action), level, reason, responsible, request
                    )
                except DomainError as exc:
                    failures.append(BulkFailure(
                        case.pk, f"{case.student.name}（{case.student.student_number}）", exc.message))  # fmt: skip
            missing = len(ids) - len(locked)
            if missing:
                failures.append(BulkFailure(0, "—", _(
                    "%(n)s of the selected cases no longer exist.") % {"n": missing}))  # fmt: skip
            if failures:
                raise _RolledBack
    except _RolledBack:
        return BulkResult(BulkAction(action), 0, failures)
    return BulkResult(BulkAction(action), len(ids))


def _decide_one(
    actor: RoleAssignment, case: Case, action: BulkAction, level: int | None, reason: str,
    responsible: User | None, request: HttpRequest | None,
) -> None:  # fmt: skip
    if action == BulkAction.CONFIRM:
        case_confirm(actor=actor, case=case, types=list(case.types.all()),
                     level=level or case.level or Level.GENERAL, responsible=responsible,
                     request=request)  # fmt: skip
    elif action == BulkAction.DISMISS:
        case_dismiss(actor=actor, case=case, reason=reason, request=request)
    else:
        case_assign(actor=actor, case=case, responsible=responsible, request=request)
