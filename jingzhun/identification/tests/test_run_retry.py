"""A run that failed, or whose worker stopped, is run again from the runs page: through the
long-job mechanism, by the employment office only, and never a finished run."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog, Job
from jingzhun.identification import services
from jingzhun.identification.models import IdentificationRun
from jingzhun.identification.tests.test_identification import AS_OF, ruled  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def started(college) -> IdentificationRun:
    return services.run_start(actor=college.personas["employment_officer"], as_of=AS_OF)


def test_the_worker_runs_a_started_run_as_a_job_with_its_four_steps(ruled):  # noqa: F811
    run = started(ruled)
    call_command("worker", "--batch", "--interval", "0")
    run.refresh_from_db()
    job = Job.objects.get(kind="identification.run", subject_id=run.pk)
    assert (run.status, job.status, job.done, job.total) == ("finished", "succeeded", 4, 4)
    assert job.step == "Saving signals and cases"  # the source text; shown translated


def test_an_interrupted_run_is_retried_from_the_page_and_finishes(ruled, client):  # noqa: F811
    officer = ruled.personas["employment_officer"]
    run = started(ruled)
    # The worker took it and was killed in the middle: running, no heartbeat for too long.
    stale = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 1)
    IdentificationRun.objects.filter(pk=run.pk).update(status="running", phase="model")
    Job.objects.filter(subject_id=run.pk).update(status="running", heartbeat_at=stale)
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    client.force_login(officer.user)
    page = client.get(reverse("identification:run-list")).content.decode()
    assert 'data-testid="run-interrupted"' in page and "已中断" in page
    response = client.post(reverse("identification:run-retry", args=[run.pk]), follow=True)
    assert "已重新排队" in response.content.decode()
    call_command("worker", "--batch", "--interval", "0")
    run.refresh_from_db()
    job = Job.objects.get(subject_id=run.pk)  # the same job, run again
    assert (run.status, job.status, job.attempts) == ("finished", "succeeded", 1)
    assert AuditLog.objects.filter(detail__requested="retry", object_id=str(run.pk)).count() == 1


def test_a_failed_run_is_run_again_but_a_finished_one_is_refused(ruled):  # noqa: F811
    officer = ruled.personas["employment_officer"]
    run = started(ruled)
    call_command("worker", "--batch", "--interval", "0")
    run.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.run_retry(actor=officer, run=run)
    assert refused.value.code == "run.not_retryable"

    IdentificationRun.objects.filter(pk=run.pk).update(status="failed", failure="disk full")
    run.refresh_from_db()
    services.run_retry(actor=officer, run=run)
    assert IdentificationRun.objects.get(pk=run.pk).status == "queued"
    assert Job.objects.filter(subject_id=run.pk, status="queued").count() == 1


def test_only_the_employment_office_may_retry(ruled):  # noqa: F811
    run = started(ruled)
    IdentificationRun.objects.filter(pk=run.pk).update(status="failed")
    run.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.run_retry(actor=ruled.personas["counsellor_a"], run=run)
    assert refused.value.code == "identification.not_allowed"
