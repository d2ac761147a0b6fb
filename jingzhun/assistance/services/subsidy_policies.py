"""Subsidy policies, kept by the employment office: checked input, and terms that stay as
they were decided on once a policy has applications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.assistance import permissions
from jingzhun.assistance.errors import AssistanceErrorCode
from jingzhun.assistance.services.subsidies import budget_of
from jingzhun.assistance.subsidy_models import SubsidyApplication, SubsidyPolicy
from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.org.models import RoleAssignment
from jingzhun.students.models import PriorityGroupEvidence

DOCUMENTS_MAX = 10
# The terms an application is decided on: fixed once the policy has applications.
LOCKED_FIELDS = ("amount", "eligible_groups", "graduating_only", "year")


def _invalid(message: str, field: str | None = None) -> DomainError:
    return DomainError(AssistanceErrorCode.SUBSIDY_INVALID, message, field=field)


@dataclass(frozen=True)
class PolicyInput:
    year: int | None
    name: str
    amount: str
    budget: str
    eligible_groups: list[str]
    documents_required: list[str]
    opens_on: dt.date | None
    closes_on: dt.date | None
    graduating_only: bool = True
    description: str = ""
    is_active: bool = True


def _money(raw: str, field: str) -> Decimal:
    try:
        value = Decimal(raw.strip().replace(",", ""))
    except (InvalidOperation, AttributeError):
        raise _invalid(_("Give an amount in yuan, e.g. 1500."), field) from None
    if (
        not value.is_finite()
        or value < 0
        or value >= Decimal("1e10")
        or value != value.quantize(Decimal("0.01"))
    ):
        raise _invalid(_("Give an amount in yuan, e.g. 1500."), field)
    return value


def _checked(data: PolicyInput) -> dict[str, object]:
    if data.year is None or not 2000 <= data.year <= 2100:
        raise _invalid(_("Give the graduation year the policy is for."), "year")
    name = data.name.strip()
    if not name:
        raise _invalid(_("Give the policy a name."), "name")
    amount = _money(data.amount, "amount")
    if amount <= 0:
        raise _invalid(_("The amount must be more than zero."), "amount")
    groups = sorted(set(data.eligible_groups))
    if not groups or not set(groups) <= set(PriorityGroupEvidence.Group.values):
        raise _invalid(_("Choose at least one eligible group."), "eligible_groups")
    documents = [d.strip() for d in data.documents_required if d.strip()]
    if len(documents) > DOCUMENTS_MAX or len(set(documents)) != len(documents):
        raise _invalid(_("List each required document once (at most %(n)s).") % {"n": DOCUMENTS_MAX}, "documents_required")  # fmt: skip
    if any(len(d) > 60 for d in documents):
        raise _invalid(_("A document name may have at most 60 characters."), "documents_required")
    if data.opens_on is None or data.closes_on is None or data.closes_on < data.opens_on:
        raise _invalid(_("Give the application window: it closes on or after the day it opens."), "closes_on")  # fmt: skip
    return {
        "year": data.year, "name": name[:60], "amount": amount, "budget": _money(data.budget, "budget"),
        "eligible_groups": groups, "documents_required": documents, "opens_on": data.opens_on,
        "closes_on": data.closes_on, "graduating_only": data.graduating_only,
        "description": data.description.strip()[:2000], "is_active": data.is_active,
    }  # fmt: skip


@transaction.atomic
def policy_save(
    *, actor: RoleAssignment, data: PolicyInput, policy: SubsidyPolicy | None = None,
    request: HttpRequest | None = None,
) -> SubsidyPolicy:  # fmt: skip
    """Create or change a policy. Once it has applications its terms stay as they were
    decided on, and the budget cannot drop below what is committed and paid."""
    permissions.require(permissions.can_manage_subsidies(actor))
    institution = permissions.institution_of(actor)
    values = _checked(data)
    if policy is not None:
        policy = SubsidyPolicy.objects.select_for_update().get(
            pk=policy.pk, institution_id=institution
        )
        if SubsidyApplication.objects.filter(policy=policy).exists():
            current = {f: getattr(policy, f) for f in LOCKED_FIELDS} | {
                "eligible_groups": sorted(policy.eligible_groups)
            }
            changed = [f for f in LOCKED_FIELDS if current[f] != values[f]]
            if changed:
                raise DomainError(AssistanceErrorCode.SUBSIDY_LOCKED, _(
                    "This policy already has applications: its year, amount, groups and graduation "
                    "condition stay as they were. Create a new policy for new terms."))  # fmt: skip
        figures = budget_of(policy)
        if values["budget"] < figures.committed + figures.paid:  # type: ignore[operator]
            raise _invalid(_("The budget cannot be less than what is already committed and paid (%(used)s yuan).")
                           % {"used": figures.committed + figures.paid}, "budget")  # fmt: skip
    else:
        policy = SubsidyPolicy(institution_id=institution)
    for name, value in values.items():
        setattr(policy, name, value)
    if SubsidyPolicy.objects.filter(institution_id=institution, year=policy.year, name=policy.name).exclude(pk=policy.pk).exists():  # fmt: skip
        raise _invalid(_("There is already a policy of that name for that year."), "name")
    created = policy.pk is None
    policy.save()
    audit_log(actor=actor.user, action=AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE,
              target=policy, request=request, role=actor.role, fields=sorted(values))  # fmt: skip
    return policy
