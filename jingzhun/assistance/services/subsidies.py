"""Subsidies: applications (the student, or staff for a student in scope), the approval
chain school → employment office → finance, payment and the budget (policies are edited in
`subsidy_policies`).

Every write checks its actor, runs in one transaction and is audited. An application is
checked against the registry's evidence when it is (re)submitted, and its reasons are kept
with it. No student is paid one policy twice: the service refuses a second live application
with a clear message, and a partial unique constraint holds when two submits race.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.assistance import notices, permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.services.records import attachment_checked
from jingzhun.assistance.subsidy_models import (
    SubsidyApplication,
    SubsidyDocument,
    SubsidyEvent,
    SubsidyPolicy,
)
from jingzhun.assistance.subsidy_rules import Eligibility, PolicyTerms, eligibility, fits_budget
from jingzhun.assistance.subsidy_texts import reasons_stored, student_facts
from jingzhun.assistance.transitions import SUBSIDY_COMMITTED, SUBSIDY_TABLE
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.http import text_param
from jingzhun.core.models import AuditLog
from jingzhun.core.status import move
from jingzhun.org.models import Department, RoleAssignment
from jingzhun.org.roles import DepartmentKind
from jingzhun.org.services import department_route_close, department_route_open
from jingzhun.students.models import Student
from jingzhun.students.selectors import student_queryset

ROUTE_SOURCE = "assistance.subsidy"


def _invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(AssistanceErrorCode.SUBSIDY_INVALID, message, field=field)


@dataclass(frozen=True)
class Budget:
    budget: Decimal
    committed: Decimal  # approved at some step, not paid yet
    paid: Decimal

    @property
    def left(self) -> Decimal:
        return self.budget - self.committed - self.paid


def budget_of(policy: SubsidyPolicy) -> Budget:
    sums = SubsidyApplication.objects.filter(policy=policy).aggregate(
        committed=Sum("amount", filter=Q(status__in=SUBSIDY_COMMITTED)),
        paid=Sum("amount", filter=Q(status=SubsidyApplication.Status.PAID)),
    )
    return Budget(policy.budget, yuan(sums["committed"]), yuan(sums["paid"]))


def yuan(value: Decimal | None) -> Decimal:
    """A sum in yuan to the fen (SQLite sums decimals without their places)."""
    return (value or Decimal("0")).quantize(Decimal("0.01"))


def eligibility_of(
    policy: SubsidyPolicy, student: Student, *, on: dt.date | None = None
) -> Eligibility:
    terms = PolicyTerms(year=policy.year, groups=frozenset(policy.eligible_groups),
                        graduating_only=policy.graduating_only)  # fmt: skip
    return eligibility(terms, student_facts(student), on=on or timezone.localdate())


def _may_apply_for(actor: RoleAssignment, student: Student) -> bool:
    if permissions.can_acknowledge(actor):  # a student, for themselves only
        return student.user_id is not None and student.user_id == actor.user_id
    return (
        permissions.can_apply_for(actor)
        and student_queryset(actor=actor).filter(pk=student.pk).exists()
    )


def _check_open(policy: SubsidyPolicy, today: dt.date) -> None:
    if not policy.is_active or not policy.opens_on <= today <= policy.closes_on:
        raise DomainError(AssistanceErrorCode.SUBSIDY_CLOSED, _(
            "Applications for %(policy)s are accepted from %(opens)s to %(closes)s.") % {
            "policy": policy.name, "opens": policy.opens_on, "closes": policy.closes_on})  # fmt: skip


def _check_eligible(policy: SubsidyPolicy, student: Student, today: dt.date) -> Eligibility:
    from jingzhun.assistance.subsidy_texts import reason_text

    result = eligibility_of(policy, student, on=today)
    if not result.eligible:
        raise DomainError(AssistanceErrorCode.SUBSIDY_NOT_ELIGIBLE, _("Not eligible: %(reasons)s") % {
            "reasons": "；".join(reason_text(r.code, r.params) for r in result.missing)})  # fmt: skip
    return result


def _documents_checked(
    policy: SubsidyPolicy, documents: Mapping[str, UploadedFile]
) -> dict[str, str]:
    """Each required document's upload, checked (type, size, first bytes): name → extension."""
    missing = [name for name in policy.documents_required if documents.get(name) is None]
    if missing:
        raise _invalid(_("Attach: %(names)s.") % {"names": "、".join(missing)}, "documents")
    return {name: attachment_checked(documents[name]) for name in policy.documents_required}


def _store_documents(
    application: SubsidyApplication, documents: Mapping[str, UploadedFile], checked: dict[str, str]
) -> None:
    for name, ext in checked.items():
        upload = documents[name]
        document = SubsidyDocument(application=application, name=name,
                                   original_name=text_param(upload.name, max_length=100))  # fmt: skip
        document.file.save(f"{uuid.uuid4().hex}.{ext}", upload, save=False)
        document.save()


