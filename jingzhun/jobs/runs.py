"""Recommendations for every active case, computed in the background and stored.

Start (the employment office) → task → execute: the execute reads outside any transaction,
scores every student over one `matching_pool.Pool`, and replaces the stored rows of those
students in one short transaction, so a retried or recovered job gives the same result.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress, job_enqueue
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case
from jingzhun.jobs import permissions
from jingzhun.jobs.errors import JobsErrorCode
from jingzhun.jobs.matching_pool import Pool
from jingzhun.jobs.models import JobRecommendation, RecommendationRefresh, RecommendationRun
from jingzhun.jobs.recommendations import pool_facts, profiles_for
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student

logger = logging.getLogger(__name__)

RECOMMEND_JOB = "jobs.recommend"  # its long job (jingzhun.core.jobs), registered in apps.py
ACTIVE_CASES = (Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE, Case.Status.EXIT_PROPOSED)
PER_STUDENT = 10
PROGRESS_EVERY = 500  # students scored between two progress reports


def recommendation_run_start(
    *, actor: RoleAssignment, request: HttpRequest | None = None
) -> RecommendationRun:
    if not permissions.can_manage_employers(actor) or actor.institution_id is None:
        raise DomainError(
            JobsErrorCode.NOT_ALLOWED, _("Your role may not compute recommendations.")
        )
    with transaction.atomic():
        run = recommendation_run_queue(institution_id=actor.institution_id, requested_by=actor)
        audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=run, request=request,
                  role=actor.role, detail={"requested": "recommendations"})  # fmt: skip
    return run


def recommendation_run_queue(
    *, institution_id: int, requested_by: RoleAssignment | None,
    scope: str = RecommendationRun.Scope.ALL,
) -> RecommendationRun:  # fmt: skip
    """Record a run and queue its job (when the caller's transaction commits). Also called by
    the postings import's apply: new or changed postings refresh every case's recommendations;
    and by `refresh` for the students whose profile changed (scope `stale`)."""
    run = RecommendationRun.objects.create(
        institution_id=institution_id, requested_by=requested_by, scope=scope
    )
    job_enqueue(kind=RECOMMEND_JOB, subject=run)
    return run


def refresh_queue_if_idle(*, institution_id: int) -> RecommendationRun | None:
    """Queue a run of the stale students unless one is waiting (a waiting run has not claimed
    any mark yet, so it will take them all) or no mark is left unclaimed."""
    waiting = RecommendationRun.objects.filter(
        institution_id=institution_id, status=RecommendationRun.Status.QUEUED
    )
    unclaimed = RecommendationRefresh.objects.filter(
        institution_id=institution_id, run__isnull=True
    )
    if waiting.exists() or not unclaimed.exists():
        return None
    with transaction.atomic():
        return recommendation_run_queue(
            institution_id=institution_id, requested_by=None, scope=RecommendationRun.Scope.STALE
        )


def _superseded(run: RecommendationRun) -> bool:
    """A run of every case queued later has finished: it read the pool and the profiles after
    this one was asked for, so what this one would store is already there (several imports in
    a row each queue a run)."""
    return (
        run.scope == RecommendationRun.Scope.ALL
        and RecommendationRun.objects.filter(
            institution_id=run.institution_id, scope=RecommendationRun.Scope.ALL,
            status=RecommendationRun.Status.FINISHED, pk__gt=run.pk,
        ).exists()
    )  # fmt: skip


def _claim_marks(run: RecommendationRun) -> set[int]:
    """Take the institution's stale marks (unclaimed, or held by a run that is no longer
    computing); every run takes them, since every run reads the profiles afresh."""
    marks = RecommendationRefresh.objects.filter(institution_id=run.institution_id).filter(
        Q(run__isnull=True) | Q(run=run) | ~Q(run__status=RecommendationRun.Status.RUNNING)
    )
    RecommendationRefresh.objects.filter(pk__in=list(marks.values_list("pk", flat=True))).update(
        run=run
    )
    return set(RecommendationRefresh.objects.filter(run=run).values_list("student_id", flat=True))


def case_students(*, institution_id: int) -> list[Student]:
    """The students of the institution's active cases (confirmed, in assistance, exit proposed)."""
    ids = Case.objects.filter(
        student__institution_id=institution_id, status__in=ACTIVE_CASES
    ).values("student_id")
    return list(Student.objects.filter(pk__in=ids).select_related("major").order_by("pk"))


def recommendation_run_execute(
    *, run_id: int, progress: Progress | None = None
) -> RecommendationRun:
    run = RecommendationRun.objects.get(pk=run_id)
    if run.status == RecommendationRun.Status.FINISHED:
        return run
    if _superseded(run):
        RecommendationRun.objects.filter(pk=run.pk).update(
            status=RecommendationRun.Status.FINISHED, finished_at=timezone.now()
        )
        run.refresh_from_db()
        return run
    RecommendationRun.objects.filter(pk=run.pk).update(status=RecommendationRun.Status.RUNNING)
    try:
        stale = _claim_marks(run)
        rows, students, postings = _compute(run, progress, stale)
    except Exception as exc:  # the run records why; the job machinery logs the traceback
        logger.exception("recommendation run %s failed", run.pk)
        RecommendationRun.objects.filter(pk=run.pk).update(
            status=RecommendationRun.Status.FAILED, failure=str(exc)[:2000]
        )
        raise
    with transaction.atomic():
        JobRecommendation.objects.filter(student_id__in=[s.pk for s in students]).delete()
        JobRecommendation.objects.bulk_create(rows, batch_size=2000)
        RecommendationRefresh.objects.filter(run=run).delete()
        RecommendationRun.objects.filter(pk=run.pk).update(
            status=RecommendationRun.Status.FINISHED, students=len(students), postings=postings,
            finished_at=timezone.now(),
        )  # fmt: skip
    run.refresh_from_db()
    refresh_queue_if_idle(institution_id=run.institution_id)  # marked again while computing
    return run


def _compute(
    run: RecommendationRun, progress: Progress | None, stale: set[int]
) -> tuple[list[JobRecommendation], list[Student], int]:
    today = timezone.localdate()
    students = case_students(institution_id=run.institution_id)
    if run.scope == RecommendationRun.Scope.STALE:
        students = [s for s in students if s.pk in stale]
    facts, words = pool_facts(institution_id=run.institution_id, today=today)
    pool = Pool(facts, words, today=today)
    profiles = profiles_for(students)
    if progress is not None:
        progress.step(gettext_lazy("Scoring postings for each student"), total=len(students))
    rows: list[JobRecommendation] = []
    for start in range(0, len(students), PROGRESS_EVERY):
        chunk = students[start : start + PROGRESS_EVERY]
        lists = pool.recommend_many([profiles[s.pk] for s in chunk], limit=PER_STUDENT)
        for student, found_list in zip(chunk, lists, strict=True):
            for rank, found in enumerate(found_list, start=1):
                rows.append(JobRecommendation(student=student, posting_id=found.posting_id, run=run, rank=rank,
                                              score=found.score, parts=found.parts, reason=found.reason[:300]))  # fmt: skip
        if progress is not None:
            progress.advance(len(chunk))
    return rows, students, len(facts)
