"""Reading records (帮扶记录) for one viewer: confidential content only for the roles that may
open its field group — a counselling session's only for the psychological centre — every such
read audited (VIEW_SENSITIVE with the record ids).

Everyone else who sees the record sees that it took place, when, and by which department —
the content is never handed to a template for them (left empty here, not hidden there).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance.models import Action, AssistanceRecord
from jingzhun.assistance.permissions import can_write_counselling
from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.identification.case_selectors import openable
from jingzhun.org.models import RoleAssignment


def _records(qs: QuerySet[AssistanceRecord]) -> QuerySet[AssistanceRecord]:
    return qs.select_related("author", "department", "student").order_by("-occurred_on", "-pk")


def shown(
    records: Iterable[AssistanceRecord],
    *,
    actor: RoleAssignment,
    request: HttpRequest | None = None,
) -> list[AssistanceRecord]:
    """The records with `shown_content` and `restricted` set for the actor. Confidential
    content that is shown is audited: one VIEW_SENSITIVE row per student, naming the records."""
    allowed = openable(actor)
    centre = can_write_counselling(actor)
    rows = list(records)
    read: dict[int, list[AssistanceRecord]] = defaultdict(list)
    for record in rows:
        # A counselling session's content is the psychological centre's alone, stricter than
        # the field table (which lets a counsellor open psychological screening results).
        record.restricted = bool(record.sensitivity) and (
            record.sensitivity not in allowed
            or (record.kind == AssistanceRecord.Kind.COUNSELLING and not centre)
        )
        record.shown_content = "" if record.restricted else record.content
        if record.sensitivity and not record.restricted:
            read[record.student_id].append(record)
    for group in read.values():
        audit_log(actor=actor.user, action=AuditLog.Action.VIEW_SENSITIVE, target=group[0].student,
                  fields=sorted({r.sensitivity for r in group}), request=request, role=actor.role,
                  detail={"records": [r.pk for r in group]})  # fmt: skip
    return rows


def records_of_action(
    *, actor: RoleAssignment, action: Action, request: HttpRequest | None = None
) -> list[AssistanceRecord]:
    """The action's records (the caller got the action through `selectors.action_get`)."""
    return shown(_records(action.records.all()), actor=actor, request=request)


def records_of_actions(
    *, actor: RoleAssignment, actions: QuerySet[Action], request: HttpRequest | None = None
) -> list[AssistanceRecord]:
    """Records of the given (already scoped) actions."""
    return shown(
        _records(AssistanceRecord.objects.filter(action__in=actions)), actor=actor, request=request
    )


def when(record: AssistanceRecord) -> dt.datetime:
    """The record's moment on a timeline: when it was written if that was the same day, else
    noon of the day it took place."""
    written = timezone.localtime(record.created_at)
    if written.date() == record.occurred_on:
        return written
    return timezone.make_aware(dt.datetime.combine(record.occurred_on, dt.time(12)))


def fact(record: AssistanceRecord) -> str:
    """What a reader without access is told: that it took place, and by which department."""
    names = {"department": record.department.name if record.department else "—"}
    if record.kind == AssistanceRecord.Kind.COUNSELLING:
        return _("A counselling session took place (%(department)s)") % names
    return _("A confidential record was written (%(department)s)") % names


def title(record: AssistanceRecord) -> str:
    if record.restricted:
        return fact(record)
    names = {
        "kind": record.get_kind_display(),
        "department": record.department.name if record.department else "",
    }
    if names["department"]:
        return _("%(kind)s (%(department)s)") % names
    return str(names["kind"])
