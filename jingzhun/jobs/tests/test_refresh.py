"""Stored recommendations follow profile changes: marks, one queued run, a run of the stale."""

from __future__ import annotations

from typing import Any

import pytest

from jingzhun.core.models import Job
from jingzhun.identification.models import Case
from jingzhun.jobs.models import JobRecommendation, RecommendationRefresh, RecommendationRun
from jingzhun.jobs.runs import RECOMMEND_JOB, recommendation_run_execute, recommendation_run_queue
from jingzhun.jobs.tests.test_runs import _postings
from jingzhun.students.intake import services as intake

pytestmark = pytest.mark.django_db(transaction=True)  # marks queue their run on commit


def _intentions(college: Any, occupation: str, *students: Any) -> Any:
    records = [{"student_number": s.student_number, "recorded_on": "2026-11-01", "plan": "就业",
                "occupation": occupation, "city": "郑州", "salary_min": 5000} for s in students]  # fmt: skip
    return intake.records_upsert(
        actor=college.personas["employment_officer"], kind="job_intention", records=records,
        mode="valid_rows",
    )  # fmt: skip


def _stored(college: Any) -> RecommendationRun:
    """Student A has an active case and stored recommendations; B has no case."""
    _postings(college, 12)
    Case.objects.create(student=college.student_a, status=Case.Status.IN_ASSISTANCE)
    Case.objects.create(student=college.student_b, status=Case.Status.DISMISSED)
    run = recommendation_run_queue(institution_id=college.institution.pk, requested_by=None)
    return recommendation_run_execute(run_id=run.pk)


def test_an_import_of_intentions_marks_the_active_case_and_queues_one_run(college: Any) -> None:
    first = _stored(college)
    assert JobRecommendation.objects.filter(student=college.student_a, run=first).count() == 10

    _intentions(college, "Python 开发", college.student_a, college.student_b)

    mark = RecommendationRefresh.objects.get()  # B has no active case: nothing stored to refresh
    assert (mark.student_id, mark.run_id) == (college.student_a.pk, None)
    queued = RecommendationRun.objects.get(status=RecommendationRun.Status.QUEUED)
    assert queued.scope == RecommendationRun.Scope.STALE
    assert Job.objects.filter(kind=RECOMMEND_JOB, subject_id=queued.pk).count() == 1

    # further changes before the run starts join the waiting run
    _intentions(college, "Java 开发", college.student_a, college.student_b)
    assert RecommendationRun.objects.filter(status=RecommendationRun.Status.QUEUED).count() == 1
    assert Job.objects.filter(kind=RECOMMEND_JOB).count() == 2  # the first run's and this one

    done = recommendation_run_execute(run_id=queued.pk)
    assert (done.status, done.students) == ("finished", 1)
    assert set(JobRecommendation.objects.values_list("run", flat=True)) == {done.pk}
    assert not RecommendationRefresh.objects.exists()
    assert not RecommendationRun.objects.filter(status=RecommendationRun.Status.QUEUED).exists()


def test_a_write_that_changes_nothing_matching_reads_marks_nothing(college: Any) -> None:
    _stored(college)
    _intentions(college, "Python 开发", college.student_a)
    RecommendationRefresh.objects.all().delete()
    RecommendationRun.objects.filter(status=RecommendationRun.Status.QUEUED).delete()

    again = _intentions(college, "Python 开发", college.student_a)  # the same file again

    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert not RecommendationRefresh.objects.exists()
    assert not RecommendationRun.objects.filter(status=RecommendationRun.Status.QUEUED).exists()


def test_a_student_marked_again_while_a_run_computes_waits_for_the_next_run(
    college: Any,
) -> None:
    _stored(college)
    _intentions(college, "Python 开发", college.student_a)
    running = RecommendationRun.objects.get(status=RecommendationRun.Status.QUEUED)
    # The run has started and claimed the mark; the profile changes before it writes.
    RecommendationRun.objects.filter(pk=running.pk).update(status=RecommendationRun.Status.RUNNING)
    RecommendationRefresh.objects.update(run=running)

    _intentions(college, "Java 开发", college.student_a)

    mark = RecommendationRefresh.objects.get()
    assert mark.run_id is None  # released: the running run read the old profile
    waiting = RecommendationRun.objects.get(status=RecommendationRun.Status.QUEUED)
    assert waiting.pk != running.pk and waiting.scope == RecommendationRun.Scope.STALE
