"""Writes of targeted pushes: send one posting to one student, selected postings to a batch,
the student's answer, the institution's threshold. Each checks the actor, runs in one
transaction, writes the push's history and an audit row, and tells the student on commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.jobs import permissions
from jingzhun.jobs.errors import JobsErrorCode
from jingzhun.jobs.models import JobPosting, JobPush, JobPushEvent, JobRecommendation, PushPolicy
from jingzhun.jobs.push_responses import DECLINED, RESPONSE_TABLE, SENT, VIEWED
from jingzhun.jobs.push_selectors import open_cases_of
from jingzhun.jobs.selectors import postings_for_students
from jingzhun.notifications.services import notify
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.models import MentorAssignment, Student
from jingzhun.students.selectors import student_queryset

PUSH_KIND = "jobs.push"
KINDS = {PUSH_KIND: gettext_lazy("Job posting sent to you")}
BATCH_MAX_STUDENTS = 500
BATCH_MAX_POSTINGS = 10
NOTE_MAX = 300


@dataclass
class StudentResult:
    student: Student
    pushed: list[JobPosting] = field(default_factory=list)
    skipped: list[tuple[JobPosting, str]] = field(default_factory=list)  # (posting, reason)


@dataclass
class PushSummary:
    results: list[StudentResult]

    @property
    def pushed(self) -> int:
        return sum(len(r.pushed) for r in self.results)

    @property
    def skipped(self) -> int:
        return sum(len(r.skipped) for r in self.results)


def _require_pusher(actor: RoleAssignment) -> None:
    if not permissions.can_push(actor):
        raise DomainError(JobsErrorCode.NOT_ALLOWED, _("Your role may not push postings."))


def _check_students(actor: RoleAssignment, students: Sequence[Student]) -> None:
    """Every student in the actor's data scope (a mentor: one of their own mentees)."""
    ids = {s.pk for s in students}
    in_scope = student_queryset(actor=actor).filter(
        pk__in=ids, institution_id=actor.institution_id or 0
    )
    if actor.role == Role.MENTOR:
        in_scope = in_scope.filter(pk__in=MentorAssignment.objects.filter(
            mentor_id=actor.user_id).values("student_id"))  # fmt: skip
    missing = ids - set(in_scope.values_list("pk", flat=True))
    if missing:
        names = "、".join(s.name for s in students if s.pk in missing)
        raise DomainError(JobsErrorCode.PUSH_OUT_OF_SCOPE,
                          _("Outside your students: %(names)s.") % {"names": names})  # fmt: skip


def _check_postings(actor: RoleAssignment, postings: Sequence[JobPosting]) -> None:
    """Active postings of the actor's institution whose employer is not blacklisted."""
    ids = {p.pk for p in postings}
    offerable = set(
        postings_for_students(institution_id=actor.institution_id or 0)
        .filter(pk__in=ids).values_list("pk", flat=True)
    )  # fmt: skip
    refused = [p for p in postings if p.pk not in offerable]
    if refused:
        titles = "、".join(p.title for p in refused)
        raise DomainError(JobsErrorCode.PUSH_NOT_OFFERABLE, _(
            "These postings have expired or their employer is blacklisted: %(titles)s."
        ) % {"titles": titles})  # fmt: skip


def _create(
    actor: RoleAssignment, posting: JobPosting, student: Student, *, note: str, case_id: int | None,
    recommendation_id: int | None, request: HttpRequest | None,
) -> JobPush:  # fmt: skip
    push = JobPush.objects.create(
        institution_id=actor.institution_id or 0, posting=posting, student=student, case_id=case_id,
        recommendation_id=recommendation_id, pushed_by=actor.user, pushed_role=actor.role,
        note=note,
    )  # fmt: skip
    JobPushEvent.objects.create(push=push, to_response=SENT, at=push.pushed_at, actor=actor.user)
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=push, request=request,
              role=actor.role, detail={"posting": posting.pk, "student": student.pk})  # fmt: skip
    return push


