"""Seams: assistance imports no later stage, its task calls the execute service only, and the
stages before it never import it (they are pulled, ADR 0005)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import jingzhun
import jingzhun.assistance as assistance

ROOT = Path(assistance.__file__).parent
APPS = Path(jingzhun.__file__).parent
LATER_STAGES = ("jingzhun.jobs", "jingzhun.tracking", "jingzhun.assessment", "jingzhun.casefile",
                "jingzhun.analytics", "jingzhun.portal", "jingzhun.api")  # fmt: skip
EARLIER = ("core", "org", "notifications", "students", "data", "behaviour", "identification")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


def test_assistance_imports_no_later_stage():
    offenders = [(str(p.relative_to(ROOT)), n) for p in ROOT.rglob("*.py") for n in _imports(p)
                 if n.startswith(LATER_STAGES)]  # fmt: skip
    assert offenders == []


@pytest.mark.parametrize("app", EARLIER)
def test_earlier_stages_never_import_assistance(app):
    offenders = [(str(p.relative_to(APPS)), n) for p in (APPS / app).rglob("*.py") for n in _imports(p)
                 if n.startswith("jingzhun.assistance")]  # fmt: skip
    assert offenders == []


def test_the_task_calls_the_execute_service_which_never_imports_the_tasks():
    imported = {n for n in _imports(ROOT / "tasks.py") if n.startswith("jingzhun.assistance")}
    assert imported == {
        "jingzhun.assistance.services.actions",
        "jingzhun.assistance.services.actions.actions_escalate_overdue",
        "jingzhun.assistance.services.actions.actions_remind_due",
    }
    assert not {n for n in _imports(ROOT / "services" / "actions.py") if "assistance.tasks" in n}
