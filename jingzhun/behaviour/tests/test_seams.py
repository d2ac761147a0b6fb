"""Seams of the behaviour stage: it never imports identification or a later stage; start →
task → execute with no cycle; the lake path is read in one place; start services check the
role and enqueue on commit."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import jingzhun
import jingzhun.behaviour as behaviour

ROOT = Path(behaviour.__file__).parent
LATER_STAGES = ("jingzhun.identification", "jingzhun.assistance", "jingzhun.jobs",
                "jingzhun.tracking", "jingzhun.assessment", "jingzhun.casefile",
                "jingzhun.analytics", "jingzhun.portal", "jingzhun.api")  # fmt: skip


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_behaviour_imports_no_later_stage():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path in ROOT.rglob("*.py")
        for name in _imports(path)
        if name.startswith(LATER_STAGES)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "module", ["services/snapshots.py", "services/event_batches.py", "services/builds.py"]
)
def test_execute_services_never_import_the_tasks(module):
    assert not {n for n in _imports(ROOT / module) if "behaviour.tasks" in n}


def test_the_lake_setting_is_read_in_one_place():
    """Only `behaviour.lake.event_lake` reads the setting (tests set it; config defines it)."""
    package = Path(jingzhun.__file__).parent
    readers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "settings.EVENT_LAKE_DIR" in path.read_text(encoding="utf-8")
        and "tests" not in path.relative_to(package).parts
    )
    assert readers == ["behaviour/lake.py"]


@pytest.mark.django_db
def test_the_start_service_checks_the_role_and_enqueues_on_commit(
    college, django_capture_on_commit_callbacks
):
    from jingzhun.behaviour import services
    from jingzhun.core.errors import DomainError
    from jingzhun.core.models import Job

    for persona in ("counsellor_a", "school_officer_a", "aid_staff", "student_a"):
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError) as exc:
            services.behaviour_snapshot_start(
                actor=college.personas[persona], as_of=dt.date(2026, 12, 1)
            )
        assert (exc.value.code, callbacks) == ("behaviour.not_allowed", [])
    officer = college.personas["employment_officer"]
    with django_capture_on_commit_callbacks() as callbacks:
        build = services.behaviour_snapshot_start(actor=officer, as_of=dt.date(2026, 12, 1))
    # A recorded request, followed by its long job; the task is enqueued once it commits.
    assert (build.institution_id, build.as_of, build.requested_by) == (
        college.institution.pk,
        dt.date(2026, 12, 1),
        officer,
    )
    job = Job.objects.get(kind="behaviour.build", subject_id=build.pk)
    assert [c.args for c in callbacks] == [(job.pk, "behaviour.build", build.pk)]
