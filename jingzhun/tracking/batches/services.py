"""Batch work services: start (check, record, enqueue), execute (per student, each in its own
savepoint, with a result row), retry.

Every student goes through the earlier stages' own services (identification's `case_assign`,
assistance's plan services, the notification service), acting as the operation's role
assignment, so their rules and audit rows apply one student at a time. The set is the actor's
scope when the job runs: a crafted filter or id outside it is recorded as skipped and never
touched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance.models import Measure
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress, job_enqueue, subject_requeue
from jingzhun.core.models import AuditLog
from jingzhun.identification.permissions import RESPONSIBLE_ROLES
from jingzhun.jobs import permissions as jobs_permissions
from jingzhun.jobs.models import JobPosting
from jingzhun.jobs.push_services import BATCH_MAX_POSTINGS
from jingzhun.org.models import RoleAssignment, User
from jingzhun.students.models import Student
from jingzhun.tracking.alerts import permissions
from jingzhun.tracking.alerts.errors import TrackingErrorCode
from jingzhun.tracking.batches import operations
from jingzhun.tracking.batches.ledger import ledger_xlsx
from jingzhun.tracking.batches.models import BatchItem, BatchOperation
from jingzhun.tracking.batches.selectors import BatchFilters, batch_students

BATCH_JOB = "tracking.batch_operation"
BATCH_NOTICE_KIND = operations.MESSAGE_KIND
MAX_STUDENTS = 5000
TITLE_MAX, BODY_MAX = 100, 1000
Kind = BatchOperation.Kind
Outcome = BatchItem.Outcome


def _invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(TrackingErrorCode.BATCH_INVALID, message, field=field)


def _params_checked(actor: RoleAssignment, kind: str, params: dict[str, Any]) -> dict[str, Any]:
    institution = actor.institution_id or 0
    if kind == Kind.ASSIGN_MENTOR:
        mentor = int(params.get("mentor") or 0)
        if not RoleAssignment.objects.filter(
            user_id=mentor, institution_id=institution, role__in=RESPONSIBLE_ROLES,
            is_active=True, user__is_active=True,
        ).exists():  # fmt: skip
            raise _invalid(_("Choose a staff member of your institution."), "mentor")
        return {"mentor": mentor}
    if kind == Kind.ADD_MEASURE:
        measure = int(params.get("measure") or 0)
        if not Measure.objects.filter(pk=measure, institution_id=institution,
                                      is_active=True).exists():  # fmt: skip
            raise _invalid(_("Each measure once, from the catalogue."), "measure")
        return {"measure": measure}
    if kind == Kind.MESSAGE:
        title = str(params.get("title") or "").strip()
        body = str(params.get("body") or "").strip()
        if not title or len(title) > TITLE_MAX or len(body) > BODY_MAX:
            raise _invalid(_("A message needs a title (up to %(t)s characters) and a text of up "
                             "to %(b)s.") % {"t": TITLE_MAX, "b": BODY_MAX}, "title")  # fmt: skip
        return {"title": title, "body": body}
    if kind == Kind.EXPORT:
        return {}
    if kind == Kind.PUSH_POSTINGS:
        if not jobs_permissions.can_push(actor):
            raise _invalid(_("Your role may not push postings."), "kind")
        wanted = list(dict.fromkeys(int(p) for p in params.get("postings") or []))
        offerable = set(
            JobPosting.objects.offerable()
            .filter(institution_id=institution, pk__in=wanted)
            .values_list("pk", flat=True)
        )
        if not wanted or len(wanted) > BATCH_MAX_POSTINGS or set(wanted) - offerable:
            raise _invalid(
                _("Choose 1 to %(n)s open postings of your college.") % {"n": BATCH_MAX_POSTINGS},
                "postings",
            )
        return {"postings": wanted}
    raise _invalid(_("Choose an operation."), "kind")


@transaction.atomic
def batch_start(
    *, actor: RoleAssignment, kind: str, filters: BatchFilters, params: dict[str, Any]
) -> BatchOperation:
    """Record the operation over the filtered students in the actor's scope and enqueue it."""
    permissions.require(permissions.can_batch(actor))
    params = _params_checked(actor, kind, params)
    total = batch_students(actor=actor, filters=filters).count()
    if total == 0:
        raise _invalid(_("No student matches these filters."))
    if total > MAX_STUDENTS:
        raise _invalid(
            _("At most %(n)s students at once: narrow the filters.") % {"n": MAX_STUDENTS}
        )
    operation = BatchOperation.objects.create(
        actor=actor, kind=kind, filters=filters.as_json(), params=params, total=total,
        created_by=actor.user,
    )  # fmt: skip
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=operation, role=actor.role,
              detail={"kind": kind, "filters": filters.as_json(), "students": total})  # fmt: skip
    job_enqueue(kind=BATCH_JOB, subject=operation)
    return operation


