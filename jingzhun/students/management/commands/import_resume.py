"""`jingzhun import_resume`: re-queue imports whose worker died while applying.

An apply runs in one transaction, so a killed worker leaves no rows behind, only a batch
still marked "applying". Re-queueing it is safe: the apply locks the batch and skips it if
another run already finished it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.tasks import import_apply_task


class Command(BaseCommand):
    help = "Re-queue imports stuck in 'applying' (given ids, or all older than --stale-minutes)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("batch_ids", nargs="*", type=int)
        parser.add_argument("--stale-minutes", type=int, default=30)

    def handle(self, *args: Any, batch_ids: list[int], stale_minutes: int, **options: Any) -> None:
        stuck = ImportBatch.objects.filter(status=ImportBatch.Status.APPLYING)
        if batch_ids:
            stuck = stuck.filter(pk__in=batch_ids)
        else:
            stuck = stuck.filter(updated_at__lt=timezone.now() - timedelta(minutes=stale_minutes))
        for batch in stuck:
            result = import_apply_task.enqueue(batch.pk)
            self.stdout.write(f"re-queued import {batch.pk} as task {result.id}")
