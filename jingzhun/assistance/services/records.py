"""Records (帮扶记录): what was actually done for a student, written against an action.

Who writes: the action's assignee (staff of its department) and the case's responsible
person; counselling records only the psychological centre. A record's content is stored with
the field group it belongs to — psychological for a counselling session or any record of a
psychological measure's action — fixed when written, so who may read it never depends on a
later edit of the catalogue.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.models import Action, AssistanceRecord
from jingzhun.assistance.sensitivity import measure_sensitivity
from jingzhun.assistance.services.actions import action_close
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.http import text_param
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Sensitivity

CONTENT_MAX = 4000
DURATION_MAX = 24 * 60
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# Allowed extensions → how such a file starts (Office files are zip archives).
ATTACHMENT_TYPES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}


def attachment_checked(upload: UploadedFile) -> str:
    """The upload's extension, once its size and first bytes fit an allowed type."""
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise _invalid(_("Attach a PDF, an image (PNG, JPG) or a Word or Excel file."), "attachment")  # fmt: skip
    if (upload.size or 0) > ATTACHMENT_MAX_BYTES:
        raise _invalid(_("The attachment may be at most %(mb)s MB.") % {"mb": ATTACHMENT_MAX_BYTES // (1024 * 1024)}, "attachment")  # fmt: skip
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(ATTACHMENT_TYPES[ext]):
        raise _invalid(_("The attachment's content does not match its type."), "attachment")
    return ext


def _invalid(message: str, field: str) -> DomainError:
    return DomainError(AssistanceErrorCode.RECORD_INVALID, message, field=field)


def may_write(actor: RoleAssignment | None, action: Action) -> bool:
    """The action's assignee (working in its department) or the case's responsible person."""
    if actor is None or not permissions.can_write_records(actor):
        return False
    assignee = (
        permissions.can_work_actions(actor)
        and actor.department_id == action.department_id
        and actor.user_id == action.assignee_id
    )
    owner = permissions.can_plan(actor) and actor.user_id == action.plan.case.responsible_id
    return assignee or owner


def kinds_for(actor: RoleAssignment | None) -> list[tuple[str, str]]:
    """The record kinds the actor may write (counselling for the psychological centre)."""
    counselling = permissions.can_write_counselling(actor)
    return [
        (value, str(label))
        for value, label in AssistanceRecord.Kind.choices
        if value != AssistanceRecord.Kind.COUNSELLING or counselling
    ]


def record_sensitivity(kind: str, action: Action) -> str:
    if kind == AssistanceRecord.Kind.COUNSELLING:
        return str(Sensitivity.PSYCHOLOGICAL)
    return measure_sensitivity(action.measure.department_kind, action.department.kind)


@transaction.atomic
def record_add(
    *, actor: RoleAssignment, action: Action, kind: str, occurred_on: dt.date | None,
    duration_minutes: int | None, content: str, attachment: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> AssistanceRecord:  # fmt: skip
    """Write a record of what was done for the action's student; audited (never the content)."""
    action = Action.objects.select_related("plan__case", "measure", "department").get(pk=action.pk)
    permissions.require(
        may_write(actor, action),
        message=_("Only the action's assignee and the case's responsible person add records."),
    )
    if kind not in AssistanceRecord.Kind.values:
        raise _invalid(_("Choose what kind of record this is."), "kind")
    if kind == AssistanceRecord.Kind.COUNSELLING:
        permissions.require(
            permissions.can_write_counselling(actor),
            message=_("Counselling records are written by the psychological centre only."),
        )
    if occurred_on is None:
        raise _invalid(_("Give the date it took place."), "occurred_on")
    if occurred_on > timezone.localdate():
        raise _invalid(_("A record tells what was done: the date cannot be in the future."), "occurred_on")  # fmt: skip
    duration = duration_minutes or 0
    if not 0 <= duration <= DURATION_MAX:
        raise _invalid(_("The duration is in minutes, at most one day."), "duration_minutes")
    content = content.strip()
    if not content:
        raise _invalid(_("Write what was done."), "content")
    if len(content) > CONTENT_MAX:
        raise _invalid(_("Please keep the record within %(max)s characters.") % {"max": CONTENT_MAX}, "content")  # fmt: skip
    ext = attachment_checked(attachment) if attachment is not None else ""
    record = AssistanceRecord(
        student_id=action.student_id, action=action, kind=kind, occurred_on=occurred_on,
        duration_minutes=duration, author=actor.user, department_id=actor.department_id,
        content=content, sensitivity=record_sensitivity(kind, action),
    )  # fmt: skip
    if attachment is not None:
        # A generated name: the original (kept for the download) may say too much.
        record.attachment_name = text_param(attachment.name, max_length=100)
        record.attachment.save(f"{uuid.uuid4().hex}.{ext}", attachment, save=False)
    record.save()
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=record, request=request,
              role=actor.role, detail={"action": action.pk, "kind": kind,
                                       "sensitivity": record.sensitivity,
                                       "attachment": bool(record.attachment)})  # fmt: skip
    return record


@transaction.atomic
def action_close_with_record(
    *, actor: RoleAssignment, action: Action, status: str, outcome: str, note: str,
    record_kind: str, duration_minutes: int | None = None, request: HttpRequest | None = None,
) -> Action:  # fmt: skip
    """Close the action and, when `record_kind` is given, record the closing note as what
    was done today — both or neither."""
    closed = action_close(actor=actor, action=action, status=status, outcome=outcome, note=note,
                          request=request)  # fmt: skip
    if record_kind:
        record_add(actor=actor, action=closed, kind=record_kind, occurred_on=timezone.localdate(),
                   duration_minutes=duration_minutes, content=note, request=request)  # fmt: skip
    return closed
