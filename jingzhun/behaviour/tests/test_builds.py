"""A requested snapshot computation is a long job: the page follows it with real steps, says
why it failed or that its worker stopped, and runs it again from the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from jingzhun.behaviour.models import BehaviourBuild
from jingzhun.behaviour.tests.lakes import campus_lake
from jingzhun.core.models import Job
from jingzhun.students.models import BehaviourSnapshot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_requested_computation_runs_as_a_job_of_four_steps(college, client, settings, tmp_path):
    lake, _population, _students = campus_lake(college, tmp_path)
    settings.EVENT_LAKE_DIR = lake.root
    client.force_login(college.user("employment_officer"))
    client.post(reverse("behaviour:snapshot-list"))
    build = BehaviourBuild.objects.get()
    page = client.get(reverse("behaviour:snapshot-list")).content.decode()
    assert 'data-testid="behaviour-computation"' in page
    assert 'hx-get="/behaviour/snapshots/"' in page  # followed while it runs
    call_command("worker", "--batch", "--interval", "0")
    build.refresh_from_db()
    job = Job.objects.get(kind="behaviour.build", subject_id=build.pk)
    assert (build.status, build.snapshot, job.status, job.done, job.total) == (
        "finished",
        BehaviourSnapshot.objects.get(),
        "succeeded",
        4,
        4,
    )
    page = client.get(reverse("behaviour:snapshot-list")).content.decode()
    assert 'data-testid="behaviour-computation"' not in page  # done: only the snapshot shows


def test_a_refused_computation_says_why_and_runs_again_once_the_data_is_there(
    college, client, settings, tmp_path
):
    settings.EVENT_LAKE_DIR = tmp_path / "empty-lake"
    client.force_login(college.user("employment_officer"))
    client.post(reverse("behaviour:snapshot-list"))
    call_command("worker", "--batch", "--interval", "0")
    build = BehaviourBuild.objects.get()
    page = client.get(reverse("behaviour:snapshot-list")).content.decode()
    assert build.status == "failed" and build.failure in page and "一卡通" in build.failure
    assert 'data-testid="build-retry"' in page
    assert 'hx-get="/behaviour/snapshots/"' not in page  # a failure is not polled

    lake, _population, _students = campus_lake(college, tmp_path)
    settings.EVENT_LAKE_DIR = lake.root
    response = client.post(reverse("behaviour:build-retry", args=[build.pk]), follow=True)
    assert "已重新排队" in response.content.decode()
    call_command("worker", "--batch", "--interval", "0")
    build.refresh_from_db()
    assert (build.status, BehaviourSnapshot.objects.count()) == ("finished", 1)


def test_an_interrupted_computation_is_shown_and_only_the_office_may_retry_it(college, client):
    officer = college.personas["employment_officer"]
    from jingzhun.behaviour import services

    build = services.behaviour_snapshot_start(actor=officer, as_of=timezone.localdate())
    stale = timezone.now() - timedelta(seconds=django_settings.JOB_STALE_SECONDS + 1)
    Job.objects.filter(subject_id=build.pk).update(status="running", heartbeat_at=stale)
    client.force_login(officer.user)
    page = client.get(reverse("behaviour:snapshot-list")).content.decode()
    assert 'data-testid="build-interrupted"' in page and "已中断" in page
    client.force_login(college.user("counsellor_a"))
    assert client.post(reverse("behaviour:build-retry", args=[build.pk])).status_code == 403
    client.force_login(officer.user)
    client.post(reverse("behaviour:build-retry", args=[build.pk]))
    job = Job.objects.get(subject_id=build.pk, kind="behaviour.build")
    assert job.status == "queued"  # the same job, waiting for a worker again
