"""The campus-behaviour tab of the profile: what its context holds, and for whom."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from jingzhun.students.models import BehaviourFeatures, BehaviourSnapshot
from jingzhun.students.profile import behaviour_context
from jingzhun.students.selectors import behaviour_latest

pytestmark = pytest.mark.django_db
REASONS = "食堂顿均消费 3.1 元，低于全校 90% 的学生"
COLUMNS = [{"name": "meal_cost_mean", "label": "食堂顿均消费", "format": "{:.1f} 元"}]


@pytest.fixture
def snapshot(college):
    """Two versions; the newer one marks student A as a hidden-hardship candidate."""
    BehaviourSnapshot.objects.create(institution=college.institution, version=1,
                                     as_of=dt.date(2026, 1, 10), columns=COLUMNS)  # fmt: skip
    newest = BehaviourSnapshot.objects.create(institution=college.institution, version=2,
                                              as_of=dt.date(2026, 7, 10), columns=COLUMNS)  # fmt: skip
    BehaviourFeatures.objects.create(snapshot=newest, student=college.student_a, term="2025-2026-1",
                                     values={"meal_cost_mean": 6.5})  # fmt: skip
    BehaviourFeatures.objects.create(snapshot=newest, student=college.student_a, term="2025-2026-2",
                                     values={"meal_cost_mean": 3.1}, hardship_score=0.87,
                                     hardship_reasons=REASONS)  # fmt: skip
    return newest


def test_behaviour_latest_is_the_institutions_newest_version(college, snapshot):
    assert behaviour_latest(institution_id=college.institution.pk) == snapshot
    assert behaviour_latest(institution_id=college.personas["outsider"].institution_id) is None


def test_the_hardship_score_is_in_the_context_of_staff_only(college, snapshot):
    staff = behaviour_context(college.student_a, actor=college.personas["aid_staff"])
    assert (staff["hardship_score"], staff["hardship_reasons"]) == (0.87, REASONS)
    assert staff["terms"] == ["2025-2026-1", "2025-2026-2"]
    assert staff["lines"] == [("食堂顿均消费", ["6.5 元", "3.1 元"])]

    own = behaviour_context(college.student_a, actor=college.personas["student_a"])
    assert "hardship_score" not in own and "hardship_reasons" not in own
    # Nothing else in the context carries them either (no feature row, no model instance).
    assert not any(isinstance(v, BehaviourFeatures) for v in own.values())
    assert (own["terms"], own["lines"]) == (staff["terms"], staff["lines"])


def test_the_student_sees_their_features_but_not_the_hardship_score(college, snapshot, client):
    url = reverse("students:detail-tab", kwargs={"pk": college.student_a.pk, "tab": "behaviour"})
    client.force_login(college.user("aid_staff"))
    response = client.get(url)
    html = response.content.decode()
    assert 'data-testid="hardship-candidate"' in html and REASONS in html and "0.87" in html

    client.force_login(college.user("student_a"))
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "3.1 元" in html and "2025-2026-2" in html  # their own features, as staff see them
    assert 'data-testid="hardship-candidate"' not in html
    assert REASONS not in html and "0.87" not in html
    assert "hardship_score" not in response.context and "hardship_reasons" not in response.context
