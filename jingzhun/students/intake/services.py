"""Import batches: upload → configure → check → apply, each step one service."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress, is_interrupted, job_enqueue, job_retry, latest_job
from jingzhun.core.models import AuditLog, Job
from jingzhun.core.sheetguard import MB, ReadLimits
from jingzhun.core.sheetreader import read_sheet
from jingzhun.core.tabular import CSV_SUFFIXES, EXCEL_SUFFIXES, TableReadError, iter_rows_file
from jingzhun.org.models import RoleAssignment
from jingzhun.students.intake.apply import apply_rows
from jingzhun.students.intake.headers import detect_header, missing_required, suggest_mapping
from jingzhun.students.intake.kinds import KINDS
from jingzhun.students.intake.models import ColumnMapping, ImportBatch
from jingzhun.students.intake.permissions import can_import
from jingzhun.students.intake.setup import SetupValidation, setup_apply, setup_check
from jingzhun.students.intake.validate import Validation, parse_rows, resolve, validate_payload

MAX_STORED_ERRORS = 20000
# A worker that stops (killed, machine restarted) leaves its step unfinished; after this long
# the page offers to run the step again. An apply of 200,000 rows takes a few minutes.
STALLED_AFTER = timedelta(minutes=30)


class ImportErrorCode(StrEnum):
    NOT_ALLOWED = "import.not_allowed"
    UNREADABLE = "import.unreadable"
    TOO_LARGE = "import.too_large"
    MISSING_COLUMNS = "import.missing_columns"
    WRONG_STATE = "import.wrong_state"
    HAS_ERRORS = "import.has_errors"


def read_limits() -> ReadLimits:
    return ReadLimits(
        max_bytes=settings.IMPORT_MAX_UPLOAD_MB * MB, max_rows=settings.IMPORT_MAX_ROWS
    )


def _saved_headers(batch: ImportBatch) -> dict[str, str] | None:
    if not batch.source:
        return None
    saved = ColumnMapping.objects.filter(
        institution=batch.institution, kind=batch.kind, source=batch.source
    ).first()
    return saved.headers if saved else None


def _require_import(actor: RoleAssignment, kind: str) -> int:
    """The actor's institution, when the actor may import `kind` into it."""
    if not can_import(actor, kind) or actor.institution_id is None:
        raise DomainError(
            ImportErrorCode.NOT_ALLOWED, _("Your role may not import this kind of data.")
        )
    return actor.institution_id


