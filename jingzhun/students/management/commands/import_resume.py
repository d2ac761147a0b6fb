"""`jingzhun import_resume`: re-queue imports whose worker died while applying.

An apply writes in one transaction, so a killed worker leaves no rows behind, only a batch
still marked "applying". Re-queueing it is safe: the apply locks the batch and skips it if
another run already finished it. `jingzhun worker` does the same for interrupted jobs when it
starts; this command is for an operator who wants it now.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from jingzhun.core.jobs import job_enqueue
from jingzhun.students.intake import services
from jingzhun.students.intake.models import ImportBatch


class Command(BaseCommand):
    help = "Re-queue imports stuck in 'applying': the given ids, or all whose worker stopped."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("batch_ids", nargs="*", type=int)

    def handle(self, *args: Any, batch_ids: list[int], **options: Any) -> None:
        applying = ImportBatch.objects.filter(status=ImportBatch.Status.APPLYING)
        if batch_ids:
            stuck = list(applying.filter(pk__in=batch_ids))
        else:
            stuck = [b for b in applying if services.import_batch_is_stalled(b)]
        for batch in stuck:
            with transaction.atomic():
                job = job_enqueue(kind=services.APPLY_JOB, subject=batch)
            self.stdout.write(f"re-queued import {batch.pk} (job {job.pk})")
        if not stuck:
            self.stdout.write("no import is waiting for a stopped worker")
