"""Importing batches of in-memory records (what the API receives) into the lake."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

import ibis
import pytest

from jingzhun.data.events import CARD, JOBS, LIBRARY, Lake, import_events, read_events
from jingzhun.data.events.batches import (
    IssueCode,
    RecordIssue,
    RecordsRejected,
    batch_sha256,
    check_records,
    import_records,
)

MEAL = {
    "student_id": "2024010001", "category": "POS消费", "place": "第一食堂", "kind": "食堂",
    "ts": "2014-09-01T12:05:00+08:00", "amount": "-6.50", "balance": 93.5,
}  # fmt: skip


def card_rows(lake: Lake) -> list[dict[str, Any]]:
    con = ibis.duckdb.connect()
    try:
        return read_events(con, lake, CARD).order_by("ts").to_pyarrow().to_pylist()
    finally:
        con.disconnect()


def test_a_batch_is_written_per_month_and_read_back_with_exact_values(lake: Lake) -> None:
    records = [MEAL, MEAL | {"ts": "2014-10-01 08:00:00", "amount": 10, "place": ""}]

    result = import_records(records, lake, CARD, name="api:test:b1")

    assert (result.outcome, result.entry.rows, result.months) == (
        "written",
        2,
        ("2014-09", "2014-10"),
    )
    assert result.entry.sha256 == result.sha256
    assert result.entry.file_name == "api:test:b1"
    assert [p.parent.name for p in lake.part_files("card")] == ["month=2014-09", "month=2014-10"]
    assert card_rows(lake) == [
        {"student_id": "2024010001", "category": "POS消费", "place": "第一食堂", "kind": "食堂",
         "ts": datetime(2014, 9, 1, 12, 5), "amount": -6.5, "balance": 93.5},
        {"student_id": "2024010001", "category": "POS消费", "place": None, "kind": "食堂",
         "ts": datetime(2014, 10, 1, 8, 0), "amount": 10.0, "balance": 93.5},
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("2014-09-30T23:30:00+08:00", datetime(2014, 9, 30, 23, 30)),  # local already
        ("2014-09-30T15:30:00Z", datetime(2014, 9, 30, 23, 30)),  # UTC → Beijing, same month
        ("2014-09-30T16:30:00+00:00", datetime(2014, 10, 1, 0, 30)),  # crosses into October
        ("2014-09-30 23:30", datetime(2014, 9, 30, 23, 30)),  # no offset: local time
        ("2014-09-30", datetime(2014, 9, 30, 0, 0)),
    ],
)
def test_times_are_stored_as_beijing_time(lake: Lake, sent: str, stored: datetime) -> None:
    result = import_records([MEAL | {"ts": sent}], lake, CARD, name="b")

    assert result.months == (f"{stored:%Y-%m}",)
    assert card_rows(lake)[0]["ts"] == stored


def test_every_bad_value_is_listed_and_nothing_is_written(lake: Lake) -> None:
    records = [
        MEAL | {"student_id": " ", "amount": "12,5"},
        MEAL | {"ts": "yesterday", "balance": True, "colour": "red"},
        MEAL | {"kind": 3, "amount": "NaN"},
        {"ts": 20140901},
    ]

    with pytest.raises(RecordsRejected) as refused:
        import_records(records, lake, CARD, name="bad")

    assert refused.value.issues == (
        RecordIssue(0, "student_id", " ", IssueCode.MISSING),
        RecordIssue(0, "amount", "12,5", IssueCode.BAD_NUMBER),
        RecordIssue(1, "colour", "red", IssueCode.UNKNOWN_FIELD),
        RecordIssue(1, "ts", "yesterday", IssueCode.BAD_TIMESTAMP),
        RecordIssue(1, "balance", "true", IssueCode.BAD_NUMBER),
        RecordIssue(2, "kind", "3", IssueCode.NOT_TEXT),
        RecordIssue(2, "amount", "NaN", IssueCode.BAD_NUMBER),
        RecordIssue(3, "student_id", "", IssueCode.MISSING),
        RecordIssue(3, "ts", "20140901", IssueCode.BAD_TIMESTAMP),
    )
    assert lake.entries() == []
    assert lake.part_files("card") == []


def test_required_columns_follow_the_source(lake: Lake) -> None:
    with pytest.raises(RecordsRejected) as refused:
        check_records(JOBS, [{"student_id": "s1", "ts": "2015-03-01T09:00:00"}])

    assert refused.value.issues == (RecordIssue(0, "action", "", IssueCode.MISSING),)
    assert check_records(LIBRARY, [{"student_id": "s1", "ts": "2015-03-01T09:00:00"}]) == [
        ("s1", datetime(2015, 3, 1, 9, 0), None)
    ]


def test_the_same_batch_again_is_a_duplicate_and_writes_nothing(lake: Lake) -> None:
    first = import_records([MEAL], lake, CARD, name="b1")
    files = lake.part_files("card")

    # the same content, spelled differently: key order, number as text, UTC instead of +08:00
    again = import_records(
        [{**dict(reversed(MEAL.items())), "amount": -6.5, "ts": "2014-09-01T04:05:00Z"}],
        lake, CARD, name="b1",
    )  # fmt: skip

    assert (again.outcome, again.entry) == ("duplicate", first.entry)
    assert lake.part_files("card") == files
    assert len(lake.entries()) == 1


def test_the_same_name_with_other_rows_is_a_conflict(lake: Lake) -> None:
    first = import_records([MEAL], lake, CARD, name="b1")

    other = import_records([MEAL | {"amount": "-7.00"}], lake, CARD, name="b1")

    assert (other.outcome, other.entry) == ("conflict", first.entry)
    assert other.sha256 != first.sha256
    assert len(lake.entries()) == 1
    assert [row["amount"] for row in card_rows(lake)] == [-6.5]


def test_the_same_rows_under_another_name_are_another_batch(lake: Lake) -> None:
    import_records([MEAL], lake, CARD, name="b1")
    second = import_records([MEAL], lake, CARD, name="b2")

    assert second.outcome == "written"
    assert len(card_rows(lake)) == 2


def test_the_hash_depends_on_name_and_rows_only() -> None:
    rows = check_records(CARD, [MEAL])

    assert batch_sha256(CARD, "b1", rows) == batch_sha256(CARD, "b1", list(rows))
    assert batch_sha256(CARD, "b1", rows) != batch_sha256(CARD, "b2", rows)
    assert batch_sha256(CARD, "b1", rows) != batch_sha256(LIBRARY, "b1", rows)


def test_an_empty_batch_is_refused(lake: Lake) -> None:
    with pytest.raises(ValueError, match="at least one"):
        import_records([], lake, CARD, name="empty")


def test_batches_and_file_imports_share_one_source(lake: Lake, tmp_path) -> None:
    path = tmp_path / "loans.csv"
    path.write_text("学号,借阅时间,条码号\n2024010002,2014-09-02 10:00:00,B2\n", encoding="utf-8")
    import_events(
        path, lake, LIBRARY, {"student_id": "学号", "ts": "借阅时间", "book_id": "条码号"}
    )

    import_records(
        [{"student_id": "2024010001", "ts": "2014-09-01T10:00:00+08:00", "book_id": "B1"}],
        lake, LIBRARY, name="loans-1",
    )  # fmt: skip

    con = ibis.duckdb.connect()
    table = read_events(con, lake, LIBRARY).order_by("ts").to_pyarrow().to_pylist()
    assert [(r["student_id"], r["book_id"]) for r in table] == [
        ("2024010001", "B1"), ("2024010002", "B2"),
    ]  # fmt: skip
    assert len(lake.part_files("library")) == 2


def test_two_concurrent_pushes_of_one_batch_write_it_once(lake: Lake) -> None:
    records = [MEAL | {"ts": f"2014-09-{day:02d}T12:00:00+08:00"} for day in range(1, 31)] * 100
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def push() -> None:
        start.wait()
        outcomes.append(import_records(records, Lake(lake.root), CARD, name="same").outcome)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["duplicate", "written"]
    assert len(lake.entries()) == 1
    assert len(card_rows(lake)) == 3000
