"""The identification operator commands: the demo seeder's report. (build_behaviour_features
is the behaviour stage's: jingzhun/behaviour/tests/test_build_command.py.)"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from jingzhun.identification.demo import DemoIdentification
from jingzhun.identification.management.commands import seed_identification_demo as seed_command

pytestmark = pytest.mark.django_db


def run(*args: str, **options: Any) -> str:
    """The command's output in the English source language (translations change wording)."""
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, **options)
    return out.getvalue()


FULL_DEMO = DemoIdentification(run_id=7, model_version="risk-20260110-v1", model_signals=30,
                               candidates=41, confirmed=12, dismissed=5, behaviour_version=1,
                               hardship_candidates=4)  # fmt: skip
RUN_ONLY = DemoIdentification(run_id=8, model_version=None, model_signals=0, candidates=3,
                              confirmed=1, dismissed=0)  # fmt: skip


@pytest.mark.parametrize(
    ("result", "lines"),
    [
        (None, ["Identification demo already present (or no demo college)."]),
        (
            FULL_DEMO,
            [
                "Risk model risk-20260110-v1 approved; 30 students flagged by the model.",
                "Behaviour snapshot v1 from synthetic card data; 4 hidden-hardship candidates.",
                "Identification run 7: 41 candidates, 12 confirmed, 5 dismissed.",
            ],
        ),
        (RUN_ONLY, ["Identification run 8: 3 candidates, 1 confirmed, 0 dismissed."]),
    ],
)
def test_seed_identification_demo_reports_what_it_made(monkeypatch, result, lines):
    """The counts come from the demo seeder (tested in test_demo); here, the report of them."""
    monkeypatch.setattr(seed_command, "seed_identification_demo", lambda **kwargs: result)
    assert run("seed_identification_demo").splitlines() == lines