def import_batch_create(
    *, actor: RoleAssignment, kind: str, filename: str, data: bytes | File, source: str = "",
    request: HttpRequest | None = None,
) -> ImportBatch:  # fmt: skip
    """Keep the file and queue its reading; nothing in it is parsed here (a request never does).

    Size and type are known without reading: the rest (shape, encoding, sheets, header row)
    is the worker's `import_batch_read`, which the page shows progress of.
    """
    institution_id = _require_import(actor, kind)
    upload = ContentFile(data, name=filename) if isinstance(data, bytes) else data
    limits = read_limits()
    if upload.size is not None and upload.size > limits.max_bytes:
        raise DomainError(
            ImportErrorCode.TOO_LARGE,
            _("The file is larger than %(mb)s MB.") % {"mb": limits.max_bytes // MB},
        )
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix not in EXCEL_SUFFIXES | CSV_SUFFIXES:
        raise DomainError(
            ImportErrorCode.UNREADABLE,
            _("Unsupported file type %(suffix)s: upload .xlsx, .xls or .csv.")
            % {"suffix": suffix or _("(no extension)")},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    batch = ImportBatch(
        institution_id=institution_id, kind=kind, uploaded_by=actor.user, uploaded_role=actor,
        original_name=filename[:200], sha256=digest.hexdigest(), source=source[:60],
        status=ImportBatch.Status.READING,
    )  # fmt: skip
    with transaction.atomic():
        batch.file.save(filename, upload, save=False)
        batch.save()
        audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=batch, request=request,
                  detail={"kind": kind, "file": filename, "sha256": batch.sha256})  # fmt: skip
        job_enqueue(kind=READ_JOB, subject=batch)
    return batch


# The three steps a worker does, each a long job (jingzhun.core.jobs) registered in apps.py.
READ_JOB, CHECK_JOB, APPLY_JOB = "import.read", "import.check", "import.apply"
READ_STEP = gettext_lazy("Reading the file")


def _tasks() -> Any:
    from jingzhun.students import tasks

    return tasks


def import_batch_read(*, batch_id: int) -> ImportBatch:
    """Worker: check the upload against the limits and read its sheet once into rows.

    A file that breaks a limit, or kills the capped reader, fails with the reason; the web and
    this worker stay small either way. Idempotent: only a batch still READING is read.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != ImportBatch.Status.READING:
        return batch
    with tempfile.TemporaryDirectory(prefix="jingzhun-import-") as folder:
        source, target = Path(folder) / "upload", Path(folder) / "rows.csv"
        with batch.file.open("rb") as upload, source.open("wb") as copy:
            shutil.copyfileobj(upload, copy, 1 << 20)
        try:
            summary = read_sheet(source, batch.original_name, batch.sheet or None, target,
                                 read_limits())  # fmt: skip
        except TableReadError as exc:
            batch.status, batch.failure = ImportBatch.Status.FAILED, str(exc)
            batch.save(update_fields=["status", "failure", "updated_at"])
            return batch
        with target.open("rb") as rows:
            stem = Path(batch.file.name or "upload").stem
            batch.rows_file.save(f"{stem}-rows.csv", File(rows), save=False)
    sheet_changed = summary.sheet != batch.sheet
    batch.sheet, batch.reading = summary.sheet, asdict(summary)
    if sheet_changed or not batch.mapping:
        guess = detect_header(batch.preview, KINDS[batch.kind], _saved_headers(batch))
        batch.header_row = guess.row
        batch.mapping = {str(column): name for column, name in guess.mapping.items()}
    batch.status, batch.failure = ImportBatch.Status.UPLOADED, ""
    batch.save()
    return batch


def import_batch_choose_sheet(*, actor: RoleAssignment, batch: ImportBatch, sheet: str) -> None:
    """Read another sheet of the same file (in the worker, like the first)."""
    _require_import(actor, batch.kind)
    _require_state(batch, {ImportBatch.Status.UPLOADED, ImportBatch.Status.VALIDATED})
    if sheet not in batch.sheet_names:
        raise DomainError(ImportErrorCode.UNREADABLE, _("This file has no such sheet."))
    with transaction.atomic():
        batch.sheet, batch.mapping, batch.header_row = sheet, {}, 0
        batch.status = ImportBatch.Status.READING
        batch.save(update_fields=["sheet", "mapping", "header_row", "status", "updated_at"])
        job_enqueue(kind=READ_JOB, subject=batch)


def import_batch_configure(
    *, actor: RoleAssignment, batch: ImportBatch, sheet: str, header_row: int, mapping: dict[int, str],
    save_for_source: str = "",
) -> ImportBatch:  # fmt: skip
    """Set the user's header row and mapping; optionally save it for the source system."""
    _require_import(actor, batch.kind)
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
            headers = batch.headers()
            ColumnMapping.objects.update_or_create(
                institution=batch.institution, kind=batch.kind, source=save_for_source[:60],
                defaults={"headers": {headers[c]: n for c, n in mapping.items() if c < len(headers)}},
            )  # fmt: skip
    return batch


def import_batch_set_header_row(
    *, actor: RoleAssignment, batch: ImportBatch, header_row: int
) -> ImportBatch:
    """Another header row: its columns are mapped afresh (by the saved mapping or synonyms)."""
    _require_import(actor, batch.kind)
    _require_state(batch, {ImportBatch.Status.UPLOADED, ImportBatch.Status.VALIDATED})
    headers = batch.preview[header_row] if header_row < len(batch.preview) else []
    mapping = suggest_mapping(headers, KINDS[batch.kind], _saved_headers(batch))
    batch.header_row, batch.status = header_row, ImportBatch.Status.UPLOADED
    batch.mapping = {str(column): name for column, name in mapping.items()}
    batch.save(update_fields=["header_row", "mapping", "status", "updated_at"])
    return batch


def _require_state(batch: ImportBatch, allowed: set[str]) -> None:
    if batch.status not in allowed:
        raise DomainError(
            ImportErrorCode.WRONG_STATE,
            _("This import is %(status)s.") % {"status": batch.get_status_display()},
        )


def validate_batch(batch: ImportBatch, progress: Progress | None = None) -> Validation:
    """Parse and resolve the rows read from the file, streaming (nothing is written)."""
    if not batch.rows_file:
        raise TableReadError(_("This file has not been read yet; read it again."))
    kind = KINDS[batch.kind]
    with batch.rows_file.open("rb") as handle:
        rows = iter_rows_file(handle)
        if progress is not None:
            data_rows = int(batch.reading.get("rows", 0)) - batch.header_row - 1
            progress.step(gettext_lazy("Checking every row"), total=max(data_rows, 0))
            rows = _counted(rows, progress, batch.header_row)
        if not kind.per_student:  # org structure, staff: checked as a whole (setup.py)
            return setup_check(batch, rows)
        result = parse_rows(rows, batch.header_row, batch.mapping_by_column, kind)
    return resolve(result, kind, institution_id=batch.institution_id, actor=batch.uploaded_role)


def _counted(rows: Iterator[list[str]], progress: Progress, header_row: int) -> Iterator[list[str]]:
    """Count the data rows (below the header) as they are checked."""
    for number, row in enumerate(rows):
        if number > header_row:
            progress.advance()
        yield row


def import_batch_check(*, batch_id: int, progress: Progress | None = None) -> ImportBatch:
    """Validate and store counts and errors; idempotent (a re-check recomputes the same)."""
    batch = ImportBatch.objects.select_related("uploaded_role__department").get(pk=batch_id)
    if batch.status in {ImportBatch.Status.APPLYING, ImportBatch.Status.APPLIED}:
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.VALIDATING, progress=10
    )
    try:
        result = validate_batch(batch, progress)
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
    if isinstance(result, SetupValidation):  # what the apply would create, for the page
        batch.reading = {**batch.reading, "plan": result.plan}
    batch.status, batch.progress = ImportBatch.Status.VALIDATED, 100
    batch.save(
        update_fields=[
            "reading",
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
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.VALIDATING, progress=0)
    job_enqueue(kind=CHECK_JOB, subject=batch)


def import_batch_request_apply(
    *, actor: RoleAssignment, batch: ImportBatch, mode: str, request: HttpRequest | None = None
) -> ImportBatch:
    """Queue the apply, credited to the actor. All-or-nothing refuses a file with any error."""
    _require_import(actor, batch.kind)
    _require_state(batch, {ImportBatch.Status.VALIDATED})
    if mode == ImportBatch.Mode.ALL_OR_NOTHING and batch.error_rows:
        raise DomainError(
            ImportErrorCode.HAS_ERRORS,
            _("%(n)s rows have errors; fix them or choose to apply valid rows only.")
            % {"n": batch.error_rows},
        )
    with transaction.atomic():
        batch.mode, batch.status = mode, ImportBatch.Status.APPLYING
        batch.applied_by, batch.applied_role = actor.user, actor
        batch.save(update_fields=["mode", "status", "applied_by", "applied_role", "updated_at"])
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=batch, request=request,
                  role=actor.role, detail={"requested": "apply", "mode": mode})  # fmt: skip
        job_enqueue(kind=APPLY_JOB, subject=batch)
    return batch


