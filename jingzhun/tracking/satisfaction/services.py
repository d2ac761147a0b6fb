"""Writes of satisfaction: a student rates a completed action of their own (once, editable
for RATING_EDIT_DAYS), writes general feedback; the employment office marks it handled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance.models import Action
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import Student
from jingzhun.tracking.publications import permissions
from jingzhun.tracking.publications.errors import PublicationErrorCode as Code
from jingzhun.tracking.publications.selectors import own_student
from jingzhun.tracking.satisfaction.models import ActionRating, StudentFeedback

RATING_EDIT_DAYS = 7
COMMENT_MAX = 500
FEEDBACK_MIN, FEEDBACK_MAX = 5, 2000
REPLY_MAX = 1000


def _student(actor: RoleAssignment) -> Student:
    permissions.require(permissions.is_student(actor))
    student = own_student(actor=actor)
    if student is None:
        raise DomainError(Code.NOT_ALLOWED, _("Your account is not linked to a student record."))
    return student


def rating_editable(rating: ActionRating, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) - rating.created_at <= dt.timedelta(days=RATING_EDIT_DAYS)


@transaction.atomic
def action_rate(
    *, actor: RoleAssignment, action_id: int, score: int, comment: str = "",
    request: HttpRequest | None = None, now: dt.datetime | None = None,
) -> ActionRating:  # fmt: skip
    """Rate one of the student's own completed actions 1–5. A second call changes the rating
    while it is editable (RATING_EDIT_DAYS after the first); after that it is refused."""
    student = _student(actor)
    action = (
        Action.objects.select_for_update()
        .filter(pk=action_id, student=student, status=Action.Status.DONE)
        .first()
    )
    if action is None:  # someone else's, missing, or not completed: the same answer
        raise DomainError(
            Code.RATING_NOT_RATABLE, _("Only your own completed actions can be rated.")
        )
    if not 1 <= score <= 5:
        raise DomainError(Code.RATING_INVALID, _("Choose 1 to 5 stars."), field="score")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            Code.RATING_INVALID,
            _("The comment is too long (at most %(max)s characters).") % {"max": COMMENT_MAX},
            field="comment",
        )
    rating = ActionRating.objects.filter(action=action).first()
    if rating is not None and not rating_editable(rating, now=now):
        raise DomainError(
            Code.RATING_CLOSED,
            _("A rating can be changed for %(days)s days only.") % {"days": RATING_EDIT_DAYS},
        )
    created = rating is None
    if rating is None:
        rating = ActionRating(action=action, student=student)
    rating.score, rating.comment = score, comment
    rating.save()
    audit_log(
        actor=actor.user, action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
        target=rating, request=request, role=actor.role, fields=["score", "comment"],
        detail={"action": action.pk, "score": score},
    )  # fmt: skip
    return rating


@transaction.atomic
def feedback_submit(
    *, actor: RoleAssignment, topic: str, text: str, request: HttpRequest | None = None
) -> StudentFeedback:
    student = _student(actor)
    if topic not in StudentFeedback.Topic.values:
        raise DomainError(Code.FEEDBACK_INVALID, _("Choose a topic."), field="topic")
    text = text.strip()
    if not FEEDBACK_MIN <= len(text) <= FEEDBACK_MAX:
        raise DomainError(
            Code.FEEDBACK_INVALID,
            _("Write between %(min)s and %(max)s characters.")
            % {"min": FEEDBACK_MIN, "max": FEEDBACK_MAX},
            field="text",
        )
    feedback = StudentFeedback.objects.create(
        institution_id=student.institution_id, student=student, topic=topic, text=text
    )
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=feedback, request=request,
              role=actor.role, detail={"topic": topic})  # fmt: skip
    return feedback


@transaction.atomic
def feedback_handle(
    *, actor: RoleAssignment, feedback: StudentFeedback, reply: str,
    request: HttpRequest | None = None,
) -> None:  # fmt: skip
    """Mark feedback handled with an optional reply the student reads on their page."""
    permissions.require(permissions.can_handle_feedback(actor))
    if feedback.institution_id != actor.institution_id:
        raise DomainError(Code.NOT_ALLOWED, _("This feedback is not for your college."))
    if feedback.status == StudentFeedback.Status.HANDLED:
        raise DomainError(Code.BAD_TRANSITION, _("This feedback has already been handled."))
    reply = reply.strip()
    if len(reply) > REPLY_MAX:
        raise DomainError(Code.FEEDBACK_INVALID, _("The reply is too long."), field="reply")
    feedback.status = StudentFeedback.Status.HANDLED
    feedback.reply, feedback.handled_at, feedback.handled_by = reply, timezone.now(), actor.user
    feedback.save(update_fields=["status", "reply", "handled_at", "handled_by", "updated_at"])
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=feedback, request=request,
              role=actor.role, fields=["status", "reply"], detail={"to": "handled"})  # fmt: skip