def _notify(pushes: Sequence[JobPush]) -> None:
    """One notification per student of this call, linking to their pushes in the portal.
    The title names the posting and employer only (group robots post titles)."""
    by_student: dict[int, list[JobPush]] = {}
    for push in pushes:
        by_student.setdefault(push.student_id, []).append(push)
    for mine in by_student.values():
        user = mine[0].student.user
        if user is None:
            continue
        if len(mine) == 1:
            posting = mine[0].posting
            title = _("A posting for you: %(title)s (%(employer)s)") % {
                "title": posting.title, "employer": posting.employer.name}  # fmt: skip
            url = reverse("portal:push-detail", args=[mine[0].pk])
        else:
            title = _("%(n)s postings were sent to you") % {"n": len(mine)}
            url = reverse("portal:push-list")
        notify(recipients=[user], kind=PUSH_KIND, title=title,
               body="\n".join(p.note for p in mine if p.note), url=url,
               dedupe_key=f"{PUSH_KIND}:{mine[0].pk}")  # fmt: skip


def push_send(
    *, actor: RoleAssignment, posting: JobPosting, student: Student, note: str = "",
    recommendation: JobRecommendation | None = None, request: HttpRequest | None = None,
) -> JobPush:  # fmt: skip
    """Send one posting to one student. Refused: outside the actor's students, a posting that
    has expired or whose employer is blacklisted, a posting already sent to the student."""
    _require_pusher(actor)
    _check_students(actor, [student])
    _check_postings(actor, [posting])
    note = note.strip()[:NOTE_MAX]
    if recommendation is not None and (
        recommendation.student_id != student.pk or recommendation.posting_id != posting.pk
    ):
        recommendation = None
    case = open_cases_of([student.pk]).get(student.pk)
    try:
        with transaction.atomic():
            push = _create(actor, posting, student, note=note, case_id=case.pk if case else None,
                           recommendation_id=recommendation.pk if recommendation else None,
                           request=request)  # fmt: skip
            _notify([push])
    except IntegrityError as exc:
        raise DomainError(JobsErrorCode.PUSH_DUPLICATE, _(
            "%(title)s was already sent to %(name)s."
        ) % {"title": posting.title, "name": student.name}) from exc  # fmt: skip
    return push


def push_send_many(
    *, actor: RoleAssignment, postings: Sequence[JobPosting], students: Sequence[Student],
    note: str = "", recommendations: dict[int, JobRecommendation] | None = None,
    request: HttpRequest | None = None,
) -> PushSummary:  # fmt: skip
    """Send the chosen postings to every chosen student: all or nothing (a student outside the
    actor's scope or a posting that may not be offered refuses the whole batch); a posting the
    student already has is skipped with the reason, per student."""
    _require_pusher(actor)
    postings = list({p.pk: p for p in postings}.values())
    students = list({s.pk: s for s in students}.values())
    if not postings or not students:
        raise DomainError(
            JobsErrorCode.PUSH_NOTHING, _("Choose at least one posting and one student.")
        )
    if len(postings) > BATCH_MAX_POSTINGS or len(students) > BATCH_MAX_STUDENTS:
        raise DomainError(JobsErrorCode.PUSH_TOO_MANY, _(
            "At most %(postings)s postings and %(students)s students at a time."
        ) % {"postings": BATCH_MAX_POSTINGS, "students": BATCH_MAX_STUDENTS})  # fmt: skip
    _check_students(actor, students)
    _check_postings(actor, postings)
    note, recommendations = note.strip()[:NOTE_MAX], recommendations or {}
    cases = open_cases_of(s.pk for s in students)
    results = [StudentResult(student) for student in students]
    with transaction.atomic():
        had = set(
            JobPush.objects.select_for_update()
            .filter(student__in=students, posting__in=postings)
            .values_list("student_id", "posting_id")
        )
        created = []
        for result in results:
            student = result.student
            for posting in postings:
                if (student.pk, posting.pk) in had:
                    result.skipped.append((posting, _("already sent")))
                    continue
                recommendation = recommendations.get(posting.pk)
                case = cases.get(student.pk)
                created.append(_create(actor, posting, student, note=note,
                                       case_id=case.pk if case else None,
                                       recommendation_id=recommendation.pk if recommendation else None,
                                       request=request))  # fmt: skip
                result.pushed.append(posting)
        _notify(created)
    return PushSummary(results)


def _record(push: JobPush, *, from_status: str, to_status: str, by: Any, note: str) -> None:
    JobPushEvent.objects.create(
        push=push, from_response=from_status, to_response=to_status, actor=by, note=note[:NOTE_MAX]
    )


def _require_own(actor: RoleAssignment, push: JobPush) -> None:
    if not permissions.can_respond(actor) or push.student.user_id != actor.user_id:
        raise DomainError(JobsErrorCode.NOT_ALLOWED, _("Only the student may answer a push."))


