"""/api/events/{source}/batches: all-or-nothing batches into the Parquet lake, idempotent by batch id."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, cast

import ibis
import pytest

from jingzhun.api.scopes import event_scope, record_scope
from jingzhun.api.tests.factories import ApiClient, issue_token
from jingzhun.core.models import AuditLog
from jingzhun.data.events import Lake, read_events
from jingzhun.org.models import Institution
from jingzhun.org.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

CARD_URL = "/api/events/card/batches"
MEAL = {
    "student_id": "2024010001", "category": "POS消费", "place": "第一食堂", "kind": "食堂",
    "ts": "2024-09-02T12:05:00+08:00", "amount": "-6.50", "balance": 93.5,
}  # fmt: skip


@pytest.fixture
def card_api(api_client: Any, lake_dir: Path) -> ApiClient:
    return api_client(event_scope("card"))


def stored(lake_dir: Path, source: str) -> list[dict[str, Any]]:
    con = ibis.duckdb.connect()
    try:
        return read_events(con, Lake(lake_dir), source).order_by("ts").to_pyarrow().to_pylist()
    finally:
        con.disconnect()


def push_audits() -> list[AuditLog]:
    """Audit rows of pushes (issuing the test's token is audited too, against the token)."""
    return list(AuditLog.objects.filter(object_type=""))


def lake_is_empty(lake_dir: Path) -> bool:
    lake = Lake(lake_dir)
    return lake.entries() == [] and not any(lake_dir.glob("source=*/**/*.parquet"))


def test_an_accepted_batch_is_in_the_lake_with_exact_values_and_audited(
    card_api, lake_dir, college
):
    events = [MEAL, MEAL | {"ts": "2024-10-08 07:30:00", "amount": 10, "kind": "", "place": None}]

    response = card_api.post(CARD_URL, {"batch_id": "card-2024-10-08.1", "events": events})

    [entry] = Lake(lake_dir).entries()
    assert (response.status_code, response.json()) == (201, {
        "batch_id": "card-2024-10-08.1", "source": "card", "duplicate": False, "rows": 2,
        "months": ["2024-09", "2024-10"], "sha256": entry.sha256,
    })  # fmt: skip
    assert (entry.file_name, entry.rows, entry.files) == (
        f"api:{college.institution.code}:card-2024-10-08.1", 2,
        (f"source=card/month=2024-09/part-{entry.sha256[:16]}.parquet",
         f"source=card/month=2024-10/part-{entry.sha256[:16]}.parquet"),
    )  # fmt: skip
    assert stored(lake_dir, "card") == [
        {"student_id": "2024010001", "category": "POS消费", "place": "第一食堂", "kind": "食堂",
         "ts": datetime(2024, 9, 2, 12, 5), "amount": -6.5, "balance": 93.5},
        {"student_id": "2024010001", "category": "POS消费", "place": None, "kind": None,
         "ts": datetime(2024, 10, 8, 7, 30), "amount": 10.0, "balance": 93.5},
    ]  # fmt: skip
    [audit] = push_audits()
    assert (audit.action, audit.actor_name, audit.object_type, audit.detail) == (
        AuditLog.Action.CREATE, f"api-{college.institution.code}", "",
        {"via": "api", "token": "教务系统", "events": "card", "batch_id": "card-2024-10-08.1",
         "rows": 2, "months": ["2024-09", "2024-10"], "sha256": entry.sha256},
    )  # fmt: skip


def test_library_and_job_sources_take_their_own_fields(api_client, lake_dir, college):
    api = api_client(event_scope("library"), event_scope("jobs"))
    loan = {"student_id": "2024010001", "ts": "2024-09-02T10:00:00+08:00", "book_id": "B1"}
    login = {"student_id": "2024010001", "ts": "2024-09-02T10:00:00+08:00", "action": "login"}

    assert (
        api.post("/api/events/library/batches", {"batch_id": "l1", "events": [loan]}).status_code
        == 201
    )
    assert (
        api.post("/api/events/jobs/batches", {"batch_id": "j1", "events": [login]}).status_code
        == 201
    )

    assert [r["book_id"] for r in stored(lake_dir, "library")] == ["B1"]
    assert [r["action"] for r in stored(lake_dir, "jobs")] == ["login"]


def test_bad_events_refuse_the_whole_batch_with_every_error(card_api, lake_dir, college):
    events = [
        MEAL,
        MEAL | {"student_id": "", "amount": "12,5"},
        MEAL | {"ts": "2024-13-01T00:00:00+08:00", "colour": "red"},
        MEAL | {"student_id": 2024010001, "balance": True},
    ]

    response = card_api.post(CARD_URL, {"batch_id": "b1", "events": events})

    time_help = ("Not a valid time; use ISO 8601, e.g. 2024-09-01T12:30:00+08:00 "
                 "(a time without an offset is Beijing time).")  # fmt: skip
    number_help = 'Not a valid number; send a JSON number or a decimal string such as "12.50".'
    assert (response.status_code, response.json()) == (422, {
        "error_count": 6, "errors_truncated": False, "errors": [
        {"index": 1, "field": "student_id", "value": "", "message": "This field is required."},
        {"index": 1, "field": "amount", "value": "12,5", "message": number_help},
        {"index": 2, "field": "colour", "value": "red", "message":
         "Unknown field; the fields are: student_id, category, place, kind, ts, amount, balance"},
        {"index": 2, "field": "ts", "value": "2024-13-01T00:00:00+08:00", "message": time_help},
        {"index": 3, "field": "student_id", "value": "2024010001",
         "message": "Send this field as text (a JSON string)."},
        {"index": 3, "field": "balance", "value": "true", "message": number_help},
    ]})  # fmt: skip
    assert lake_is_empty(lake_dir)
    assert push_audits() == []


def test_errors_are_in_chinese_by_default(lake_dir, client, college):
    _token, secret = issue_token(college.institution, event_scope("card"))
    response = client.post(
        CARD_URL, {"batch_id": "b1", "events": [MEAL | {"学号": "2024010001"}]},
        content_type="application/json", headers={"Authorization": f"Bearer {secret}"},
    )  # fmt: skip
    assert (response.status_code, response.json()["errors"]) == (422, [
        {"index": 0, "field": "学号", "value": "2024010001",
         "message": "未知字段，可用字段：student_id, category, place, kind, ts, amount, balance"},
    ])  # fmt: skip


def test_the_same_batch_again_is_a_duplicate_and_writes_nothing(card_api, lake_dir, college):
    first = card_api.post(CARD_URL, {"batch_id": "b1", "events": [MEAL]}).json()
    files = sorted(lake_dir.rglob("*.parquet"))

    # the same events spelled differently: a number for the amount, UTC for the time
    again = card_api.post(
        CARD_URL,
        {"batch_id": "b1", "events": [MEAL | {"amount": -6.5, "ts": "2024-09-02T04:05:00Z"}]},
    )

    assert (again.status_code, again.json()) == (200, first | {"duplicate": True})
    assert sorted(lake_dir.rglob("*.parquet")) == files
    assert len(Lake(lake_dir).entries()) == 1
    assert len(push_audits()) == 1


def test_the_same_batch_id_with_other_events_is_a_conflict(card_api, lake_dir, college):
    card_api.post(CARD_URL, {"batch_id": "b1", "events": [MEAL]})

    response = card_api.post(CARD_URL, {"batch_id": "b1", "events": [MEAL | {"amount": "-7.00"}]})

    assert (response.status_code, response.json()) == (409, {
        "detail": "Batch b1 was already received with other events; send new events under a new "
                  "batch id.",
    })  # fmt: skip
    assert [r["amount"] for r in stored(lake_dir, "card")] == [-6.5]
    assert len(push_audits()) == 1


def test_batch_ids_belong_to_the_institution(card_api, lake_dir, client, college):
    card_api.post(CARD_URL, {"batch_id": "b1", "events": [MEAL]})
    other = cast(Institution, InstitutionFactory())
    _token, secret = issue_token(other, event_scope("card"))

    response = ApiClient(client, secret).post(
        CARD_URL, {"batch_id": "b1", "events": [MEAL | {"amount": "-7.00"}]}
    )

    assert (response.status_code, response.json()["duplicate"]) == (201, False)
    assert len(Lake(lake_dir).entries()) == 2


@pytest.mark.parametrize(
    ("sent", "month", "local"),
    [
        ("2024-09-30T23:30:00+08:00", "2024-09", datetime(2024, 9, 30, 23, 30)),
        ("2024-09-30T15:30:00Z", "2024-09", datetime(2024, 9, 30, 23, 30)),
        ("2024-09-30T23:30:00", "2024-09", datetime(2024, 9, 30, 23, 30)),
        ("2024-09-30T23:30:00+00:00", "2024-10", datetime(2024, 10, 1, 7, 30)),
    ],
)
def test_times_land_in_their_beijing_month(card_api, lake_dir, college, sent, month, local):
    response = card_api.post(CARD_URL, {"batch_id": "b1", "events": [MEAL | {"ts": sent}]})

    assert response.json()["months"] == [month]
    assert [r["ts"] for r in stored(lake_dir, "card")] == [local]
    assert [p.parent.name for p in Lake(lake_dir).part_files("card")] == [f"month={month}"]


def test_scope_of_another_source_or_of_records_is_not_enough(api_client, lake_dir, college):
    api = api_client(event_scope("library"), record_scope("internship", "write"))

    response = api.post(CARD_URL, {"batch_id": "b1", "events": [MEAL]})

    assert (response.status_code, response.json()) == (403, {
        "detail": "This token does not have the scope events:card:write.",
        "required_scope": "events:card:write",
    })  # fmt: skip
    assert lake_is_empty(lake_dir)


def test_an_unknown_source_is_404(card_api, lake_dir, college):
    response = card_api.post("/api/events/wifi/batches", {"batch_id": "b1", "events": [MEAL]})

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Unknown event source: wifi"},
    )


