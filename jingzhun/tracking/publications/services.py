"""Writes of publications: save (a new version of the text in place, audited), publish,
withdraw, and the student's visit and read marks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.status import TransitionTable, move
from jingzhun.org.models import Department, RoleAssignment, School
from jingzhun.students.models import Student
from jingzhun.tracking.publications import permissions, tags
from jingzhun.tracking.publications.errors import PublicationErrorCode
from jingzhun.tracking.publications.models import (
    PolicyArticle,
    PolicyAudienceCohort,
    PolicyRead,
    PolicyVisit,
    ProcedureStep,
)

Status = PolicyArticle.Status
ARTICLE_TABLE = TransitionTable(
    allowed={
        Status.DRAFT: frozenset({Status.PUBLISHED}),
        Status.PUBLISHED: frozenset({Status.UNPUBLISHED}),
        Status.UNPUBLISHED: frozenset({Status.PUBLISHED}),
    },
    labels=dict(Status.choices),
    bad_transition_code=PublicationErrorCode.BAD_TRANSITION,
    bad_transition_message=gettext_lazy("%(current)s cannot become %(target)s."),
)
# A reload within this long is the same visit: the 新 badges it showed stay.
VISIT_GAP = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class StepInput:
    title: str
    what_to_do: str = ""
    where: str = ""
    documents: str = ""
    deadline: str = ""


@dataclass(frozen=True)
class ArticleInput:
    kind: str
    title: str
    summary: str = ""
    body: str = ""
    department: Department | None = None
    contact: str = ""
    documents: str = ""
    deadline: dt.date | None = None
    tags: str = ""
    schools: list[School] = field(default_factory=list)
    cohorts: list[int] = field(default_factory=list)
    steps: list[StepInput] = field(default_factory=list)


def _invalid(message: str, field_name: str | None = None) -> DomainError:
    return DomainError(PublicationErrorCode.INVALID, message, field=field_name)


def _check(actor: RoleAssignment, data: ArticleInput) -> None:
    if not data.title.strip():
        raise _invalid(_("A title is required."), "title")
    if data.kind not in PolicyArticle.Kind.values:
        raise _invalid(_("Choose a kind."), "kind")
    if data.department is not None and data.department.institution_id != actor.institution_id:
        raise _invalid(_("Choose an office of your college."), "department")
    if any(school.institution_id != actor.institution_id for school in data.schools):
        raise _invalid(_("Choose schools of your college."), "schools")
    if any(not step.title.strip() for step in data.steps):
        raise _invalid(_("Every step needs a title."))


@transaction.atomic
def article_save(
    *, actor: RoleAssignment, article: PolicyArticle | None, data: ArticleInput,
    request: HttpRequest | None = None,
) -> PolicyArticle:  # fmt: skip
    """Create (`article` None) or edit an article with its steps and audience. A published
    article stays published: corrections reach students at once (its date stays, so a
    correction is not announced as new)."""
    permissions.require(permissions.can_publish(actor))
    if article is not None and article.institution_id != actor.institution_id:
        raise DomainError(PublicationErrorCode.NOT_ALLOWED, _("This article is not yours."))
    _check(actor, data)
    created = article is None
    if article is None:
        assert actor.institution_id is not None  # can_publish requires one
        article = PolicyArticle(institution_id=actor.institution_id, author_id=actor.user_id)
    article.kind = data.kind
    article.title = data.title.strip()
    article.summary = data.summary.strip()
    article.body = data.body
    article.department = data.department
    article.contact = data.contact.strip()
    article.documents = data.documents.strip()
    article.deadline = data.deadline
    article.tags = tags.normalise(data.tags)
    article.save()
    article.schools.set(data.schools)
    PolicyAudienceCohort.objects.filter(article=article).delete()
    PolicyAudienceCohort.objects.bulk_create(
        PolicyAudienceCohort(article=article, cohort=c) for c in sorted(set(data.cohorts))
    )
    ProcedureStep.objects.filter(article=article).delete()
    ProcedureStep.objects.bulk_create(
        ProcedureStep(
            article=article, order=i, title=s.title.strip(), what_to_do=s.what_to_do.strip(),
            where=s.where.strip(), documents=s.documents.strip(), deadline=s.deadline.strip(),
        )
        for i, s in enumerate(data.steps, start=1)
    )  # fmt: skip
    audit_log(
        actor=actor.user, action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
        target=article, request=request, role=actor.role,
        detail={"steps": len(data.steps), "kind": data.kind},
    )  # fmt: skip
    return article


def _no_event(obj: Any, **kwargs: Any) -> None:
    """Articles keep no history table of their own: the audit rows are their history."""


@transaction.atomic
def article_publish(
    *, actor: RoleAssignment, article: PolicyArticle, request: HttpRequest | None = None
) -> None:
    """Publish (or publish again) an article; it is new for students from now on."""
    permissions.require(permissions.can_publish(actor))
    if article.institution_id != actor.institution_id:
        raise DomainError(PublicationErrorCode.NOT_ALLOWED, _("This article is not yours."))
    if article.kind == PolicyArticle.Kind.PROCEDURE and not article.steps.exists():
        raise _invalid(_("A procedure needs at least one step before it is published."))
    article.published_at = timezone.now()
    move(article, Status.PUBLISHED, table=ARTICLE_TABLE, record=_no_event, by=actor.user,
         role=actor.role, changed=["published_at"], request=request)  # fmt: skip


@transaction.atomic
def article_unpublish(
    *, actor: RoleAssignment, article: PolicyArticle, request: HttpRequest | None = None
) -> None:
    """Withdraw an article: students no longer see it; it can be published again."""
    permissions.require(permissions.can_publish(actor))
    if article.institution_id != actor.institution_id:
        raise DomainError(PublicationErrorCode.NOT_ALLOWED, _("This article is not yours."))
    move(article, Status.UNPUBLISHED, table=ARTICLE_TABLE, record=_no_event, by=actor.user,
         role=actor.role, request=request)  # fmt: skip


def policy_visit_record(*, student: Student, now: dt.datetime | None = None) -> PolicyVisit:
    """Note that the student opened the policy list. A visit more than VISIT_GAP after the
    last one starts a new visit (what was new is measured from the one before)."""
    now = now or timezone.now()
    visit, created = PolicyVisit.objects.get_or_create(
        student=student, defaults={"last_at": now, "previous_at": None}
    )
    if created:
        return visit
    if now - visit.last_at > VISIT_GAP:
        visit.previous_at = visit.last_at
    visit.last_at = now
    visit.save(update_fields=["last_at", "previous_at"])
    return visit


def policy_read_mark(*, student: Student, article: PolicyArticle) -> None:
    """The student opened `article`: it is no longer new for them (not audited: reading a
    published text reveals nothing)."""
    PolicyRead.objects.update_or_create(student=student, article=article)
