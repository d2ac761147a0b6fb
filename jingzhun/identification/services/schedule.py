"""Runs every term: the schedule the employment office sets, and the daily check that starts
the run that is due (idempotent: one scheduled run per institution and term)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from jingzhun.core.audit import audit_log
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.core.tasks import enqueue_on_commit
from jingzhun.data.periods import DEFAULT_CALENDAR, next_term
from jingzhun.identification import permissions
from jingzhun.identification.errors import IdentificationErrorCode
from jingzhun.identification.models import IdentificationRun, RunSchedule
from jingzhun.identification.services.runs import capacity_checked
from jingzhun.identification.tasks import identification_run_task
from jingzhun.org.models import RoleAssignment

DISMISSAL_MAX_DAYS = 365
SCHEDULE_MAX_DAYS = 120  # the run is due within the term it belongs to


def next_due(schedule: RunSchedule, today: dt.date) -> dt.date:
    """The day the current term's run is due, or the next term's if that day has passed."""
    term, delay = DEFAULT_CALENDAR.term_on(today), dt.timedelta(days=schedule.days_after_term_start)
    due = DEFAULT_CALENDAR.term_start(term) + delay
    return due if due >= today else DEFAULT_CALENDAR.term_start(next_term(term)) + delay


@transaction.atomic
def schedule_set(
    *,
    actor: RoleAssignment,
    enabled: bool,
    days_after_term_start: int,
    model_capacity: float,
    dismissal_days: int | None = None,
    request: HttpRequest | None = None,
) -> RunSchedule:
    """`dismissal_days`: how long a dismissal keeps a student out of the candidates on the
    same evidence; None until the next term starts (`services.dismissals`)."""
    permissions.require(permissions.can_run(actor))
    if dismissal_days is not None and not 0 <= dismissal_days <= DISMISSAL_MAX_DAYS:
        raise DomainError(IdentificationErrorCode.BAD_DAYS, _(
            "A dismissal holds for 0 to %(max)s days, or until the next term when left empty.")
            % {"max": DISMISSAL_MAX_DAYS}, field="dismissal_days")  # fmt: skip
    schedule, _created = RunSchedule.objects.update_or_create(
        institution_id=permissions.institution_of(actor),
        defaults={"enabled": enabled, "days_after_term_start": max(0, min(days_after_term_start, SCHEDULE_MAX_DAYS)),
                  "model_capacity": capacity_checked(model_capacity), "owner": actor.user,
                  "dismissal_days": dismissal_days},
    )  # fmt: skip
    audit_log(actor=actor.user, action=AuditLog.Action.UPDATE, target=schedule, request=request, role=actor.role,
              detail={"enabled": enabled, "days_after_term_start": schedule.days_after_term_start,
                      "model_capacity": schedule.model_capacity, "dismissal_days": dismissal_days})  # fmt: skip
    return schedule


def scheduled_runs_start(*, today: dt.date) -> list[IdentificationRun]:
    """Start every institution's run that is due today or overdue this term and not yet
    started. Safe to call any number of times a day, from several machines at once."""
    started = []
    term = DEFAULT_CALENDAR.term_on(today)
    term_start = DEFAULT_CALENDAR.term_start(term)
    for schedule in RunSchedule.objects.filter(enabled=True).select_related("owner"):
        if today < term_start + dt.timedelta(days=schedule.days_after_term_start):
            continue
        try:
            with transaction.atomic():
                run = IdentificationRun.objects.create(
                    institution_id=schedule.institution_id, as_of=today, started_by=schedule.owner,
                    model_capacity=schedule.model_capacity, term=term, scheduled=True,
                )  # fmt: skip
                enqueue_on_commit(identification_run_task, run.pk)
        except IntegrityError:
            continue  # this term's run exists already
        started.append(run)
    return started
