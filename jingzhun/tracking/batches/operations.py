"""What a batch operation does to one student, through the earlier stages' services.

Each handler returns (outcome, message) and raises a DomainError to fail; the caller runs it
in a savepoint, so a failure leaves nothing of that student's change behind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from jingzhun.assistance.models import AssistancePlan, Measure
from jingzhun.assistance.services.plans import ItemInput, plan_edit, plan_revise, plan_submit
from jingzhun.core.audit import audit_log
from jingzhun.core.models import AuditLog
from jingzhun.identification.models import Case
from jingzhun.identification.services.cases import case_assign
from jingzhun.identification.transitions import OPEN as CASE_OPEN
from jingzhun.jobs.models import JobPosting
from jingzhun.jobs.push_services import push_send_many
from jingzhun.notifications.services import notify
from jingzhun.org.models import RoleAssignment, User
from jingzhun.students.models import MentorAssignment, Student
from jingzhun.tracking.batches.models import BatchItem, BatchOperation

MESSAGE_KIND = "tracking.batch_message"
DONE, SKIPPED = BatchItem.Outcome.DONE, BatchItem.Outcome.SKIPPED
Result = tuple[str, str]


def _shared(operation: BatchOperation, key: str, load: Callable[[], Any]) -> Any:
    """What every student of one operation uses (the mentor, the measure, the postings): read
    once per operation, not once per student."""
    cache: dict[str, Any] = operation.__dict__.setdefault("_shared", {})
    if key not in cache:
        cache[key] = load()
    return cache[key]


def assign_mentor(
    actor: RoleAssignment, student: Student, params: dict[str, Any], operation: BatchOperation
) -> Result:
    """Make the chosen person the student's mentor (帮扶责任人) and, when the student has an
    open case, its responsible person (identification's `case_assign` checks that they may)."""
    mentor = _shared(operation, "mentor", lambda: User.objects.get(pk=params["mentor"]))
    link, created = MentorAssignment.objects.get_or_create(student=student, mentor=mentor)
    if created:
        audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=link, role=actor.role,
                  detail={"student": student.pk, "mentor": mentor.pk, "batch": operation.pk})  # fmt: skip
    case = Case.objects.filter(student=student, status__in=CASE_OPEN).order_by("-pk").first()
    if case is not None and case.responsible_id != mentor.pk:
        case_assign(actor=actor, case=case, responsible=mentor)
        return DONE, _("Mentor assigned and made responsible for the case.")
    if not created:
        return SKIPPED, _("Already assigned.")
    return DONE, _("Mentor assigned.")


def add_measure(
    actor: RoleAssignment, student: Student, params: dict[str, Any], operation: BatchOperation
) -> Result:
    """Add the measure to the student's plan through assistance's plan services: a draft is
    edited; an approved plan is reopened, edited and submitted again, and its action is
    routed when the school approves (actions only come from approved plans)."""
    measure = _shared(operation, "measure", lambda: Measure.objects.get(pk=params["measure"]))
    plan = (
        AssistancePlan.objects.filter(case__student=student, case__status__in=CASE_OPEN)
        .select_related("case").order_by("-pk").first()
    )  # fmt: skip
    if plan is None:
        return SKIPPED, _("No plan yet: draft one first.")
    version = plan.current_version
    current = list(version.items.order_by("order", "pk")) if version else []
    if any(item.measure_id == measure.pk for item in current):
        return SKIPPED, _("Already in the plan.")
    if plan.status == AssistancePlan.Status.SUBMITTED:
        return SKIPPED, _("The plan is waiting for approval.")
    reopened = plan.status != AssistancePlan.Status.DRAFT
    if reopened:
        plan = plan_revise(
            actor=actor, plan=plan, reason=_("Batch: add %(m)s") % {"m": measure.name}
        )
    items = [ItemInput(measure_id=i.measure_id, deadline_days=i.deadline_days,
                       department_kind=i.department_kind, note=i.note) for i in current]  # fmt: skip
    items.append(ItemInput(measure_id=measure.pk, deadline_days=measure.default_days,
                           department_kind=measure.department_kind))  # fmt: skip
    plan_edit(
        actor=actor, plan=plan, items=items, note=_("Batch operation #%(n)s") % {"n": operation.pk}
    )
    if reopened:
        plan_submit(actor=actor, plan=plan)
        return DONE, _("Added; the plan is submitted for approval again.")
    return DONE, _("Added to the draft plan.")


def send_message(
    actor: RoleAssignment, student: Student, params: dict[str, Any], operation: BatchOperation
) -> Result:
    """An in-app message (and the outside channels) to the student's own account."""
    if student.user_id is None:
        return SKIPPED, _("The student has no account to receive it.")
    sent = notify(recipients=[User.objects.get(pk=student.user_id)], kind=MESSAGE_KIND,
                  title=params["title"], body=params.get("body", ""),
                  dedupe_key=f"tracking.batch:{operation.pk}")  # fmt: skip
    return (DONE, _("Sent.")) if sent else (SKIPPED, _("Already sent."))


def push_postings(
    actor: RoleAssignment, student: Student, params: dict[str, Any], operation: BatchOperation
) -> Result:
    """The chosen postings to the student through jobs' push service (scope, offerability and
    duplicates checked there); postings that closed since the operation started are left out."""
    postings = _shared(
        operation,
        "postings",
        lambda: list(JobPosting.objects.offerable().filter(pk__in=params["postings"])),
    )
    if not postings:
        return SKIPPED, _("The chosen postings have closed.")
    summary = push_send_many(actor=actor, postings=postings, students=[student])
    (result,) = summary.results
    if not result.pushed:
        return SKIPPED, _("Already sent.")
    return DONE, _("%(n)s pushed.") % {"n": len(result.pushed)}


def export_row(
    actor: RoleAssignment, student: Student, params: dict[str, Any], operation: BatchOperation
) -> Result:
    return DONE, _("In the ledger.")
