"""What alerts and batch work declare at start-up (called from `TrackingConfig.ready`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from jingzhun.core import jobs
    from jingzhun.notifications import kinds
    from jingzhun.tracking.alerts.models import AlertCheckRun
    from jingzhun.tracking.alerts.services import CHECK_JOB, NOTICE_KIND
    from jingzhun.tracking.alerts.tasks import alert_checks_task
    from jingzhun.tracking.batches.models import BatchOperation
    from jingzhun.tracking.batches.services import BATCH_JOB, BATCH_NOTICE_KIND
    from jingzhun.tracking.batches.tasks import batch_operation_task

    jobs.register(CHECK_JOB, subject=AlertCheckRun, task=alert_checks_task)
    jobs.register(BATCH_JOB, subject=BatchOperation, task=batch_operation_task)
    kinds.register(NOTICE_KIND, _("New alerts"))
    kinds.register(BATCH_NOTICE_KIND, _("Message"))

    # The two kinds whose facts come from jobs and from destinations fill their slots.
    from jingzhun.tracking.alerts import checks, later_checks

    for code, check in (
        (checks.PUSHES_BELOW_THRESHOLD, later_checks.check_pushes_below_threshold),
        (checks.DESTINATION_QUALITY, later_checks.check_destination_quality),
    ):
        slot = checks.kind_of(code)
        checks.register(checks.AlertKind(code, slot.label, check, slot.description))
