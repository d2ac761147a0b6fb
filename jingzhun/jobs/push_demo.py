"""Targeted pushes in the demo college: up to three postings for each active case (its stored
recommendations first, else the open pool), sent by the case's responsible person, and a mix
of answers from the students who can log in — all through the services staff and students use.

It needs postings: with none it does nothing and says so (the demo's employers and postings
are seeded first)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from jingzhun.core.errors import DomainError
from jingzhun.identification.models import Case
from jingzhun.jobs import permissions
from jingzhun.jobs.models import JobPosting, JobPush, JobRecommendation
from jingzhun.jobs.push_services import (
    push_answer_record,
    push_mark_viewed,
    push_respond,
    push_send_many,
)
from jingzhun.jobs.selectors import postings_for_students
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import Role

PER_STUDENT = 3
MAX_CASES = 40
# Each student's answers to their pushes, in turn (None: not opened yet).
ANSWERS: tuple[tuple[tuple[str, str, str] | None, ...], ...] = (
    (("applied", "", ""), ("interview", "", ""), ("viewed", "", "")),
    (("interested", "", ""), ("declined", "place", ""), None),
    (("offer", "", ""), ("declined", "other", "已签约其他单位"), ("viewed", "", "")),
    (None, None, None),
    (("declined", "salary", ""), ("applied", "", ""), ("interested", "", "")),
)


@dataclass(frozen=True)
class DemoPushes:
    pushes: int
    answered: int
    message: str = ""


def _pusher(case: Case, office: RoleAssignment) -> RoleAssignment:
    own = (
        RoleAssignment.objects.filter(user_id=case.responsible_id or 0, role__in=permissions.PUSHERS, is_active=True)
        .exclude(role=Role.MENTOR).select_related("user").order_by("role").first()
    )  # fmt: skip
    return own or office


def _postings_for(case: Case, pool: list[JobPosting]) -> list[JobPosting]:
    offerable = {p.pk: p for p in pool}
    chosen = [offerable[pk] for pk in JobRecommendation.objects.filter(student_id=case.student_id)
              .order_by("rank").values_list("posting_id", flat=True) if pk in offerable]  # fmt: skip
    start = case.student_id % len(pool)  # topped up from the pool, from a different place each
    for posting in pool[start:] + pool[:start]:
        if len(chosen) >= PER_STUDENT:
            break
        if posting not in chosen:
            chosen.append(posting)
    return chosen[:PER_STUDENT]


def seed_push_demo(*, institution_code: str) -> DemoPushes:
    """Idempotent: nothing happens when the institution already has pushes."""
    institution = Institution.objects.filter(code=institution_code).first()
    if institution is None:
        return DemoPushes(0, 0, "no demo college")
    if JobPush.objects.filter(institution=institution).exists():
        return DemoPushes(0, 0, "pushes already present")
    pool = list(postings_for_students(institution_id=institution.pk).select_related("employer")
                .order_by("pk")[:200])  # fmt: skip
    if not pool:
        return DemoPushes(0, 0, "no active postings to push yet")
    office = RoleAssignment.objects.filter(institution=institution, role=Role.EMPLOYMENT_OFFICE,
                                           is_active=True).first()  # fmt: skip
    if office is None:
        return DemoPushes(0, 0, "no employment office")
    cases = list(
        Case.objects.filter(student__institution=institution,
                            status__in=(Case.Status.CONFIRMED, Case.Status.IN_ASSISTANCE))
        .select_related("student")
        .order_by(F("student__user_id").desc(nulls_last=True), "level", "pk")[:MAX_CASES]
    )  # fmt: skip
    pushes = answered = 0
    with transaction.atomic():
        for n, case in enumerate(cases):
            postings = _postings_for(case, pool)
            if not postings:
                continue
            note = "结合你的专业和求职意向挑选，请尽快查看"
            try:
                summary = push_send_many(actor=_pusher(case, office), postings=postings,
                                         students=[case.student], note=note)  # fmt: skip
            except DomainError:  # the responsible person's scope lacks the student: the office
                summary = push_send_many(actor=office, postings=postings, students=[case.student],
                                         note=note)  # fmt: skip
            pushes += summary.pushed
            answered += _answer(case, ANSWERS[n % len(ANSWERS)])
    return DemoPushes(pushes, answered)


def _answer(case: Case, answers: tuple[tuple[str, str, str] | None, ...]) -> int:
    """The student's answers, through the portal's services when they can log in; otherwise
    recorded as answers given outside the portal (to their counsellor)."""
    student_role = RoleAssignment.objects.filter(
        user_id=case.student.user_id or 0, role=Role.STUDENT, is_active=True
    ).first()
    done = 0
    pushes = JobPush.objects.filter(student_id=case.student_id).select_related("student", "posting")
    for push, answer in zip(pushes.order_by("pk"), answers, strict=False):
        if answer is None:
            continue
        response, reason, note = answer
        if student_role is not None:
            push = push_mark_viewed(actor=student_role, push=push)
            if response != "viewed":
                push_respond(
                    actor=student_role, push=push, response=response, reason=reason, note=note
                )
        elif response != "viewed":
            push_answer_record(push=push, response=response, reason=reason, note=note)
        else:
            continue  # opening is recorded only when the student opens it themselves
        done += 1
    return done
