"""Kill the real task worker in the middle of long jobs: the page says 已中断 once the job's
heartbeat is stale, its retry button (the user's, not an operator's) finishes the work, and a
worker that starts later recovers what the killed one left. Runs against the suite's own
database (SQLite file or PostgreSQL) with a real `jingzhun worker` process."""

from __future__ import annotations

import signal
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jingzhun.core.bulk import insert_rows
from jingzhun.core.models import Job
from jingzhun.identification import services as identification
from jingzhun.identification.models import IdentificationRun
from jingzhun.students.intake import services
from jingzhun.students.intake.models import ImportBatch
from jingzhun.students.models import Student
from jingzhun.students.tests.factories import valid_id_number
from jingzhun.students.tests.spreadsheets import xlsx_bytes
from tests.test_import_crash import start_worker, wait_for, writing_started

pytestmark = pytest.mark.django_db(transaction=True)
STALE = 2  # seconds without a heartbeat before a job counts as interrupted (here)
WORKER_ENV = {"JOB_HEARTBEAT_SECONDS": "1", "JOB_STALE_SECONDS": str(STALE)}


@pytest.fixture(autouse=True)
def short_stale_limit(settings):
    settings.JOB_STALE_SECONDS = STALE


def kill(worker) -> None:  # type: ignore[no-untyped-def]
    try:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()


def applying_batch(college, rows: int) -> ImportBatch:  # type: ignore[no-untyped-def]
    data = xlsx_bytes(
        ["学号", "姓名", "性别", "班级", "身份证号"],
        [[f"2027{n:06d}", f"学生{n}", "女", "计应2401", valid_id_number(sequence=(2 * n) % 1000)]
         for n in range(rows)],
    )  # fmt: skip
    actor = college.personas["employment_officer"]
    batch = services.import_batch_create(actor=actor, kind="students", filename="r.xlsx", data=data)
    services.import_batch_read(batch_id=batch.pk)
    services.import_batch_check(batch_id=batch.pk)
    services.import_batch_request_apply(
        actor=actor, batch=ImportBatch.objects.get(pk=batch.pk), mode="all_or_nothing"
    )
    return batch


def test_an_import_killed_mid_apply_shows_interrupted_and_its_retry_button_finishes_it(
    college, client
):
    rows = 30_000
    batch = applying_batch(college, rows)
    before = Student.objects.count()
    worker = start_worker(WORKER_ENV)

    def counting() -> bool:  # each step is written as it starts, with its count of rows
        return Job.objects.filter(
            kind="import.apply", subject_id=batch.pk, status="running",
            step="Checking every row", total=rows,
        ).exists()  # fmt: skip

    try:
        wait_for(counting, 120, "the worker to report rows checked")
        wait_for(writing_started, 120, "the worker to start inserting")
        job = Job.objects.get(kind="import.apply", subject_id=batch.pk)
    finally:
        kill(worker)
    assert Student.objects.count() == before  # nothing half-applied

    client.force_login(college.personas["employment_officer"].user)
    time.sleep(STALE + 0.5)
    page = client.get(reverse("students:import-detail", args=[batch.pk])).content.decode()
    assert 'data-testid="import-stalled"' in page and "已中断" in page
    assert "hx-get" not in page.split('id="batch-status"')[1].split(">")[0]  # no more polling
    client.post(reverse("students:import-retry", args=[batch.pk]))
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 0  # the dead run: FAILED

    call_command("worker", "--batch", "--interval", "0")
    done = ImportBatch.objects.get(pk=batch.pk)
    assert (done.status, done.created_count) == ("applied", rows)
    assert Student.objects.count() == before + rows
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done, job.total) == ("succeeded", 2, rows, rows)


def test_a_worker_that_starts_later_recovers_the_killed_import(college):
    rows = 30_000
    batch = applying_batch(college, rows)
    worker = start_worker(WORKER_ENV)
    try:
        wait_for(writing_started, 120, "the worker to start inserting")
    finally:
        kill(worker)
    time.sleep(STALE + 0.5)
    call_command("worker", "--batch", "--interval", "0")  # recovers on start, then runs it
    done = ImportBatch.objects.get(pk=batch.pk)
    assert (done.status, done.created_count) == ("applied", rows)
    assert Job.objects.get(kind="import.apply", subject_id=batch.pk).status == "succeeded"


