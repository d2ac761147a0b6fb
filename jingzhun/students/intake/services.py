"""Import batches: upload → configure → check → apply, each step one service."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.tabular import Table, TableReadError, read_table
from jingzhun.core.tasks import enqueue_on_commit
from jingzhun.org.models import RoleAssignment
from jingzhun.students.intake.apply import apply_rows
from jingzhun.students.intake.headers import detect_header, missing_required
from jingzhun.students.intake.kinds import KINDS
from jingzhun.students.intake.models import ColumnMapping, ImportBatch
from jingzhun.students.intake.permissions import can_import
from jingzhun.students.intake.validate import Validation, parse_rows, resolve, validate_payload

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_STORED_ERRORS = 20000


class ImportErrorCode(StrEnum):
    NOT_ALLOWED = "import.not_allowed"
    UNREADABLE = "import.unreadable"
    TOO_LARGE = "import.too_large"
    MISSING_COLUMNS = "import.missing_columns"
    WRONG_STATE = "import.wrong_state"
    HAS_ERRORS = "import.has_errors"


def read_batch_table(batch: ImportBatch) -> Table:
    with batch.file.open("rb") as handle:
        data = handle.read()
    return read_table(data, batch.original_name, batch.sheet or None)


def _saved_headers(batch: ImportBatch) -> dict[str, str] | None:
    if not batch.source:
        return None
    saved = ColumnMapping.objects.filter(
        institution=batch.institution, kind=batch.kind, source=batch.source
    ).first()
    return saved.headers if saved else None


def import_batch_create(
    *, actor: RoleAssignment, kind: str, filename: str, data: bytes, source: str = "",
    request: HttpRequest | None = None,
) -> ImportBatch:  # fmt: skip
    """Keep the file, read it once, and guess sheet, header row and mapping."""
    if not can_import(actor, kind) or actor.institution_id is None:
        raise DomainError(
            ImportErrorCode.NOT_ALLOWED, _("Your role may not import this kind of data.")
        )
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(ImportErrorCode.TOO_LARGE, _("The file is larger than 50 MB."))
    try:
        table = read_table(data, filename)
    except TableReadError as exc:
        raise DomainError(ImportErrorCode.UNREADABLE, str(exc)) from exc
    batch = ImportBatch(
        institution_id=actor.institution_id, kind=kind, uploaded_by=actor.user, uploaded_role=actor,
        original_name=filename[:200], sha256=hashlib.sha256(data).hexdigest(), source=source[:60],
        sheet=table.sheet,
    )  # fmt: skip
    guess = detect_header(table.rows, KINDS[kind], _saved_headers(batch))
    batch.header_row = guess.row
    batch.mapping = {str(column): name for column, name in guess.mapping.items()}
    with transaction.atomic():
        batch.file.save(filename, ContentFile(data), save=False)
        batch.save()
        audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=batch, request=request,
                  detail={"kind": kind, "file": filename, "sha256": batch.sha256})  # fmt: skip
    return batch


def import_batch_configure(
    *, actor: RoleAssignment, batch: ImportBatch, sheet: str, header_row: int, mapping: dict[int, str],
    save_for_source: str = "",
) -> ImportBatch:  # fmt: skip
    """Set the user's sheet, header row and mapping; optionally save it for the source system."""
    _require_state(batch, {ImportBatch.Status.UPLOADED, ImportBatch.Status.VALIDATED})
    kind = KINDS[batch.kind]
    mapping = {c: n for c, n in mapping.items() if n in kind.by_name}
    missing = missing_required(mapping, kind)
    if missing:
        raise DomainError(
            ImportErrorCode.MISSING_COLUMNS,
            _("Required columns are not mapped: %(columns)s") % {"columns": "、".join(missing)},
        )
    batch.sheet, batch.header_row = sheet, header_row
    batch.mapping = {str(c): n for c, n in sorted(mapping.items())}
    batch.status = ImportBatch.Status.UPLOADED
    with transaction.atomic():
        batch.save()
        if save_for_source:
            headers = read_batch_table(batch).rows[header_row]
            ColumnMapping.objects.update_or_create(
                institution=batch.institution, kind=batch.kind, source=save_for_source[:60],
                defaults={"headers": {headers[c]: n for c, n in mapping.items() if c < len(headers)}},
            )  # fmt: skip
    return batch


def _require_state(batch: ImportBatch, allowed: set[str]) -> None:
    if batch.status not in allowed:
        raise DomainError(
            ImportErrorCode.WRONG_STATE,
            _("This import is %(status)s.") % {"status": batch.get_status_display()},
        )


def validate_batch(batch: ImportBatch) -> Validation:
    """Parse and resolve the whole file (pure reading: nothing is written)."""
    table = read_batch_table(batch)
    kind = KINDS[batch.kind]
    result = parse_rows(table.rows, batch.header_row, batch.mapping_by_column, kind)
    return resolve(result, kind, institution_id=batch.institution_id, actor=batch.uploaded_role)