def test_more_than_50000_events_is_413(card_api, lake_dir, college):
    response = card_api.post(
        CARD_URL, {"batch_id": "big", "events": [{"student_id": "s"}] * 50_001}
    )

    assert (response.status_code, response.json()) == (413, {
        "detail": "50001 events sent; at most 50000 are accepted per batch.",
    })  # fmt: skip
    assert lake_is_empty(lake_dir)


def test_a_body_over_the_upload_limit_is_413(card_api, lake_dir, college, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000

    response = card_api.post(CARD_URL, {"batch_id": "big", "events": [MEAL] * 100})

    assert (response.status_code, response.json()) == (413, {
        "detail": "The request body is too large; send fewer records per request.",
    })  # fmt: skip
    assert lake_is_empty(lake_dir)


@pytest.mark.parametrize(
    "body",
    [
        {"batch_id": "b1", "events": []},
        {"batch_id": "", "events": [MEAL]},
        {"batch_id": "a b", "events": [MEAL]},
        {"batch_id": "b1", "events": ["not an object"]},
        {"events": [MEAL]},
    ],
)
def test_a_body_of_the_wrong_shape_is_422_and_writes_nothing(card_api, lake_dir, college, body):
    response = card_api.post(CARD_URL, body)

    assert response.status_code == 422
    assert "detail" in response.json()
    assert lake_is_empty(lake_dir)


def test_50000_events_are_accepted(card_api, lake_dir, college):
    events = [
        MEAL | {"ts": f"2024-09-{1 + i % 30:02d}T12:{i % 60:02d}:00+08:00"} for i in range(50_000)
    ]

    response = card_api.post(CARD_URL, {"batch_id": "full", "events": events})

    assert (response.status_code, response.json()["rows"]) == (201, 50_000)
    assert len(stored(lake_dir, "card")) == 50_000
