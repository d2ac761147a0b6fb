"""Writes of jobs: vetting employers (verified / pending / blacklisted), audited."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.jobs import permissions
from jingzhun.jobs.errors import JobsErrorCode
from jingzhun.jobs.models import Employer
from jingzhun.org.models import RoleAssignment


def employer_vet(
    *, actor: RoleAssignment, employer: Employer, vetting: str, reason: str = "",
    request: HttpRequest | None = None,
) -> Employer:  # fmt: skip
    """Set an employer's vetting. Blacklisting needs a reason; each change is audited with the
    old and new state. A blacklisted employer's postings leave what students are offered."""
    if (
        not permissions.can_manage_employers(actor)
        or employer.institution_id != actor.institution_id
    ):
        raise DomainError(JobsErrorCode.NOT_ALLOWED, _("Your role may not vet employers."))
    if vetting not in Employer.Vetting.values:
        raise DomainError(JobsErrorCode.BAD_VETTING, _("Unknown vetting state."))
    reason = reason.strip()
    if vetting == Employer.Vetting.BLACKLISTED and not reason:
        raise DomainError(
            JobsErrorCode.REASON_REQUIRED, _("Give the reason for blacklisting."), field="reason"
        )
    with transaction.atomic():
        employer = Employer.objects.select_for_update().get(pk=employer.pk)
        before = employer.vetting
        employer.vetting, employer.vetting_reason = vetting, reason[:2000]
        employer.vetted_on, employer.vetted_by = timezone.localdate(), actor.user
        employer.save(
            update_fields=["vetting", "vetting_reason", "vetted_on", "vetted_by", "updated_at"]
        )
        audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=employer, request=request,
                  role=actor.role, fields=["vetting"],
                  detail={"vetting": [before, vetting], "reason": reason[:200]})  # fmt: skip
    return employer