def import_batch_check(*, batch_id: int) -> ImportBatch:
    """Validate and store counts and errors; idempotent (a re-check recomputes the same)."""
    batch = ImportBatch.objects.select_related("uploaded_role__department").get(pk=batch_id)
    if batch.status in {ImportBatch.Status.APPLYING, ImportBatch.Status.APPLIED}:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.VALIDATING, progress=10
    )
    try:
        result = validate_batch(batch)
    except TableReadError as exc:
        batch.status, batch.failure = ImportBatch.Status.FAILED, str(exc)
        batch.save(update_fields=["status", "failure", "updated_at"])
        return batch
    batch.total_rows, batch.valid_rows, batch.error_rows = (
        result.total,
        len(result.valid),
        result.error_rows,
    )
    batch.errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
    batch.status, batch.progress = ImportBatch.Status.VALIDATED, 100
    batch.save(
        update_fields=[
            "total_rows",
            "valid_rows",
            "error_rows",
            "errors",
            "status",
            "progress",
            "updated_at",
        ]
    )
    return batch


def import_batch_request_check(*, batch: ImportBatch) -> None:
    from jingzhun.students.tasks import import_check_task

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING, progress=0)
    enqueue_on_commit(import_check_task, batch.pk)


def import_batch_request_apply(
    *, actor: RoleAssignment, batch: ImportBatch, mode: str, request: HttpRequest | None = None
) -> ImportBatch:
    """Queue the apply. All-or-nothing refuses a file that has any error."""
    from jingzhun.students.tasks import import_apply_task

    _require_state(batch, {ImportBatch.Status.VALIDATED})
    if mode == ImportBatch.Mode.ALL_OR_NOTHING and batch.error_rows:
        raise DomainError(
            ImportErrorCode.HAS_ERRORS,
            _("%(n)s rows have errors; fix them or choose to apply valid rows only.")
            % {"n": batch.error_rows},
        )
    with transaction.atomic():
        batch.mode, batch.status = mode, ImportBatch.Status.APPLYING
        batch.save(update_fields=["mode", "status", "updated_at"])
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=batch, request=request,
                  detail={"requested": "apply", "mode": mode})  # fmt: skip
        enqueue_on_commit(import_apply_task, batch.pk)
    return batch


def import_batch_apply(*, batch_id: int) -> ImportBatch:
    """Re-validate and write in ONE transaction, holding the batch row.

    A crash anywhere rolls everything back and leaves the batch in APPLYING, so running
    this again (a retry, or `jingzhun import-resume`) applies it exactly once; an already
    applied batch is left alone.
    """
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("uploaded_role__department")
            .get(pk=batch_id)
        )
        if batch.status != ImportBatch.Status.APPLYING:
            return batch
        result = validate_batch(batch)
        if batch.mode == ImportBatch.Mode.ALL_OR_NOTHING and result.errors:
            batch.status = ImportBatch.Status.REJECTED
            batch.errors = [e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]]
            batch.save(update_fields=["status", "errors", "updated_at"])
            return batch
        counts = apply_rows(KINDS[batch.kind], result.valid)
        batch.created_count, batch.updated_count, batch.unchanged_count = (
            counts.created,
            counts.updated,
            counts.unchanged,
        )
        batch.status, batch.applied_at, batch.progress = (
            ImportBatch.Status.APPLIED,
            timezone.now(),
            100,
        )
        batch.save()
        audit_log(actor=batch.uploaded_by, action=AuditLog.Action.UPDATE, target=batch, role=batch.uploaded_role.role if batch.uploaded_role else "",
                  detail={"applied": batch.kind, "created": counts.created, "updated": counts.updated,
                          "unchanged": counts.unchanged, "skipped_rows": result.error_rows})  # fmt: skip
    return batch


@dataclass(frozen=True)
class PayloadResult:
    applied: bool
    created: int
    updated: int
    unchanged: int
    errors: list[dict[str, Any]]


def records_upsert(
    *,
    actor: RoleAssignment,
    kind: str,
    records: list[dict[str, Any]],
    mode: str,
    request: HttpRequest | None = None,
    audit_detail: dict[str, Any] | None = None,
) -> PayloadResult:
    """Validate and upsert JSON records in one transaction (the API's bulk endpoints).

    `all_or_nothing` writes nothing when any record has an error; `valid_rows` writes the rest.
    """
    spec = KINDS[kind]
    if not can_import(actor, kind) or actor.institution_id is None:
        raise DomainError(
            ImportErrorCode.NOT_ALLOWED, _("Your role may not import this kind of data.")
        )
    with transaction.atomic():
        result = validate_payload(spec, records, institution_id=actor.institution_id, actor=actor)
        errors = [e.as_dict() for e in result.errors]
        if mode == ImportBatch.Mode.ALL_OR_NOTHING and errors:
            return PayloadResult(False, 0, 0, 0, errors)
        counts = apply_rows(spec, result.valid)
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, request=request, role=actor.role,
                  detail={"applied": kind, "via": "api",
                **(audit_detail or {}), "created": counts.created, "updated": counts.updated,
                          "unchanged": counts.unchanged, "rejected": len({e["row"] for e in errors})})  # fmt: skip
    return PayloadResult(True, counts.created, counts.updated, counts.unchanged, errors)
