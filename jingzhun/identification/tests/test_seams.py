"""Seams: tasks call execute services only, and execute services never import the tasks —
start → task → execute, no import cycle. Identification imports no later stage."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import jingzhun.identification as identification

ROOT = Path(identification.__file__).parent
EXECUTE = ["services/runs.py", "services/risk_models.py", "services/cases.py",
           "services/dismissals.py"]  # fmt: skip
LATER_STAGES = ("jingzhun.assistance", "jingzhun.jobs", "jingzhun.tracking", "jingzhun.assessment",
                "jingzhun.casefile", "jingzhun.analytics", "jingzhun.portal", "jingzhun.api")  # fmt: skip


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


@pytest.mark.parametrize("module", EXECUTE)
def test_execute_services_never_import_the_tasks(module):
    assert not {n for n in _imports(ROOT / module) if "identification.tasks" in n}


def test_tasks_import_execute_services_only():
    imported = {n for n in _imports(ROOT / "tasks.py") if n.startswith("jingzhun.identification")}
    assert imported == {
        "jingzhun.identification.services.risk_models",
        "jingzhun.identification.services.risk_models.TRAIN_JOB",
        "jingzhun.identification.services.risk_models.risk_model_training_execute",
        "jingzhun.identification.services.runs",
        "jingzhun.identification.services.runs.RUN_JOB",
        "jingzhun.identification.services.runs.run_execute",
    }


def test_identification_imports_no_later_stage():
    offenders = [
        (str(path.relative_to(ROOT)), name)
        for path in ROOT.rglob("*.py")
        for name in _imports(path)
        if name.startswith(LATER_STAGES)
    ]
    assert offenders == []


@pytest.mark.django_db
def test_start_services_check_the_role_and_enqueue_on_commit(
    college, django_capture_on_commit_callbacks
):
    from jingzhun.core.errors import DomainError
    from jingzhun.core.models import Job
    from jingzhun.identification import services
    from jingzhun.identification.models import IdentificationRun

    for persona in ("counsellor_a", "school_officer_a"):
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError) as exc:
            services.run_start(actor=college.personas[persona], as_of=dt.date(2026, 12, 1))
        assert (exc.value.code, callbacks) == ("identification.not_allowed", [])
    assert not IdentificationRun.objects.exists()
    officer = college.personas["employment_officer"]
    with django_capture_on_commit_callbacks() as callbacks:
        run = services.run_start(actor=officer, as_of=dt.date(2026, 12, 1))
    # The run is recorded as a waiting job; its task is enqueued once the start commits.
    job = Job.objects.get(kind="identification.run", subject_id=run.pk)
    assert [c.args for c in callbacks] == [(job.pk, "identification.run", run.pk)]