def batch_retry(*, actor: RoleAssignment, operation: BatchOperation) -> BatchOperation:
    """Run again an operation that failed or whose worker stopped (its owner only)."""
    permissions.require(permissions.can_batch(actor))
    if operation.created_by_id != actor.user_id:
        raise BatchOperation.DoesNotExist
    if not subject_requeue(operation, kind=BATCH_JOB):
        raise DomainError(TrackingErrorCode.BATCH_NOT_RETRYABLE,
                          _("Only a failed or interrupted operation is run again."))  # fmt: skip
    operation.refresh_from_db()
    return operation


Handler = Callable[[RoleAssignment, Student, dict[str, Any], BatchOperation], tuple[str, str]]

HANDLERS: dict[str, Handler] = {
    Kind.ASSIGN_MENTOR: operations.assign_mentor,
    Kind.ADD_MEASURE: operations.add_measure,
    Kind.MESSAGE: operations.send_message,
    Kind.EXPORT: operations.export_row,
    Kind.PUSH_POSTINGS: operations.push_postings,
}


def batch_execute(*, operation_id: int, progress: Progress | None = None) -> BatchOperation:
    """Act on each student of the operation's set, each in its own savepoint, recording a
    result row per student (done / skipped with the reason / failed with the error).

    Idempotent: a finished operation is left alone; an unfinished one starts over (its
    earlier results are replaced, and each handler skips what is already done)."""
    operation = BatchOperation.objects.select_related("actor").get(pk=operation_id)
    if operation.status == BatchOperation.Status.FINISHED:
        return operation
    BatchOperation.objects.filter(pk=operation.pk).update(status=BatchOperation.Status.RUNNING)
    BatchItem.objects.filter(operation=operation).delete()
    actor = RoleAssignment.objects.get(pk=operation.actor_id)
    filters = BatchFilters.from_json(operation.filters)
    try:
        permissions.require(permissions.can_batch(actor))
        students = list(batch_students(actor=actor, filters=filters)
                        .select_related("school", "class_group")[:MAX_STUDENTS])  # fmt: skip
        items = _run(actor, operation, students, progress)
        items += _outside(operation, filters, {s.pk for s in students})
        if operation.kind == Kind.EXPORT:
            _attach_ledger(operation, actor, [s.pk for s in students])
    except Exception as exc:
        BatchOperation.objects.filter(pk=operation.pk).update(
            status=BatchOperation.Status.FAILED, failure=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    counts = {o: sum(1 for i in items if i.outcome == o) for o in Outcome.values}
    BatchOperation.objects.filter(pk=operation.pk).update(
        status=BatchOperation.Status.FINISHED, total=len(items), done=counts[Outcome.DONE],
        skipped=counts[Outcome.SKIPPED], failed=counts[Outcome.FAILED], updated_at=timezone.now(),
    )  # fmt: skip
    operation.refresh_from_db()
    return operation


def _run(actor: RoleAssignment, operation: BatchOperation, students: list[Student],
         progress: Progress | None) -> list[BatchItem]:  # fmt: skip
    handler = HANDLERS[operation.kind]
    if progress:
        progress.step(operation.get_kind_display(), total=len(students))
    items = []
    for student in students:
        try:
            with transaction.atomic():
                outcome, message = handler(actor, student, operation.params, operation)
        except DomainError as exc:
            outcome, message = Outcome.FAILED, exc.message
        except Exception as exc:  # one student's error never stops the others
            outcome, message = Outcome.FAILED, f"{type(exc).__name__}: {exc}"
        items.append(BatchItem(operation=operation, student_id=student.pk,
                               student_name=student.name, outcome=outcome, message=message[:300]))  # fmt: skip
        if progress:
            progress.advance()
    BatchItem.objects.bulk_create(items, batch_size=1000)
    return items


def _outside(operation: BatchOperation, filters: BatchFilters, seen: set[int]) -> list[BatchItem]:
    """Checked ids the scope and filters did not select: recorded, never touched or named."""
    items = [
        BatchItem(operation=operation, student_id=pk, outcome=Outcome.SKIPPED,
                  message=str(_("Not in your scope or not matching the filters.")))
        for pk in dict.fromkeys(filters.ids) if pk not in seen
    ]  # fmt: skip
    BatchItem.objects.bulk_create(items)
    return items


def _attach_ledger(operation: BatchOperation, actor: RoleAssignment, ids: list[int]) -> None:
    data = ledger_xlsx(actor=actor, student_ids=ids)
    name = f"ledger-{operation.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    operation.export.save(name, ContentFile(data), save=False)
    BatchOperation.objects.filter(pk=operation.pk).update(export=operation.export.name)


def mentor_options(*, actor: RoleAssignment) -> list[User]:
    """Who a batch may make responsible: active staff of the institution in the roles that
    may be (identification's table)."""
    return list(
        User.objects.filter(
            role_assignments__institution_id=actor.institution_id or 0,
            role_assignments__role__in=RESPONSIBLE_ROLES,
            role_assignments__is_active=True, is_active=True,
        ).distinct().order_by("username")
    )  # fmt: skip
