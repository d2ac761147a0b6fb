"""The identification demo on a small generated college: a model trained on its graduated
cohorts, approved, and used by the run."""

from __future__ import annotations

import math

import pytest

from jingzhun.identification.demo import seed_identification_demo
from jingzhun.identification.models import Case, IdentificationRun, RiskModel, Signal
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY
from jingzhun.students.demo.generator import seed_demo_college
from jingzhun.students.models import FamilyEconomicStatus, Student

pytestmark = pytest.mark.django_db


def test_the_demo_run_uses_a_model_trained_on_the_graduated_cohorts(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    seed_demo_college(students=300, seed=1)
    result = seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY)
    assert result is not None
    # One training, two models; the demo approves the recommended one.
    assert RiskModel.objects.count() == 2
    model = RiskModel.objects.get(status="approved")
    assert (model.recommended, result.model_version) == (True, model.version)
    assert (model.metrics["train_cohorts"], model.metrics["test_cohort"]) == ([2024, 2025], 2026)
    run = IdentificationRun.objects.get()
    enrolled = Student.objects.filter(status="enrolled").count()
    model_signals = Signal.objects.filter(run=run, difficulty_type__code="model_risk")
    assert result.model_signals == model_signals.count() == math.ceil(enrolled / 10)
    assert all(s.explanation.startswith("模型预测未落实去向概率 ") for s in model_signals)
    # Synthetic card data for the enrolled students: a snapshot, and hidden-hardship signals
    # for unassessed students only.
    assert result.behaviour_version == 1 and result.hardship_candidates >= 1
    hidden = Signal.objects.filter(run=run, rule__isnull=True, difficulty_type__code="economic")
    assert hidden.exists() and all(
        s.explanation.startswith("校园消费行为与受资助学生相近") for s in hidden
    )
    assessed = set(
        FamilyEconomicStatus.objects.exclude(level="none").values_list("student_id", flat=True)
    )
    assert not assessed & set(hidden.values_list("student_id", flat=True))
    _responsible_is_the_class_counsellor()
    assert seed_identification_demo(institution_code=INSTITUTION_CODE, as_of=DEMO_TODAY) is None


def _responsible_is_the_class_counsellor() -> None:
    """Confirmed by the office, looked after by the class's counsellor (the demo staffs some
    classes only; the others fall back to the school's officer, else the office)."""
    links = RoleAssignment.classes.through.objects.filter(roleassignment__role=Role.COUNSELLOR)
    counsellors = dict(links.values_list("classgroup_id", "roleassignment__user_id"))
    confirmed = list(
        Case.objects.filter(status="confirmed").values_list(
            "student__class_group_id", "responsible_id"
        )
    )
    with_counsellor = [(c, r) for c, r in confirmed if c in counsellors]
    assert with_counsellor and all(r == counsellors[c] for c, r in with_counsellor)
