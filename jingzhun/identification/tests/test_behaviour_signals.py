"""What identification pulls from the behaviour stage: the newest snapshot's columns in the
feature snapshot (rules see them) and its hidden-hardship candidates as economic signals."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from jingzhun.behaviour.services import behaviour_snapshot_build
from jingzhun.behaviour.tests.lakes import campus_lake
from jingzhun.identification import services
from jingzhun.identification.models import IdentificationRun, Signal
from jingzhun.identification.snapshot import feature_frame
from jingzhun.students.models import BehaviourFeatures, BehaviourSnapshot, Student

pytestmark = pytest.mark.django_db


@pytest.fixture
def campus(college, tmp_path):
    return campus_lake(college, tmp_path)


def test_runs_use_behaviour_features_and_raise_hidden_hardship_signals(campus, college):
    lake, _population, _students = campus
    snapshot = behaviour_snapshot_build(
        actor=None, institution=college.institution, lake_root=lake.root, as_of=dt.date(2026, 7, 10)
    )
    officer = college.personas["employment_officer"]
    services.difficulty_types_ensure()
    rule = services.rule_save(actor=officer, name="食堂消费偏低", difficulty_type=services.difficulty_types_ensure()["economic"],
                              level=3, condition={"field": "meal_cost_mean", "op": "<", "value": 4},
                              effective_from=dt.date(2026, 1, 1))  # fmt: skip
    run = services.run_execute(run_id=IdentificationRun.objects.create(
        institution=college.institution, as_of=dt.date(2026, 7, 10), started_by=officer.user).pk)  # fmt: skip

    current = BehaviourFeatures.objects.filter(snapshot=snapshot, term="2025-2026-2")
    cheap = {
        r.student_id: r.values["meal_cost_mean"]
        for r in current
        if (r.values["meal_cost_mean"] or 99) < 4
    }
    rule_signals = Signal.objects.filter(run=run, rule=rule)
    assert set(rule_signals.values_list("student_id", flat=True)) == set(cheap)
    one = rule_signals.order_by("pk")[0]
    assert one.explanation == f"食堂顿均消费 {round(cheap[one.student_id], 2):g} 元（阈值 ＜4）"
    assert one.sensitivity == "family_finance"

    hidden = Signal.objects.filter(run=run, rule=None, difficulty_type__code="economic")
    expected = set(current.exclude(hardship_reasons="").values_list("student_id", flat=True))
    assert set(hidden.values_list("student_id", flat=True)) == expected and expected
    signal = hidden.order_by("pk")[0]
    row = current.get(student_id=signal.student_id)
    assert signal.explanation == (f"校园消费行为与受资助学生相近（评分 {row.hardship_score:.2f}，待资助中心核实，不作认定）："
                                  f"{row.hardship_reasons}")  # fmt: skip
    assert (signal.sensitivity, signal.level) == ("family_finance", 2)


def test_the_snapshot_takes_the_whole_row_of_the_points_term(college):
    """A value missing in the newest term stays missing; it is not filled from an older term."""
    snapshot = BehaviourSnapshot.objects.create(institution=college.institution, version=1, as_of=dt.date(2026, 7, 1),
                                                columns=[{"name": "meal_cost_mean", "label": "食堂顿均消费", "format": "{:.1f} 元"}])  # fmt: skip
    for term, value in (("2025-2026-1", 6.5), ("2025-2026-2", None), ("2026-2027-1", 3.0)):
        BehaviourFeatures.objects.create(snapshot=snapshot, student=college.student_a, term=term,
                                         values={"meal_cost_mean": value, "dorm_late_entries": 2})  # fmt: skip
    population = Student.objects.filter(pk=college.student_a.pk)
    spring = feature_frame(population, as_of=dt.date(2026, 5, 1)).loc[college.student_a.pk]
    assert np.isnan(spring["meal_cost_mean"]) and spring["dorm_late_entries"] == 2
    autumn = feature_frame(population, as_of=dt.date(2025, 12, 1)).loc[college.student_a.pk]
    assert autumn["meal_cost_mean"] == 6.5
