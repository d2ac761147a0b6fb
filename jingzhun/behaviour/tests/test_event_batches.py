"""`event_batch_import`: the one way events pushed by campus systems reach the lake."""

from __future__ import annotations

from pathlib import Path

import pytest

from jingzhun.behaviour.services import event_batch_import, event_batch_name
from jingzhun.core.errors import DomainError
from jingzhun.core.models import AuditLog
from jingzhun.data.events import CARD, Lake
from jingzhun.data.events.batches import RecordsRejected

pytestmark = pytest.mark.django_db
MEAL = {
    "student_id": "2024010001", "category": "POS消费", "place": "第一食堂", "kind": "食堂",
    "ts": "2024-09-02T12:05:00+08:00", "amount": "-6.50", "balance": 93.5,
}  # fmt: skip


@pytest.fixture
def lake_dir(settings, tmp_path) -> Path:
    settings.EVENT_LAKE_DIR = tmp_path / "lake"
    return settings.EVENT_LAKE_DIR


def batch_audits() -> list[AuditLog]:
    return list(AuditLog.objects.filter(object_type="", detail__events="card"))


def test_a_batch_goes_to_the_setting_lake_under_the_institutions_name_and_is_audited(
    college, lake_dir
):
    officer = college.personas["employment_officer"]

    result = event_batch_import(actor=officer, source=CARD, batch_id="b-1", events=[MEAL],
                                audit_detail={"token": "一卡通"})  # fmt: skip

    [entry] = Lake(lake_dir).entries()
    assert (result.outcome, entry.file_name, entry.rows) == (
        "written", f"api:{college.institution.code}:b-1", 1,
    )  # fmt: skip
    [audit] = batch_audits()
    assert (audit.actor, audit.actor_role, audit.action, audit.detail) == (
        officer.user, "employment_office", AuditLog.Action.CREATE,
        {"via": "api", "token": "一卡通", "events": "card", "batch_id": "b-1", "rows": 1,
         "months": ["2024-09"], "sha256": entry.sha256},
    )  # fmt: skip


def test_a_duplicate_writes_and_audits_nothing_more(college, lake_dir):
    officer = college.personas["employment_officer"]
    event_batch_import(actor=officer, source=CARD, batch_id="b-1", events=[MEAL])

    again = event_batch_import(actor=officer, source=CARD, batch_id="b-1", events=[MEAL])
    other = event_batch_import(
        actor=officer, source=CARD, batch_id="b-1", events=[MEAL | {"amount": "-7.00"}]
    )

    assert (again.outcome, other.outcome) == ("duplicate", "conflict")
    assert len(Lake(lake_dir).entries()) == 1 and len(batch_audits()) == 1


@pytest.mark.parametrize("persona", ["counsellor_a", "school_officer_a", "aid_staff"])
def test_other_roles_may_not_add_events_and_nothing_is_written(college, lake_dir, persona):
    with pytest.raises(DomainError) as raised:
        event_batch_import(actor=college.personas[persona], source=CARD, batch_id="b-1",
                           events=[MEAL])  # fmt: skip
    assert raised.value.code == "behaviour.not_allowed"
    assert not lake_dir.exists() or Lake(lake_dir).entries() == []
    assert batch_audits() == []


def test_bad_values_refuse_the_batch_and_nothing_is_audited(college, lake_dir):
    with pytest.raises(RecordsRejected) as raised:
        event_batch_import(actor=college.personas["employment_officer"], source=CARD,
                           batch_id="b-1", events=[MEAL | {"ts": "yesterday"}])  # fmt: skip
    assert [(i.index, i.field, i.code) for i in raised.value.issues] == [(0, "ts", "bad_timestamp")]
    assert Lake(lake_dir).entries() == [] and batch_audits() == []


def test_the_name_carries_channel_institution_and_batch():
    assert event_batch_name(institution_code="4132010001", batch_id="x.1") == "api:4132010001:x.1"
    assert event_batch_name(institution_code="c", batch_id="b", via="sftp") == "sftp:c:b"