def import_batch_apply(*, batch_id: int, progress: Progress | None = None) -> ImportBatch:
    """Check every row again, then write them all in ONE short transaction.

    The check (most of the time) only reads, so it runs outside any transaction: on SQLite
    the write lock is held only while rows are inserted, and pages stay responsive. The write
    transaction holds the batch row and looks existing records up again, so what it writes is
    current; a crash anywhere rolls the writes back and leaves the batch in APPLYING, and
    running this again (a retry, the worker's recovery, `jingzhun import-resume`) applies it
    exactly once; an already applied batch is left alone.
    """
    batch = ImportBatch.objects.select_related("uploaded_role__department").get(pk=batch_id)
    if batch.status != ImportBatch.Status.APPLYING:
        return batch
    result = validate_batch(batch, progress)
    if batch.mode == ImportBatch.Mode.ALL_OR_NOTHING and result.errors:
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.APPLYING).update(
                status=ImportBatch.Status.REJECTED, updated_at=timezone.now(),
                errors=[e.as_dict() for e in result.errors[:MAX_STORED_ERRORS]],
            )  # fmt: skip
        batch.refresh_from_db()
        return batch
    if progress is not None:
        progress.step(gettext_lazy("Writing the records"), total=len(result.valid))
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("uploaded_role__department", "applied_role")
            .get(pk=batch_id)
        )
        if batch.status != ImportBatch.Status.APPLYING:
            return batch
        if isinstance(result, SetupValidation):
            counts = setup_apply(batch, result)
        else:
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
        applier = batch.applied_role or batch.uploaded_role
        audit_log(actor=batch.applied_by or batch.uploaded_by, action=AuditLog.Action.UPDATE,
                  target=batch, role=applier.role if applier else "",
                  detail={"applied": batch.kind, "created": counts.created, "updated": counts.updated,
                          "unchanged": counts.unchanged, "skipped_rows": result.error_rows})  # fmt: skip
    return batch


