"""Long jobs, one mechanism for all of them: a `Job` record per piece of background work.

- A start service calls `job_enqueue(kind=…, subject=…)`: the job is recorded as waiting and
  its task is enqueued when the transaction commits.
- The task wraps its work in `with job_running(kind, subject_id) as progress:`. While the body
  runs, a heartbeat thread with its own database connection writes the progress and the time
  every `JOB_HEARTBEAT_SECONDS`, so a long transaction in the body (PostgreSQL) does not hide
  it. The body reports real fractions: `progress.step(label, total=rows)`, `progress.advance()`.
- A waiting or running job whose heartbeat is older than `JOB_STALE_SECONDS` has lost its
  worker (killed, machine restarted): `is_interrupted` says so, the page shows 已中断, and
  `job_retry` (called by the owning app's service, which checks who may) enqueues it again.
- `jobs_recover()` runs when `jingzhun worker` starts: it marks the task rows of dead workers
  failed and enqueues their jobs again, at most `MAX_ATTEMPTS` times.

Every task run this way must be idempotent: a retried step only acts on a subject still in the
state it expects, so running it twice gives the same result as once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connections, models, transaction
from django.utils import timezone, translation

from jingzhun.core.models import Job

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
STEP_MAX = 120


@dataclass(frozen=True)
class JobKind:
    name: str
    subject: type[models.Model]
    task: Any  # a django_tasks task taking the subject's primary key


_KINDS: dict[str, JobKind] = {}


def register(name: str, *, subject: type[models.Model], task: Any) -> None:
    """Declare a kind of job (from the owning app's `AppConfig.ready`)."""
    _KINDS[name] = JobKind(name=name, subject=subject, task=task)


def kind_of(name: str) -> JobKind:
    return _KINDS[name]


def subject_type(model: type[models.Model] | models.Model) -> str:
    return model._meta.label_lower


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_SECONDS)


def job_enqueue(*, kind: str, subject: models.Model, step: str = "") -> Job:
    """Record a waiting job for `subject` and enqueue its task once the transaction commits
    (a rolled-back start never runs)."""
    spec = _KINDS[kind]
    job = Job.objects.create(
        kind=kind, subject_type=subject_type(spec.subject), subject_id=subject.pk,
        step=step[:STEP_MAX], heartbeat_at=timezone.now(),
    )  # fmt: skip
    transaction.on_commit(partial(_enqueue, job.pk, kind, subject.pk))
    return job


def _enqueue(job_id: int, kind: str, subject_id: int) -> None:
    result = _KINDS[kind].task.enqueue(subject_id)
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def latest_job(subject: models.Model, *, kind: str | None = None) -> Job | None:
    jobs = Job.objects.filter(subject_type=subject_type(subject), subject_id=subject.pk)
    return (jobs.filter(kind=kind) if kind else jobs).order_by("-created_at", "-pk").first()


def latest_jobs(
    model: type[models.Model], ids: list[int], *, kind: str | None = None
) -> dict[int, Job]:
    """The newest job of each subject, for a list page (one query)."""
    jobs = Job.objects.filter(subject_type=subject_type(model), subject_id__in=ids)
    if kind:
        jobs = jobs.filter(kind=kind)
    newest: dict[int, Job] = {}
    for job in jobs.order_by("created_at", "pk"):
        newest[job.subject_id] = job
    return newest


def attach_jobs(objects: list[Any], *, kind: str) -> list[Any]:
    """Give each object of a list page its newest job of `kind` (`job`) and whether that job's
    worker stopped (`interrupted`); one query for the whole list."""
    if not objects:
        return objects
    newest = latest_jobs(type(objects[0]), [o.pk for o in objects], kind=kind)
    for obj in objects:
        obj.job = newest.get(obj.pk)
        obj.interrupted = is_interrupted(obj.job)
    return objects


def is_busy(job: Job | None) -> bool:
    return job is not None and job.status in (Job.Status.QUEUED, Job.Status.RUNNING)


def is_interrupted(job: Job | None, *, now: Any = None) -> bool:
    """Busy, but no sign of life for longer than a live worker ever stays silent."""
    if not is_busy(job):
        return False
    assert job is not None
    last = job.heartbeat_at or job.created_at
    return last < (now or timezone.now()) - stale_after()


def job_retry(job: Job) -> Job:
    """Enqueue an interrupted job's task again. The caller (the owning app's service) has
    checked that the person may; this only refuses a job that is not interrupted."""
    if not is_interrupted(job):
        raise ValueError("only an interrupted job is retried")
    with transaction.atomic():
        _fail_lost_task(job)
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.QUEUED, heartbeat_at=timezone.now(), error=""
        )
        transaction.on_commit(partial(_enqueue, job.pk, job.kind, job.subject_id))
    job.refresh_from_db()
    return job


def subject_requeue(subject: Any, *, kind: str) -> bool:
    """The one retry rule of every long-job subject (a run, a training, a build …): an
    interrupted job is retried; a subject that failed, with no job still busy, goes back to
    queued with its failure cleared and gets a new job. False when neither applies, for the
    caller to refuse in its own words. The subject has `status` (with QUEUED and FAILED) and
    `failure`; the caller has checked that the person may."""
    job = latest_job(subject, kind=kind)
    statuses = type(subject).Status
    with transaction.atomic():
        if is_interrupted(job):
            assert job is not None
            job_retry(job)
        elif subject.status == statuses.FAILED and not is_busy(job):
            type(subject).objects.filter(pk=subject.pk).update(status=statuses.QUEUED, failure="")
            job_enqueue(kind=kind, subject=subject)
        else:
            return False
    return True


