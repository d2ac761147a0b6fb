"""The demo college's campus behaviour: card and dorm events in the lake setting's folder,
then the first snapshot with hidden-hardship candidates (identification's demo runs after it)."""

from __future__ import annotations

import pytest

from jingzhun.behaviour.demo import seed_behaviour_demo
from jingzhun.core.models import AuditLog
from jingzhun.data.events import Lake
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.students.demo.catalogue import INSTITUTION_CODE
from jingzhun.students.demo.cohorts import DEMO_TODAY
from jingzhun.students.demo.generator import seed_demo_college
from jingzhun.students.models import BehaviourFeatures, FamilyEconomicStatus, Student

pytestmark = pytest.mark.django_db


def test_the_demo_builds_one_snapshot_as_the_office_with_unassessed_candidates(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVENT_LAKE_DIR = tmp_path / "lake"
    seed_demo_college(students=300, seed=1)
    institution = Institution.objects.get(code=INSTITUTION_CODE)
    office = RoleAssignment.objects.filter(
        institution=institution, role=Role.EMPLOYMENT_OFFICE
    ).first()

    snapshot = seed_behaviour_demo(
        institution=institution, as_of=DEMO_TODAY, actor=office, seed=2026
    )

    assert snapshot is not None and office is not None
    enrolled = Student.objects.filter(institution=institution, status="enrolled")
    assert (snapshot.version, snapshot.students, snapshot.unmatched) == (1, enrolled.count(), 0)
    assert snapshot.created_by == office.user
    assert [s["source"] for s in snapshot.sources] == ["card", "dorm"]
    lake = Lake(settings.EVENT_LAKE_DIR)  # the setting's lake, through event_lake()
    assert [s["files"] for s in snapshot.sources] == [
        len(lake.part_files("card")),
        len(lake.part_files("dorm")),
    ]
    assert lake.part_files("card") and lake.part_files("dorm")
    candidates = BehaviourFeatures.objects.filter(snapshot=snapshot).exclude(hardship_reasons="")
    assert candidates.count() == snapshot.hardship_metrics["candidates"] >= 1
    aided = set(
        FamilyEconomicStatus.objects.exclude(level="none").values_list("student_id", flat=True)
    )
    assert not aided & set(candidates.values_list("student_id", flat=True))
    assert AuditLog.objects.filter(object_type="students.behavioursnapshot").count() == 1
    # Idempotent: a snapshot exists, so nothing more is written.
    assert (
        seed_behaviour_demo(institution=institution, as_of=DEMO_TODAY, actor=office, seed=2026)
        is None
    )
    assert AuditLog.objects.filter(object_type="students.behavioursnapshot").count() == 1