def push_mark_viewed(
    *, actor: RoleAssignment, push: JobPush, request: HttpRequest | None = None
) -> JobPush:
    """The student opened the push: the first opening records viewed (later ones change
    nothing). Opening a push already answered keeps the answer."""
    _require_own(actor, push)
    with transaction.atomic():
        push = JobPush.objects.select_for_update().select_related("student").get(pk=push.pk)
        if push.viewed_at is not None:
            return push
        push.viewed_at = timezone.now()
        if push.response == SENT:
            move(push, VIEWED, table=RESPONSE_TABLE, record=_record, by=actor.user,
                 role=actor.role, status_field="response", changed=["viewed_at"], request=request)  # fmt: skip
        else:
            push.save(update_fields=["viewed_at", "updated_at"])
    return push


def push_respond(
    *, actor: RoleAssignment, push: JobPush, response: str, reason: str = "", note: str = "",
    request: HttpRequest | None = None,
) -> JobPush:  # fmt: skip
    """The student's answer to their own push. Declining needs a reason from the list; the
    reason "other" also needs the student's own words."""
    _require_own(actor, push)
    return push_answer_record(push=push, response=response, reason=reason, note=note,
                              by=actor.user, role=actor.role, request=request)  # fmt: skip


def push_answer_record(
    *, push: JobPush, response: str, reason: str = "", note: str = "", by: Any = None,
    role: str = "", request: HttpRequest | None = None,
) -> JobPush:  # fmt: skip
    """Record an answer: the one write behind `push_respond`, which first checks that the
    student answers their own push. Called directly only for answers a student gave outside
    the portal and the demo's students who cannot log in (`by` None: no person wrote it)."""
    if response not in RESPONSE_TABLE.statuses or response in (SENT, VIEWED):
        raise DomainError(JobsErrorCode.PUSH_BAD_RESPONSE, _("Choose one of the answers."))
    note = note.strip()[:NOTE_MAX]
    if response == DECLINED:
        if reason not in JobPush.DeclineReason.values:
            raise DomainError(JobsErrorCode.PUSH_REASON_REQUIRED,
                              _("Tell us why you decline."), field="reason")  # fmt: skip
        if reason == JobPush.DeclineReason.OTHER and not note:
            raise DomainError(JobsErrorCode.PUSH_REASON_REQUIRED,
                              _("Tell us the reason in your words."), field="note")  # fmt: skip
    with translation.override(settings.LANGUAGE_CODE):  # history is kept in the site's language
        label = str(JobPush.DeclineReason(reason).label) if response == DECLINED else ""
    with transaction.atomic():
        push = JobPush.objects.select_for_update().select_related("student").get(pk=push.pk)
        now = timezone.now()
        push.responded_at, push.viewed_at = now, push.viewed_at or now
        push.decline_reason = reason if response == DECLINED else ""
        push.decline_note = note if response == DECLINED else ""
        move(push, response, table=RESPONSE_TABLE, record=_record, by=by, role=role,
             note="：".join(t for t in (label, note) if t), status_field="response",
             changed=["responded_at", "viewed_at", "decline_reason", "decline_note"],
             request=request)  # fmt: skip
    return push


def push_threshold_set(
    *, actor: RoleAssignment, threshold: int | None, request: HttpRequest | None = None
) -> int | None:
    """Set the institution's own threshold (1–50), or clear it (None: the setting applies)."""
    if not permissions.can_set_push_threshold(actor):
        raise DomainError(JobsErrorCode.NOT_ALLOWED, _("Your role may not set the threshold."))
    if threshold is not None and not 1 <= threshold <= 50:
        raise DomainError(JobsErrorCode.PUSH_BAD_THRESHOLD, _("The threshold is a number from 1 to 50."),
                          field="threshold")  # fmt: skip
    institution_id = actor.institution_id or 0
    with transaction.atomic():
        policy = (
            PushPolicy.objects.select_for_update().filter(institution_id=institution_id).first()
        )
        before = policy.threshold if policy else None
        if threshold is None:
            PushPolicy.objects.filter(institution_id=institution_id).delete()
        elif policy is None:
            policy = PushPolicy.objects.create(institution_id=institution_id, threshold=threshold,
                                               set_by=actor.user)  # fmt: skip
        else:
            policy.threshold, policy.set_by = threshold, actor.user
            policy.save(update_fields=["threshold", "set_by", "updated_at"])
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=policy if threshold else None,
                  request=request, role=actor.role, fields=["threshold"],
                  detail={"what": "push_threshold", "threshold": [before, threshold]})  # fmt: skip
    return threshold
