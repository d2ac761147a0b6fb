"""Behaviour snapshots: lake → features per student and term in the registry, hidden-hardship
scores with reasons, versions, who may build them, the page. (What identification does with
them is tested in identification: this stage never imports it.)"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from typing import cast

import numpy as np
import pandas as pd
import pytest

from jingzhun.behaviour.selectors import behaviour_frame, behaviour_latest
from jingzhun.behaviour.services import behaviour_snapshot_build
from jingzhun.behaviour.tests.lakes import REGISTERED, N, campus_lake
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.data.backends import connect
from jingzhun.data.events import CARD, Lake, read_events
from jingzhun.data.features import card_features
from jingzhun.data.periods import TermCalendar
from jingzhun.org.models import Institution
from jingzhun.org.tests.factories import InstitutionFactory
from jingzhun.students.models import (
    BehaviourFeatures,
    BehaviourSnapshot,
    FamilyEconomicStatus,
    Student,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campus(college, tmp_path):
    return campus_lake(college, tmp_path)


def test_snapshot_stores_each_students_features_per_term(campus, college):
    lake, _population, students = campus
    snapshot = behaviour_snapshot_build(actor=None, institution=college.institution, lake_root=lake.root,
                                        as_of=dt.date(2026, 7, 10))  # fmt: skip
    assert (snapshot.version, snapshot.students, snapshot.unmatched) == (
        1,
        REGISTERED,
        N - REGISTERED,
    )
    assert [s["source"] for s in snapshot.sources] == ["card", "dorm"]
    assert {
        "name": "dorm_late_entries",
        "label": "晚归（23 点后回宿舍）",
        "format": "{:.0f} 次",
    } in snapshot.columns
    assert {c["name"] for c in snapshot.columns} >= {
        "meal_cost_mean",
        "meals_per_day",
        "cheap_meal_share",
    }
    assert (
        next(c for c in snapshot.columns if c["name"] == "meal_cost_mean")["label"]
        == "食堂顿均消费"
    )
    terms = set(BehaviourFeatures.objects.filter(snapshot=snapshot).values_list("term", flat=True))
    assert terms == {"2025-2026-1", "2025-2026-2"}

    # The stored values are the pipeline's, for the right student and term.
    con = connect("duckdb")
    expected = con.execute(card_features(read_events(con, lake, CARD), calendar=TermCalendar()))
    con.disconnect()
    student = students[7]
    row = BehaviourFeatures.objects.get(snapshot=snapshot, student=student, term="2025-2026-2")
    want = expected[
        (expected["student_id"] == student.student_number) & (expected["period"] == "2025-2026-2")
    ].iloc[0]
    for name in ("meals", "meal_cost_mean", "no_canteen_days", "topup_mean"):
        assert (
            row.values[name] == pytest.approx(float(want[name]))
            if pd.notna(want[name])
            else row.values[name] is None
        )


def test_hidden_hardship_candidates_are_unassessed_and_explained(campus, college):
    lake, population, students = campus
    snapshot = behaviour_snapshot_build(
        actor=None, institution=college.institution, lake_root=lake.root, as_of=dt.date(2026, 7, 10)
    )
    metrics = snapshot.hardship_metrics
    assessed = REGISTERED - len(range(0, REGISTERED, 5))
    assert metrics["labelled"] == assessed and metrics["aided"] >= 10
    assert snapshot.hardship_version.startswith("hardship-") and str(
        snapshot.hardship_artifact.name
    ).endswith(".zip")
    with snapshot.hardship_artifact.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    # The decision rule chosen inside the training folds and the logistic half of the score
    # travel with the model: reloaded, it scores the students exactly as the snapshot did.
    assert len(manifest["rule"]["weights"]) == len(manifest["classes"]) >= 2
    assert all(weight > 0 for weight in manifest["rule"]["weights"])
    assert manifest["linear"]["share"] == 0.5
    current = BehaviourFeatures.objects.filter(snapshot=snapshot, term="2025-2026-2")
    assert current.exclude(hardship_score=None).count() == REGISTERED
    assert (
        not BehaviourFeatures.objects.filter(snapshot=snapshot, term="2025-2026-1")
        .exclude(hardship_score=None)
        .exists()
    )
    candidates = current.exclude(hardship_reasons="")
    aided = set(
        FamilyEconomicStatus.objects.exclude(level="none").values_list("student_id", flat=True)
    )
    assert candidates.count() == metrics["candidates"] >= 1
    assert candidates.count() <= REGISTERED * 0.05
    for row in candidates:
        assert row.student_id not in aided and (row.hardship_score or 0) >= 0.5
        assert (
            "分位" in row.hardship_reasons
            or "中位数" in row.hardship_reasons
            or "无记录" in row.hardship_reasons
        )
    # Truly poorer students score higher on average (the model learned something).
    poverty = dict(zip([s.pk for s in students], population.poverty[:REGISTERED], strict=True))
    scores = pd.Series(dict(current.values_list("student_id", "hardship_score")))
    assert np.corrcoef(scores.to_numpy(), scores.index.map(poverty).to_numpy(float))[0, 1] > 0.3


def test_versions_are_immutable_and_as_of_limits_terms(campus, college):
    lake, _population, _students = campus
    first = behaviour_snapshot_build(
        actor=None, institution=college.institution, lake_root=lake.root, as_of=dt.date(2026, 7, 10)
    )
    second = behaviour_snapshot_build(
        actor=None,
        institution=college.institution,
        lake_root=lake.root,
        as_of=dt.date(2025, 12, 31),
    )
    assert second.version == 2 and behaviour_latest(institution_id=college.institution.pk) == second
    assert set(
        BehaviourFeatures.objects.filter(snapshot=second).values_list("term", flat=True)
    ) == {"2025-2026-1"}
    assert BehaviourFeatures.objects.filter(snapshot=first).count() == 2 * REGISTERED
    frame = behaviour_frame(second)
    assert len(frame) == REGISTERED and frame["meal_cost_mean"].dtype == float


def test_no_card_data_is_refused_and_nothing_is_written(college, tmp_path):
    with pytest.raises(DomainError) as raised:
        behaviour_snapshot_build(actor=None, institution=college.institution, lake_root=Lake.at(tmp_path / "empty").root,
                                 as_of=dt.date(2026, 7, 10))  # fmt: skip
    assert raised.value.code == "behaviour.no_events"
    assert not BehaviourSnapshot.objects.exists()


@pytest.mark.parametrize("persona", ["counsellor_a", "school_officer_a", "aid_staff", "student_a"])
def test_only_the_employment_office_may_build_and_nothing_is_written_otherwise(
    college, tmp_path, persona
):
    lake = Lake.at(tmp_path / "lake")  # refused before the lake is read
    with pytest.raises(DomainError) as raised:
        behaviour_snapshot_build(actor=college.personas[persona], institution=college.institution,
                                 lake_root=lake.root, as_of=dt.date(2026, 7, 10))  # fmt: skip
    assert raised.value.code == "behaviour.not_allowed"
    assert not BehaviourSnapshot.objects.exists()
    assert not AuditLog.objects.filter(object_type="students.behavioursnapshot").exists()


def test_an_office_builds_only_its_own_institutions_snapshot(college, tmp_path):
    other = cast(Institution, InstitutionFactory())
    with pytest.raises(DomainError) as raised:
        behaviour_snapshot_build(actor=college.personas["employment_officer"], institution=other,
                                 lake_root=tmp_path / "lake", as_of=dt.date(2026, 7, 10))  # fmt: skip
    assert raised.value.code == "behaviour.out_of_scope"
    assert not BehaviourSnapshot.objects.exists()


def test_a_build_without_a_person_is_audited_without_one(campus, college):
    lake, _population, _students = campus
    snapshot = behaviour_snapshot_build(
        actor=None,
        institution=college.institution,
        lake_root=lake.root,
        as_of=dt.date(2025, 12, 31),
    )
    [audit] = AuditLog.objects.filter(object_type="students.behavioursnapshot")
    assert (audit.actor, audit.actor_name, audit.actor_role, audit.object_id) == (
        None,
        "",
        "",
        str(snapshot.pk),
    )
    assert snapshot.created_by is None


def test_the_page_lists_only_the_actors_institutions_snapshots(college, client):
    from django.urls import reverse

    mine = BehaviourSnapshot.objects.create(institution=college.institution, version=3,
                                            as_of=dt.date(2026, 7, 1), students=17)  # fmt: skip
    BehaviourSnapshot.objects.create(institution=cast(Institution, InstitutionFactory()), version=9,
                                     as_of=dt.date(2026, 7, 1), students=23)  # fmt: skip
    client.force_login(college.user("employment_officer"))
    response = client.get(reverse("behaviour:snapshot-list"))
    assert [row["s"] for row in response.context["rows"]] == [mine]
    html = response.content.decode()
    assert "<strong>v3</strong>" in html and "<strong>v9</strong>" not in html


def test_the_page_reads_the_same_number_of_queries_for_more_snapshots(college, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client.force_login(college.user("employment_officer"))
    url = reverse("behaviour:snapshot-list")

    def queries_with(versions: int) -> int:
        for version in range(BehaviourSnapshot.objects.count() + 1, versions + 1):
            BehaviourSnapshot.objects.create(
                institution=college.institution, version=version, as_of=dt.date(2026, 7, 1),
                sources=[{"source": "card", "files": 2}, {"source": "dorm", "files": 1}],
                hardship_metrics={"model": {"metric": 0.3}, "baseline": {"metric": 0.4}},
            )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    assert queries_with(1) == queries_with(4)


@pytest.mark.parametrize(("persona", "shown"), [("employment_officer", True),
                                                ("counsellor_a", False), ("aid_staff", False)])  # fmt: skip
def test_the_menu_shows_behaviour_data_to_whoever_may_manage_it(college, client, persona, shown):
    from django.urls import reverse

    client.force_login(college.user(persona))
    html = client.get(reverse("home")).content.decode()
    assert (f'href="{reverse("behaviour:snapshot-list")}"' in html) is shown


def test_profile_tab_shows_features_and_hides_the_score_from_the_student(campus, college, client):
    from django.urls import reverse

    lake, _population, _students = campus
    snapshot = behaviour_snapshot_build(
        actor=None, institution=college.institution, lake_root=lake.root, as_of=dt.date(2026, 7, 10)
    )
    candidate = (
        BehaviourFeatures.objects.filter(snapshot=snapshot)
        .exclude(hardship_reasons="")
        .order_by("pk")[0]
    )
    url = reverse("students:detail-tab", kwargs={"pk": candidate.student_id, "tab": "behaviour"})
    client.force_login(college.user("aid_staff"))
    html = client.get(url).content.decode()
    assert "食堂顿均消费" in html and "2025-2026-2" in html and "2025-2026-1" in html
    assert f"{candidate.values['meal_cost_mean']:.1f} 元" in html
    assert 'data-testid="hardship-candidate"' in html and candidate.hardship_reasons in html
    assert AuditLog.objects.filter(
        action=AuditLog.Action.VIEW_SENSITIVE, object_id=str(candidate.student_id)
    ).exists()
    client.force_login(college.user("psych_staff"))  # no family-finance access
    assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_behaviour_page_lists_versions_and_queues_a_build_through_the_worker(
    campus, college, client, settings
):
    from django.core.management import call_command
    from django.urls import reverse

    lake, _population, _students = campus
    settings.EVENT_LAKE_DIR = lake.root
    client.force_login(college.user("employment_officer"))
    with_queue = client.post(reverse("behaviour:snapshot-list"))
    assert with_queue.status_code == 302 and not BehaviourSnapshot.objects.exists()
    call_command("worker", "--batch", "--interval", "0")  # the real worker loop runs it
    snapshot = BehaviourSnapshot.objects.get()
    assert snapshot.created_by == college.user("employment_officer")
    [audit] = AuditLog.objects.filter(object_type="students.behavioursnapshot")
    assert (audit.actor, audit.actor_role, audit.action, audit.object_id, audit.detail) == (
        college.user("employment_officer"), "employment_office", AuditLog.Action.CREATE,
        str(snapshot.pk),
        {"behaviour_snapshot": 1, "students": REGISTERED, "unmatched": N - REGISTERED,
         "hardship_version": snapshot.hardship_version},
    )  # fmt: skip
    html = client.get(reverse("behaviour:snapshot-list")).content.decode()
    assert f"v{snapshot.version}" in html and snapshot.hardship_version in html


def test_the_slow_work_runs_outside_the_transaction_and_a_failed_write_leaves_nothing(
    campus, college, settings, monkeypatch
):
    """Training happens before the write transaction opens (SQLite takes its write lock at
    BEGIN IMMEDIATE); should the writes fail, neither rows nor the artifact file remain."""
    from django.db import connection

    from jingzhun.behaviour.services import snapshots as build

    lake, _population, _students = campus
    depth = len(connection.atomic_blocks)
    seen: dict[str, int] = {}
    train, insert = build._hardship, build.insert_rows

    def training(*args, **kwargs):
        seen["training"] = len(connection.atomic_blocks)
        return train(*args, **kwargs)

    def failing_insert(model, rows):
        seen["writing"] = len(connection.atomic_blocks)
        insert(model, rows)
        raise RuntimeError("disk full")

    monkeypatch.setattr(build, "_hardship", training)
    monkeypatch.setattr(build, "insert_rows", failing_insert)
    with pytest.raises(RuntimeError):
        build.behaviour_snapshot_build(
            actor=None,
            institution=college.institution,
            lake_root=lake.root,
            as_of=dt.date(2026, 7, 10),
        )
    assert seen == {"training": depth, "writing": depth + 1}
    assert not BehaviourSnapshot.objects.exists() and not BehaviourFeatures.objects.exists()
    artifacts = settings.MEDIA_ROOT / "hardship_models"
    assert not [p for p in artifacts.rglob("*") if p.is_file()]


def test_behaviour_frame_reads_only_the_populations_rows_in_sql(college):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    snapshot = BehaviourSnapshot.objects.create(institution=college.institution, version=1, as_of=dt.date(2026, 7, 1),
                                                columns=[{"name": "meal_cost_mean", "label": "食堂顿均消费", "format": "{:.1f} 元"}])  # fmt: skip
    for student, value in ((college.student_a, 6.5), (college.student_b, 3.0)):
        for term in ("2025-2026-1", "2025-2026-2"):
            BehaviourFeatures.objects.create(snapshot=snapshot, student=student, term=term,
                                             values={"meal_cost_mean": value})  # fmt: skip
    population = Student.objects.filter(class_group=college.class_a)
    with CaptureQueriesContext(connection) as queries:
        frame = behaviour_frame(snapshot, population)
    everyone = behaviour_frame(snapshot)
    expected = everyone[everyone["student_id"] == college.student_a.pk]
    pd.testing.assert_frame_equal(
        frame.sort_values("term").reset_index(drop=True),
        expected.sort_values("term").reset_index(drop=True),
    )
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert sql.upper().count("SELECT") == 2  # the population is a subquery, not an id list
    assert len(everyone) == 4
