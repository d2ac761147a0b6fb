"""Running a postings file through the import wizard's services, as the worker would."""

from __future__ import annotations

from typing import Any

from jingzhun.students.intake import services
from jingzhun.students.intake.models import ImportBatch


def import_postings(
    actor: Any, filename: str, data: bytes, *, apply: bool = True, mode: str = "valid_rows"
) -> ImportBatch:
    batch = services.import_batch_create(actor=actor, kind="postings", filename=filename, data=data)
    services.import_batch_read(batch_id=batch.pk)
    batch = services.import_batch_check(batch_id=batch.pk)
    if apply and batch.status == ImportBatch.Status.VALIDATED:
        services.import_batch_request_apply(actor=actor, batch=batch, mode=mode)
        batch = services.import_batch_apply(batch_id=batch.pk)
    return batch
