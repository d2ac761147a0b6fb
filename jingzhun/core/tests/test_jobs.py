"""Long jobs: recorded when started, enqueued on commit, beating while they run, interrupted
when their worker stops, retried and recovered. Tasks go through the real database backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from jingzhun.core import jobs
from jingzhun.core.models import AuditLog, Job

pytestmark = pytest.mark.django_db(transaction=True)
KIND = "test.count"


@task()
def count_task(subject_id: int) -> int:
    """Counts ten units; a subject whose object_repr is "boom" fails half way."""
    with jobs.job_running(KIND, subject_id) as progress:
        subject = AuditLog.objects.get(pk=subject_id)
        progress.step("Counting", total=10)
        for n in range(10):
            if n == 5 and subject.object_repr == "boom":
                raise RuntimeError("half way")
            progress.advance()
        return 10


@pytest.fixture(autouse=True)
def kind():
    jobs.register(KIND, subject=AuditLog, task=count_task)
    yield
    jobs._KINDS.pop(KIND, None)


def subject(repr_: str = "ok") -> AuditLog:
    return AuditLog.objects.create(action=AuditLog.Action.CREATE, object_repr=repr_)


def stale() -> object:
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)


def test_a_job_is_recorded_waiting_and_its_task_enqueued_only_on_commit():
    item = subject()
    with transaction.atomic():
        job = jobs.job_enqueue(kind=KIND, subject=item, step="queued")
        assert DBTaskResult.objects.count() == 0
    job.refresh_from_db()
    task_row = DBTaskResult.objects.get()
    assert (job.status, job.subject_type, job.subject_id) == ("queued", "core.auditlog", item.pk)
    assert (task_row.task_path, task_row.args_kwargs["args"], job.task_id) == (
        f"{__name__}.count_task",
        [item.pk],
        str(task_row.pk),
    )


def test_a_rolled_back_start_leaves_no_job_and_no_task():
    item = subject()
    with pytest.raises(RuntimeError), transaction.atomic():
        jobs.job_enqueue(kind=KIND, subject=item)
        raise RuntimeError("abort")
    assert (Job.objects.count(), DBTaskResult.objects.count()) == (0, 0)


def test_the_worker_runs_the_job_and_records_the_real_count():
    item = subject()
    job = jobs.job_enqueue(kind=KIND, subject=item)
    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert (job.status, job.step, job.done, job.total, job.attempts) == (
        "succeeded",
        "Counting",
        10,
        10,
        1,
    )
    assert job.finished_at is not None and job.error == ""


def test_a_failing_job_records_where_it_stopped_and_why():
    job = jobs.job_enqueue(kind=KIND, subject=subject("boom"))
    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("failed", 5, 10)
    assert job.error == "RuntimeError: half way"
    assert not jobs.is_interrupted(job)  # failed is finished, not interrupted


def test_a_busy_job_is_interrupted_only_once_its_heartbeat_is_stale():
    job = jobs.job_enqueue(kind=KIND, subject=subject())
    assert not jobs.is_interrupted(job)
    limit = timedelta(seconds=settings.JOB_STALE_SECONDS)
    job.status, job.heartbeat_at = "running", timezone.now() - limit + timedelta(seconds=5)
    assert not jobs.is_interrupted(job)
    job.heartbeat_at = timezone.now() - limit - timedelta(seconds=1)
    assert jobs.is_interrupted(job)


def test_retry_requeues_the_same_job_and_refuses_a_live_one():
    item = subject()
    job = jobs.job_enqueue(kind=KIND, subject=item)
    with pytest.raises(ValueError):
        jobs.job_retry(job)
    # Its worker claimed the task and was killed: the task row stays RUNNING, the beat stops.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=stale())
    job.refresh_from_db()
    jobs.job_retry(job)
    assert (job.status, DBTaskResult.objects.count()) == ("queued", 2)
    assert DBTaskResult.objects.filter(status="FAILED").count() == 1  # the dead worker's
    call_command("worker", "--batch", "--interval", "0")
    job.refresh_from_db()
    assert (job.status, job.attempts, Job.objects.count()) == ("succeeded", 1, 1)


def test_worker_start_recovers_orphans_marks_their_tasks_failed_and_gives_up_after_three():
    orphan = jobs.job_enqueue(kind=KIND, subject=subject())
    hopeless = jobs.job_enqueue(kind=KIND, subject=subject())
    # Both were being run by a worker that was killed: task rows RUNNING, heartbeats stale.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    Job.objects.filter(pk=orphan.pk).update(status="running", heartbeat_at=stale(), attempts=1)
    Job.objects.filter(pk=hopeless.pk).update(
        status="running", heartbeat_at=stale(), attempts=jobs.MAX_ATTEMPTS
    )
    call_command("worker", "--batch", "--interval", "0")
    orphan.refresh_from_db()
    hopeless.refresh_from_db()
    assert (orphan.status, orphan.attempts, orphan.done) == ("succeeded", 2, 10)
    assert hopeless.status == "failed" and "3 times" in hopeless.error
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]  # the two killed runs, the resumed one


def test_a_live_job_is_not_recovered():
    job = jobs.job_enqueue(kind=KIND, subject=subject())
    Job.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())
    assert jobs.jobs_recover() == []
    job.refresh_from_db()
    assert job.status == "running"


def test_the_heartbeat_thread_writes_progress_while_the_body_works(settings):
    """In a real worker the beat comes from a thread with its own connection."""
    import threading

    settings.JOB_HEARTBEAT_SECONDS = 0.05
    item = subject()
    seen: list[tuple[int, int]] = []
    with jobs.job_running(KIND, item.pk) as progress:
        progress.step("Counting", total=4)
        progress.advance(3)
        done = threading.Event()

        def watch() -> None:
            for _ in range(100):
                row = Job.objects.values_list("done", "total").get(subject_id=item.pk)
                if row == (3, 4):
                    seen.append(row)
                    break
                done.wait(0.02)
            from django.db import connection

            connection.close()

        watcher = threading.Thread(target=watch)
        watcher.start()
        watcher.join()
    assert seen == [(3, 4)]
    assert Job.objects.get(subject_id=item.pk).done == 4  # finished: the whole count