class Progress:
    """What the body of `job_running` reports; the heartbeat thread writes it."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._lock = threading.Lock()
        self._step, self._done, self._total = "", 0, 0
        self.changed = threading.Event()  # a new step: the heartbeat writes it at once

    def step(self, label: Any, *, total: int = 0) -> None:
        """Start a step of `total` units (rows, students …; 0 when it has no count). A lazy
        translation is stored as its source text, so each reader sees it in their language."""
        with translation.override(None):
            text = str(label)[:STEP_MAX]
        with self._lock:
            self._step, self._done, self._total = text, 0, max(total, 0)
        self.changed.set()

    def advance(self, units: int = 1) -> None:
        with self._lock:
            self._done += units

    def set(self, done: int, total: int | None = None) -> None:
        with self._lock:
            self._done = done
            if total is not None:
                self._total = total

    def values(self) -> dict[str, Any]:
        with self._lock:
            done = min(self._done, self._total) if self._total else self._done
            return {"step": self._step, "done": done, "total": self._total}

    def flush(self) -> None:
        Job.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now(), **self.values())


class _Heartbeat(threading.Thread):
    """Writes the progress every `interval` seconds through the thread's own connection."""

    def __init__(self, progress: Progress, interval: float) -> None:
        super().__init__(name=f"job-{progress.job_id}-heartbeat", daemon=True)
        self.progress, self.interval, self.stopped = progress, interval, threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                # Every `interval`, or at once when a step starts (so a page sees each step).
                self.progress.changed.wait(self.interval)
                self.progress.changed.clear()
                if self.stopped.is_set():
                    break
                try:
                    self.progress.flush()
                except Exception:  # a busy SQLite file: the next beat tries again
                    logger.warning("job %s: heartbeat not written", self.progress.job_id)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.progress.changed.set()


def _claim(kind: str, subject_id: int) -> Job:
    spec = _KINDS[kind]
    open_jobs = Job.objects.filter(
        kind=kind, subject_type=subject_type(spec.subject), subject_id=subject_id,
        status__in=(Job.Status.QUEUED, Job.Status.RUNNING),
    ).order_by("-created_at", "-pk")  # fmt: skip
    job = open_jobs.first() or Job(
        kind=kind, subject_type=subject_type(spec.subject), subject_id=subject_id
    )
    now = timezone.now()
    job.status, job.attempts, job.error = Job.Status.RUNNING, job.attempts + 1, ""
    job.started_at, job.heartbeat_at, job.finished_at = now, now, None
    job.save()
    return job


@contextmanager
def job_running(kind: str, subject_id: int) -> Iterator[Progress]:
    """Run the body as the newest open job of `kind` for the subject (or a new one, when the
    task was enqueued without one, e.g. by a command), beating while it works and recording
    how it ended. An exception marks the job failed and propagates to the task."""
    job = _claim(kind, subject_id)
    progress = Progress(job.pk)
    interval = float(settings.JOB_HEARTBEAT_SECONDS)
    beat = _Heartbeat(progress, interval) if interval > 0 else None
    if beat:
        beat.start()
    try:
        yield progress
    except BaseException as exc:
        _finish(job.pk, progress, Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000])
        raise
    else:
        _finish(job.pk, progress, Job.Status.SUCCEEDED)
    finally:
        if beat:
            beat.stop()


def _finish(job_id: int, progress: Progress, status: str, error: str = "") -> None:
    values = progress.values()
    if status == Job.Status.SUCCEEDED and values["total"]:
        values["done"] = values["total"]
    now = timezone.now()
    Job.objects.filter(pk=job_id).update(
        status=status, error=error, finished_at=now, heartbeat_at=now, **values
    )


def jobs_recover(*, now: Any = None) -> list[Job]:
    """At worker start: jobs whose worker died are enqueued again (up to `MAX_ATTEMPTS`
    attempts; after that they stay failed with the reason), and the task rows those workers
    left running are marked failed so that the task table tells the truth."""
    cutoff = (now or timezone.now()) - stale_after()
    orphans = list(
        Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=cutoff, kind__in=_KINDS)
    )
    recovered = []
    for job in orphans:
        _fail_lost_task(job)
        if job.attempts >= MAX_ATTEMPTS:
            Job.objects.filter(pk=job.pk).update(
                status=Job.Status.FAILED, finished_at=timezone.now(),
                error=f"stopped {job.attempts} times without finishing",
            )  # fmt: skip
            continue
        Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, heartbeat_at=timezone.now())
        _enqueue(job.pk, job.kind, job.subject_id)
        recovered.append(job)
    return recovered


def _fail_lost_task(job: Job) -> None:
    """The task row a dead worker left RUNNING is marked failed, so the task table tells the
    truth (the job itself is what people see and retry)."""
    from django_tasks_db.models import DBTaskResult

    if job.task_id:
        DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
            status="FAILED", finished_at=timezone.now(),
            exception_class_path="jingzhun.core.jobs.WorkerLost",
            traceback="The worker running this task stopped (killed or restarted).",
        )  # fmt: skip


class WorkerLost(Exception):
    """Recorded on task rows whose worker stopped while running them."""
