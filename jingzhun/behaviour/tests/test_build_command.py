"""`build_behaviour_features` over a lake: the operator's nightly snapshot."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from jingzhun.data.events import Lake
from jingzhun.data.synthetic import Population, SyntheticParams, make_population, write_card_lake
from jingzhun.org.models import Institution
from jingzhun.org.tests.factories import ClassGroupFactory
from jingzhun.students.models import BehaviourFeatures, BehaviourSnapshot, FamilyEconomicStatus
from jingzhun.students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
YEAR = SyntheticParams(start=dt.date(2025, 9, 1), end=dt.date(2026, 6, 30))
AS_OF = "2026-07-10"


def run(*args: str, **options: Any) -> str:
    """The command's output in the English source language (translations change wording)."""
    out = StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out, **options)
    return out.getvalue()


def card_lake(root: Path, holders: int, seed: int) -> tuple[Lake, Population]:
    """A year of synthetic card events for `holders` students numbered 2025000000…"""
    base = make_population(holders, seed=seed)
    numbers = np.array([f"2025{i:06d}" for i in range(holders)])
    population = Population(student_ids=numbers, poverty=base.poverty, subsidy=base.subsidy)
    lake = Lake.at(root)
    write_card_lake(lake, rows=holders * 300, n_students=holders, seed=seed, params=YEAR,
                    population=population)  # fmt: skip
    return lake, population


def test_build_over_a_small_lake_stores_a_snapshot_and_says_why_no_model(college, tmp_path):
    lake, population = card_lake(tmp_path / "small-lake", holders=12, seed=3)
    for number in population.student_ids[:10]:  # two card holders the registry does not know
        StudentFactory.create(class_group=college.class_a, student_number=number)

    output = run("build_behaviour_features", "--lake", str(lake.root),
                 "--institution", college.institution.code, "--as-of", AS_OF)  # fmt: skip

    snapshot = BehaviourSnapshot.objects.get(institution=college.institution)
    assert (snapshot.version, snapshot.as_of, snapshot.students, snapshot.unmatched) == (
        1, dt.date(2026, 7, 10), 10, 2,
    )  # fmt: skip
    assert output.splitlines() == [
        f"Behaviour snapshot v1: 10 students, 2 card holders not in the registry, "
        f"{snapshot.duration_ms} ms.",
        "Too few assessed students to learn from (0).",
    ]
    assert not snapshot.hardship_version
    assert BehaviourFeatures.objects.filter(snapshot=snapshot).exists()


def test_the_only_institution_and_the_default_lake_need_no_options_and_train_the_model(
    settings, tmp_path
):
    settings.EVENT_LAKE_DIR = tmp_path / "default-lake"
    holders = 60
    _lake, population = card_lake(settings.EVENT_LAKE_DIR, holders=holders, seed=5)
    class_group = ClassGroupFactory()
    students = [
        StudentFactory.create(class_group=class_group, student_number=number)
        for number in population.student_ids
    ]
    poorest = set(np.argsort(-population.poverty)[:15].tolist())
    for i, student in enumerate(students):  # everyone assessed: 15 in hardship, the rest not
        FamilyEconomicStatus.objects.create(student=student, academic_year="2025-2026",
                                            level="difficult" if i in poorest else "none")  # fmt: skip
    assert Institution.objects.count() == 1

    output = run("build_behaviour_features", "--as-of", AS_OF)

    snapshot = BehaviourSnapshot.objects.get()
    assert snapshot.institution == Institution.objects.get()
    assert snapshot.hardship_version.startswith("hardship-")
    metrics = snapshot.hardship_metrics
    assert output.splitlines() == [
        f"Behaviour snapshot v1: {holders} students, 0 card holders not in the registry, "
        f"{snapshot.duration_ms} ms.",
        f"Hidden-hardship model {snapshot.hardship_version}: trained on {holders} assessed "
        f"students, {metrics['candidates']} candidates for review.",
    ]
    assert metrics["labelled"] == holders

    again = run("build_behaviour_features", "--as-of", AS_OF)  # each call is a new version
    assert again.startswith("Behaviour snapshot v2: ")
    assert list(
        BehaviourSnapshot.objects.values_list("version", flat=True).order_by("version")
    ) == [1, 2]


@pytest.mark.parametrize("code", [None, "0000000000"])
def test_an_institution_must_be_named_when_the_code_does_not_pick_exactly_one(
    college, tmp_path, code
):
    lake, _population = card_lake(tmp_path / "lake", holders=5, seed=3)
    options = {"institution": code} if code else {}

    with pytest.raises(CommandError) as raised:
        run("build_behaviour_features", "--lake", str(lake.root), "--as-of", AS_OF, **options)

    codes = ", ".join(Institution.objects.order_by("code").values_list("code", flat=True))
    assert str(raised.value) == (f"Name the institution with --institution CODE (one of: {codes}).")
    assert college.institution.code in codes and "0000000000" not in codes
    assert not BehaviourSnapshot.objects.exists()


def test_a_lake_without_card_data_is_a_command_error_and_writes_nothing(college, tmp_path):
    with pytest.raises(CommandError, match=re.escape("The event lake holds no campus-card data.")):
        run("build_behaviour_features", "--lake", str(tmp_path / "empty"),
            "--institution", college.institution.code)  # fmt: skip
    assert not BehaviourSnapshot.objects.exists()
