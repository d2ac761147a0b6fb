"""One status helper for every stage: a transition table per model and `move(...)`.

A table is plain data (which moves are allowed, which targets need a reason) and is tested
without a database. `move` is the one place a status changes: it checks the move against the
table, records the model's own history event, saves and writes the audit row. Cases use it
now; plans, actions, destinations and alerts will use it with their own tables.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog

_BAD_TRANSITION = gettext_lazy("%(current)s cannot become %(target)s.")


class StatusErrorCode(StrEnum):
    BAD_TRANSITION = "status.bad_transition"
    REASON_REQUIRED = "status.reason_required"


@dataclass(frozen=True)
class TransitionTable:
    """Allowed moves by current status; `needs_reason`: targets that require a note.

    Codes and messages may be set per table so each app keeps its own error codes.
    """

    allowed: Mapping[str, frozenset[str]]
    needs_reason: frozenset[str] = frozenset()
    labels: Mapping[str, Any] = field(default_factory=dict)
    bad_transition_code: str = StatusErrorCode.BAD_TRANSITION
    reason_required_code: str = StatusErrorCode.REASON_REQUIRED
    bad_transition_message: Any = _BAD_TRANSITION

    def __post_init__(self) -> None:
        unknown = {t for targets in self.allowed.values() for t in targets} - set(self.allowed)
        if unknown:
            raise ValueError(f"targets without a row in the table: {sorted(unknown)}")
        if not self.needs_reason <= set(self.allowed):
            raise ValueError("needs_reason names a status outside the table")

    @property
    def statuses(self) -> frozenset[str]:
        return frozenset(self.allowed)

    def can_move(self, current: str, target: str) -> bool:
        return target in self.allowed.get(current, frozenset())

    def needs_note(self, target: str) -> bool:
        return target in self.needs_reason

    def label(self, status: str) -> str:
        return str(self.labels.get(status, status))

    def check(self, current: str, target: str, note: str = "") -> None:
        """Raise the table's DomainError unless `current → target` may happen with `note`."""
        if not self.can_move(current, target):
            message = str(self.bad_transition_message) % {
                "current": self.label(current),
                "target": self.label(target),
            }
            raise DomainError(self.bad_transition_code, message)
        if self.needs_note(target) and not note.strip():
            raise DomainError(self.reason_required_code, _("A reason is required."))


class Recorder(Protocol):
    """Writes the model's own history row (CaseEvent, PlanEvent …) for one move."""

    def __call__(
        self, obj: Any, *, from_status: str, to_status: str, by: Any, note: str
    ) -> Any: ...


def move(
    obj: models.Model,
    target: str,
    *,
    table: TransitionTable,
    record: Recorder | Callable[..., Any],
    by: Any = None,
    role: str = "",
    note: str = "",
    changed: Iterable[str] = (),
    status_field: str = "status",
    request: HttpRequest | None = None,
    audit: bool = True,
    audit_fields: Iterable[str] | None = None,
    audit_detail: Mapping[str, Any] | None = None,
) -> None:
    """Check `obj`'s move to `target`, record the event, save and audit — in the caller's
    transaction (services are atomic). Nothing is written when the move is refused.

    `by` is the acting user (None: the system, e.g. a run proposing an exit); `changed` names
    the other fields the caller set on `obj` for this move, saved with the status.
    `audit=False` is for system moves whose history event is their record.
    """
    current = getattr(obj, status_field)
    table.check(current, target, note)
    record(obj, from_status=current, to_status=target, by=by, note=note)
    setattr(obj, status_field, target)
    update = {status_field, *changed}
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        update.add("updated_at")
    obj.save(update_fields=sorted(update))
    if audit:
        audit_log(
            actor=by, action=AuditLog.Action.UPDATE, target=obj, request=request, role=role,
            fields=list(audit_fields) if audit_fields is not None else sorted({status_field, *changed}),
            detail={"to": target, **(audit_detail or {})},
        )  # fmt: skip