def _record(
    app: SubsidyApplication, *, from_status: str, to_status: str, by: Any, note: str
) -> SubsidyEvent:
    return SubsidyEvent.objects.create(application=app, actor=by, from_status=from_status,
                                       to_status=to_status, note=note)  # fmt: skip


def application_live(policy: SubsidyPolicy, student: Student) -> SubsidyApplication | None:
    return (
        SubsidyApplication.objects.filter(policy=policy, student=student)
        .exclude(status=SubsidyApplication.Status.REJECTED)
        .first()
    )


def _duplicate() -> DomainError:
    return DomainError(AssistanceErrorCode.SUBSIDY_DUPLICATE,
                       _("This student has already applied for this subsidy; one policy is paid to a student once."))  # fmt: skip


@transaction.atomic
def application_submit(
    *, actor: RoleAssignment, policy: SubsidyPolicy, student: Student,
    documents: Mapping[str, UploadedFile], note: str = "", request: HttpRequest | None = None,
) -> SubsidyApplication:  # fmt: skip
    """Apply for `policy` for `student` (the student themselves, or staff for a student in
    their scope): within the window, eligible on the registry's evidence, every required
    document attached, and no live application of the same policy already."""
    permissions.require(_may_apply_for(actor, student),
                        message=_("You may apply only for yourself or for students in your care."))  # fmt: skip
    if policy.institution_id != student.institution_id:
        raise DomainError(
            AssistanceErrorCode.OUT_OF_SCOPE, _("This policy is not of the student's college.")
        )
    today = timezone.localdate()
    _check_open(policy, today)
    if application_live(policy, student) is not None:
        raise _duplicate()
    result = _check_eligible(policy, student, today)
    checked = _documents_checked(policy, documents)
    application = SubsidyApplication(
        policy=policy, student=student, amount=policy.amount, applied_by=actor.user,
        eligibility=reasons_stored(result.reasons), note=note.strip()[:500],
    )  # fmt: skip
    try:
        with transaction.atomic():  # a savepoint: the race's loser gets the same clear error
            application.save()
    except IntegrityError:
        raise _duplicate() from None
    _store_documents(application, documents, checked)
    _record(application, from_status="", to_status=application.status, by=actor.user, note="")
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE, target=application, request=request,
              role=actor.role, detail={"policy": policy.pk, "student": student.pk,
                                       "documents": len(checked)})  # fmt: skip
    notices.subsidy_waiting(application)
    return application


@transaction.atomic
def application_resubmit(
    *, actor: RoleAssignment, application: SubsidyApplication,
    documents: Mapping[str, UploadedFile], note: str = "", request: HttpRequest | None = None,
) -> SubsidyApplication:  # fmt: skip
    """Send a returned application in again, with the documents replaced; eligibility is
    checked anew (the evidence may have changed since)."""
    application = SubsidyApplication.objects.select_for_update().select_related("policy", "student").get(pk=application.pk)  # fmt: skip
    permissions.require(_may_apply_for(actor, application.student),
                        message=_("You may apply only for yourself or for students in your care."))  # fmt: skip
    today = timezone.localdate()
    _check_open(application.policy, today)
    SUBSIDY_TABLE.check(application.status, SubsidyApplication.Status.SUBMITTED)
    result = _check_eligible(application.policy, application.student, today)
    checked = _documents_checked(application.policy, documents)
    application.documents.all().delete()
    _store_documents(application, documents, checked)
    application.eligibility = reasons_stored(result.reasons)
    application.note = note.strip()[:500] or application.note
    move(application, SubsidyApplication.Status.SUBMITTED, table=SUBSIDY_TABLE, record=_record,
         by=actor.user, role=actor.role, changed=["eligibility", "note"], request=request)  # fmt: skip
    notices.subsidy_waiting(application)
    return application


def _finance_department(institution_id: int) -> Department | None:
    return (
        Department.objects.filter(institution_id=institution_id, kind=DepartmentKind.AID)
        .order_by("pk")
        .first()
    )


def _in_scope(actor: RoleAssignment, application: SubsidyApplication) -> bool:
    return student_queryset(actor=actor).filter(pk=application.student_id).exists()


def _may_decide(actor: RoleAssignment, application: SubsidyApplication, step: str) -> bool:
    if not permissions.can_subsidy_step(actor, step):
        return False
    if application.policy.institution_id != actor.institution_id:
        return False
    if step == "school_approved":
        return application.student.school_id == actor.school_id and _in_scope(actor, application)
    if step in ("finance_approved", "paid"):
        finance = _finance_department(application.policy.institution_id)
        return finance is not None and actor.department_id == finance.pk
    return _in_scope(actor, application)


