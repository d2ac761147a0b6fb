"""Kill the real task worker in the middle of applying an import: nothing half-applied,
and a re-run completes. Runs against the suite's own database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from jingzhun.students.intake import services
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[1]
ROWS = 100_000  # also the suite's 100k-row import


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jingzhun.config.settings", "DEBUG": "true",
           "DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
           **(extra_env or {})}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "jingzhun.cli", "worker", "--interval", "0.2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def writing_started() -> bool:
    """True once the worker's transaction is inserting students (not merely validating)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                "AND (query LIKE 'INSERT INTO \"students_student\"%%' "
                "OR query LIKE 'COPY \"students_student\"%%')"
            )
            return cursor.fetchone()[0] > 0
    wal = Path(f"{connection.settings_dict['NAME']}-wal")
    return wal.exists() and wal.stat().st_size > 4 * 1024 * 1024


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_worker_killed_mid_apply_leaves_nothing_and_rerun_completes(college):
    rows = [
        [f"2026{n:06d}", f"学生{n}", "男", "计应2401", valid_id_number(sequence=(2 * n + 1) % 1000)]
        for n in range(ROWS)
    ]
    data = xlsx_bytes(["学号", "姓名", "性别", "班级", "身份证号"], rows)
    actor = college.personas["employment_officer"]
    batch = services.import_batch_create(
        actor=actor, kind="students", filename="big.xlsx", data=data
    )
    services.import_batch_read(batch_id=batch.pk)
    services.import_batch_check(batch_id=batch.pk)
    services.import_batch_request_apply(
        actor=actor, batch=ImportBatch.objects.get(pk=batch.pk), mode="all_or_nothing"
    )
    before = Student.objects.count()

    worker = start_worker()
    try:
        wait_for(writing_started, 120, "the worker to start inserting")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    assert Student.objects.count() == before
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"

    call_command("import_resume", str(batch.pk))
    call_command("worker", "--batch", "--interval", "0")
    done = ImportBatch.objects.get(pk=batch.pk)
    assert (done.status, done.created_count, done.error_rows) == ("applied", ROWS, 0)
    assert Student.objects.count() == before + ROWS
