"""Stored recommendations follow the students' profiles: a changed profile marks the student
stale, and one run picks up every stale student.

The registry announces each import or API upsert once (`students.changes.records_changed`,
connected in `JobsConfig.ready`), whatever its size. Only what matching reads counts (job
intentions, certificates, disability records, internships, a student's major or education
level), and only students with an active case have stored recommendations to refresh.
Marking writes in the import's transaction; when it commits, one run of the stale students is
queued unless a run is already waiting (it will claim the new marks when it starts), so an
import of 10,000 students, or ten imports in a row, queue one run.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from jingzhun.identification.models import Case
from jingzhun.jobs.models import RecommendationRefresh
from jingzhun.jobs.runs import ACTIVE_CASES, refresh_queue_if_idle
from jingzhun.students.models import (
    Certificate,
    DisabilityRecord,
    Internship,
    JobIntention,
    Student,
)

# The records matching reads, and for the student row the fields it reads (None: any).
WATCHED: dict[type, frozenset[str] | None] = {
    JobIntention: None,
    Certificate: None,
    DisabilityRecord: None,
    Internship: None,
    Student: frozenset({"major_id", "education_level"}),
}
CHUNK = 5000


def on_records_changed(
    sender: type, *, student_ids: list[int], fields: frozenset[str], **kwargs: Any
) -> None:
    if sender not in WATCHED:
        return
    watched = WATCHED[sender]
    if watched is not None and not (watched & fields):
        return
    recommendations_mark_stale(student_ids=student_ids)


def recommendations_mark_stale(*, student_ids: Iterable[int]) -> int:
    """Mark the students with an active case stale; queue a run when this commits. Returns
    how many were marked."""
    ids = sorted(set(student_ids))
    now = timezone.now()
    marks: list[RecommendationRefresh] = []
    for start in range(0, len(ids), CHUNK):
        rows = Case.objects.filter(
            student_id__in=ids[start : start + CHUNK], status__in=ACTIVE_CASES
        ).values_list("student_id", "student__institution_id")
        marks.extend(
            RecommendationRefresh(student_id=s, institution_id=i, marked_at=now, run=None)
            for s, i in set(rows)
        )
    if not marks:
        return 0
    # A mark made again while a run holds it is released: that run read the old profile.
    RecommendationRefresh.objects.bulk_create(
        marks, batch_size=1000, update_conflicts=True, unique_fields=["student"],
        update_fields=["marked_at", "run"],
    )  # fmt: skip
    institutions = sorted({m.institution_id for m in marks})
    transaction.on_commit(partial(_queue_refreshes, institutions))
    return len(marks)


def _queue_refreshes(institution_ids: list[int]) -> None:
    for institution_id in institution_ids:
        refresh_queue_if_idle(institution_id=institution_id)