@transaction.atomic
def application_move(
    *, actor: RoleAssignment, application: SubsidyApplication, target: str, reason: str = "",
    paid_on: dt.date | None = None, reference: str = "", request: HttpRequest | None = None,
) -> SubsidyApplication:  # fmt: skip
    """Take one step: approve at the actor's step, record payment, or return / reject with a
    reason. Steps are in strict order (`SUBSIDY_TABLE`); each by its own role. An approval
    that would take the policy over its budget is refused."""
    application = (
        SubsidyApplication.objects.select_for_update()
        .select_related("policy", "student").get(pk=application.pk)
    )  # fmt: skip
    step = target if target in permissions.SUBSIDY_STEP_ROLES else permissions.SUBSIDY_DECIDER_STEP.get(application.status, "")  # fmt: skip
    permissions.require(_may_decide(actor, application, step),
                        message=_("This step of the application is not yours to take."))  # fmt: skip
    SUBSIDY_TABLE.check(application.status, target, reason)
    changed = []
    if target in SUBSIDY_COMMITTED and application.status not in SUBSIDY_COMMITTED:
        _check_budget(application)
    if target == SubsidyApplication.Status.PAID:
        _payment(application, paid_on, reference)
        changed += ["paid_on", "payment_reference"]
    if target in (SubsidyApplication.Status.RETURNED, SubsidyApplication.Status.REJECTED):
        application.reason = reason.strip()[:2000]
        changed.append("reason")
    move(application, target, table=SUBSIDY_TABLE, record=_record, by=actor.user, role=actor.role,
         note=reason.strip()[:2000], changed=changed, request=request)  # fmt: skip
    _route(application)
    notices.subsidy_moved(application)
    notices.subsidy_waiting(application)
    return application


def _check_budget(application: SubsidyApplication) -> None:
    # The policy row is locked so two approvals cannot both take the last of the budget.
    policy = SubsidyPolicy.objects.select_for_update().get(pk=application.policy_id)
    figures = budget_of(policy)
    if not fits_budget(budget=figures.budget, committed=figures.committed, paid=figures.paid,
                       adding=application.amount):  # fmt: skip
        raise DomainError(AssistanceErrorCode.SUBSIDY_OVER_BUDGET, _(
            "Approving %(amount)s yuan would exceed the budget of %(policy)s: %(left)s yuan is left.") % {
            "amount": application.amount, "policy": policy.name, "left": figures.left})  # fmt: skip


def _payment(application: SubsidyApplication, paid_on: dt.date | None, reference: str) -> None:
    if paid_on is None:
        raise _invalid(_("Give the day it was paid."), "paid_on")
    if paid_on > timezone.localdate():
        raise _invalid(_("The payment date cannot be in the future."), "paid_on")
    reference = reference.strip()
    if not reference:
        raise _invalid(_("Give the payment reference (voucher or transfer number)."), "reference")
    application.paid_on = paid_on
    application.payment_reference = reference[:60]


def _route(application: SubsidyApplication) -> None:
    """Finance staff with the routed scope see the students waiting for them."""
    if application.status == SubsidyApplication.Status.OFFICE_APPROVED:
        finance = _finance_department(application.policy.institution_id)
        if finance is not None:
            department_route_open(department_id=finance.pk, student_id=application.student_id,
                                  source=ROUTE_SOURCE, source_id=application.pk)  # fmt: skip
    elif application.status not in ("finance_approved",):
        department_route_close(source=ROUTE_SOURCE, source_id=application.pk)


@dataclass(frozen=True)
class BulkResult:
    moved: int
    failures: list[tuple[str, str]]  # (student, reason)


BULK_MAX = 500


@transaction.atomic
def applications_approve_bulk(
    *, actor: RoleAssignment, ids: list[int], target: str, request: HttpRequest | None = None
) -> BulkResult:
    """Approve many at one step: all of them, or none (each through `application_move`)."""
    if target not in permissions.SUBSIDY_STEP_ROLES or target == SubsidyApplication.Status.PAID:
        raise _invalid(_("Choose an approval step."))
    if not ids:
        raise _invalid(_("Choose the applications to approve."))
    if len(ids) > BULK_MAX:
        raise _invalid(_("At most %(n)s applications at a time.") % {"n": BULK_MAX})
    failures = []
    moved = 0
    for application in (
        SubsidyApplication.objects.filter(pk__in=ids).select_related("student").order_by("pk")
    ):
        try:
            with transaction.atomic():
                application_move(
                    actor=actor, application=application, target=target, request=request
                )
            moved += 1
        except DomainError as exc:
            failures.append((application.student.name, exc.message))
    if failures or moved != len(set(ids)):
        transaction.set_rollback(True)
        return BulkResult(0, failures or [("", _("Some applications are no longer there."))])
    return BulkResult(moved, [])