def enrol(college, count: int) -> None:  # type: ignore[no-untyped-def]
    group = college.student_a.class_group
    insert_rows(Student, ({
        "institution_id": college.institution.pk, "school_id": college.student_a.school_id,
        "major_id": college.student_a.major_id, "class_group_id": group.pk,
        "cohort": group.cohort, "entry_year": group.cohort - 3, "student_number": f"9{n:07d}",
        "name": f"同学{n}", "gender": "F" if n % 2 else "M", "hukou_type": "rural",
        "education_level": "zhuanke", "status": "enrolled",
    } for n in range(count)))  # fmt: skip


def test_an_identification_run_killed_mid_run_shows_interrupted_and_is_run_again(college, client):
    import datetime as dt

    enrol(college, 40_000)
    officer = college.personas["employment_officer"]
    identification.rules_seed_defaults(actor=officer, effective_from=dt.date(2026, 9, 1))
    run = identification.run_start(actor=officer, as_of=dt.date(2026, 11, 26))
    worker = start_worker(WORKER_ENV)

    def running() -> bool:
        return Job.objects.filter(subject_id=run.pk, status="running").exists()

    try:
        wait_for(running, 120, "the worker to start the run")
    finally:
        kill(worker)
    assert IdentificationRun.objects.get(pk=run.pk).status in {"queued", "running"}
    time.sleep(STALE + 0.5)
    client.force_login(officer.user)
    page = client.get(reverse("identification:run-list")).content.decode()
    assert 'data-testid="run-interrupted"' in page
    client.post(reverse("identification:run-retry", args=[run.pk]))
    call_command("worker", "--batch", "--interval", "0")
    finished = IdentificationRun.objects.get(pk=run.pk)
    assert (finished.status, finished.students) == ("finished", 40_000 + 2)
    job = Job.objects.get(subject_id=run.pk, kind="identification.run")
    assert (job.status, job.attempts, job.done, job.total) == ("succeeded", 2, 4, 4)


def test_a_behaviour_computation_killed_mid_build_shows_interrupted_and_is_run_again(
    college, client, settings, tmp_path
):
    from django.utils import timezone

    from jingzhun.behaviour import services as behaviour
    from jingzhun.behaviour.models import BehaviourBuild
    from jingzhun.behaviour.tests.lakes import campus_lake
    from jingzhun.students.models import BehaviourSnapshot

    lake, _population, _students = campus_lake(college, tmp_path)
    settings.EVENT_LAKE_DIR = lake.root
    officer = college.personas["employment_officer"]
    build = behaviour.behaviour_snapshot_start(actor=officer, as_of=timezone.localdate())
    worker = start_worker({**WORKER_ENV, "JINGZHUN_EVENT_LAKE_DIR": str(lake.root)})

    def computing() -> bool:
        return Job.objects.filter(subject_id=build.pk, status="running", done__gte=1).exists()

    try:
        wait_for(computing, 120, "the worker to report a step of the build")
    finally:
        kill(worker)
    assert not BehaviourSnapshot.objects.exists()  # nothing half-saved
    time.sleep(STALE + 0.5)
    client.force_login(officer.user)
    page = client.get(reverse("behaviour:snapshot-list")).content.decode()
    assert 'data-testid="build-interrupted"' in page
    client.post(reverse("behaviour:build-retry", args=[build.pk]))
    call_command("worker", "--batch", "--interval", "0")
    build.refresh_from_db()
    assert (build.status, build.snapshot) == ("finished", BehaviourSnapshot.objects.get())
    job = Job.objects.get(subject_id=build.pk, kind="behaviour.build")
    assert (job.status, job.attempts, job.done, job.total) == ("succeeded", 2, 4, 4)
    assert BehaviourBuild.objects.count() == 1