# The steps a worker is doing (the page polls while a batch is in one).
BUSY = {ImportBatch.Status.READING, ImportBatch.Status.VALIDATING, ImportBatch.Status.APPLYING}


STEP_JOBS = {
    ImportBatch.Status.READING: READ_JOB,
    ImportBatch.Status.VALIDATING: CHECK_JOB,
    ImportBatch.Status.APPLYING: APPLY_JOB,
}


def import_batch_job(batch: ImportBatch) -> Job | None:
    """The job of the step the batch is in, if it is in one (for its progress)."""
    if batch.status not in BUSY:
        return None
    return latest_job(batch, kind=STEP_JOBS[ImportBatch.Status(batch.status)])


def import_batch_is_stalled(batch: ImportBatch) -> bool:
    """The step the batch is in has lost its worker: its job's heartbeat stopped (or, for a
    batch from before jobs were recorded, nothing has moved for a long time)."""
    if batch.status not in BUSY:
        return False
    job = latest_job(batch, kind=STEP_JOBS[ImportBatch.Status(batch.status)])
    if job is None:
        return batch.updated_at < timezone.now() - STALLED_AFTER
    return is_interrupted(job)


def import_batch_retry(
    *, actor: RoleAssignment, batch: ImportBatch, request: HttpRequest | None = None
) -> ImportBatch:
    """Queue a stalled step again. Each step is idempotent: reading and checking only act on
    a batch still in their state; an apply holds the batch row and skips a finished one."""
    _require_import(actor, batch.kind)
    if not import_batch_is_stalled(batch):
        raise DomainError(
            ImportErrorCode.WRONG_STATE,
            _("This import is %(status)s.") % {"status": batch.get_status_display()},
        )
    step = STEP_JOBS[ImportBatch.Status(batch.status)]
    job = latest_job(batch, kind=step)
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now())
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=batch, request=request,
                  role=actor.role, detail={"requested": "retry", "step": batch.status})  # fmt: skip
        if job is None:
            job_enqueue(kind=step, subject=batch)
    if job is not None:
        job_retry(job)
    batch.refresh_from_db()
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
