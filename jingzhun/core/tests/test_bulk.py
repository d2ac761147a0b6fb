"""Multi-row inserts: rows given as columns land exactly as rows given as dicts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from uuid import UUID

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jingzhun.core.bulk import (
    WRITE_CACHE_KIB,
    _copy_text,
    insert_columns,
    insert_rows,
    write_cache,
)
from jingzhun.core.models import AuditLog

pytestmark = pytest.mark.django_db

# insert_rows/insert_columns take database-ready values: JSON goes in as text.
JSON_TEXT = {"fields": "[]", "detail": "{}"}
SHOWN = ["action", "actor_id", "actor_name", "actor_role", "object_id", "fields", "detail"]


def test_columns_insert_the_same_rows_as_dicts_with_defaults_and_timestamps():
    with transaction.atomic():
        by_rows = insert_rows(AuditLog, (
            {"action": "login", "actor_name": name, "object_id": str(k), **JSON_TEXT}
            for k, name in enumerate(["张三", "李四"])
        ))  # fmt: skip
        by_columns = insert_columns(
            AuditLog,
            {"actor_name": ["张三", "李四"], "object_id": ["0", "1"]},
            constants={"action": "login", **JSON_TEXT},
        )

    assert (by_rows, by_columns) == (2, 2)
    rows = list(AuditLog.objects.order_by("pk").values(*SHOWN))
    assert rows[:2] == rows[2:]
    assert rows[1] == {
        "action": "login", "actor_id": None, "actor_name": "李四", "actor_role": "",
        "object_id": "1", "fields": [], "detail": {},
    }  # fmt: skip
    assert AuditLog.objects.filter(at__isnull=True).count() == 0


def test_columns_of_unequal_length_or_unknown_fields_insert_nothing():
    with pytest.raises(ValueError, match="same length"), transaction.atomic():
        insert_columns(AuditLog, {"actor_name": ["张三", "李四"], "object_id": ["0"]})
    with pytest.raises(KeyError, match="no_such_field"), transaction.atomic():
        insert_columns(AuditLog, {"actor_name": ["张三"]}, constants={"no_such_field": 1})
    with pytest.raises(ValueError, match="at least one column"), transaction.atomic():
        insert_columns(AuditLog, {}, constants={"action": "login"})

    assert AuditLog.objects.count() == 0


def test_no_rows_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_columns(AuditLog, {"actor_name": []}) == 0


def test_timestamps_are_stored_as_the_drivers_datetime_adapter_writes_them():
    before = timezone.now()
    with transaction.atomic():
        insert_columns(
            AuditLog, {"actor_name": ["张三"]}, constants={"action": "login", **JSON_TEXT}
        )
    after = timezone.now()

    entry = AuditLog.objects.get()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT CAST(at AS TEXT) FROM core_auditlog")
            assert cursor.fetchone() == (entry.at.isoformat(" "),)
    assert before <= entry.at <= after  # the insert's own time, in UTC


def _cache_size() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return int(cursor.fetchone()[0])


def _insert_one(name: str) -> None:
    insert_columns(AuditLog, {"actor_name": [name]}, constants={"action": "login", **JSON_TEXT})


def test_write_cache_enlarges_the_sqlite_page_cache_for_the_block_only():
    if connection.vendor != "sqlite":
        pytest.skip("the page cache is SQLite's: on PostgreSQL write_cache changes nothing")
    before = _cache_size()
    with transaction.atomic(), write_cache():
        _insert_one("张三")
        assert _cache_size() == -WRITE_CACHE_KIB
    assert _cache_size() == before

    with pytest.raises(RuntimeError), transaction.atomic(), write_cache():
        _insert_one("李四")
        raise RuntimeError("crash in the middle of a run")
    assert _cache_size() == before


def test_a_crash_inside_write_cache_keeps_nothing_of_the_block():
    with transaction.atomic(), write_cache():
        _insert_one("张三")
    with pytest.raises(RuntimeError), transaction.atomic(), write_cache():
        _insert_one("李四")
        raise RuntimeError("crash in the middle of a run")

    assert list(AuditLog.objects.values_list("actor_name", flat=True)) == ["张三"]


TRICKY = [
    "tab\there",
    "line\nbreak\r\n",
    "back\\slash \\N",
    "\\",
    "",
    "引号\"'；=SUM(A1)",
    "末尾\\",
]


def test_columns_keep_every_character_and_null_as_rows_do():
    """On PostgreSQL the columns go through COPY's text format formatted here: tabs, line
    breaks, backslashes and a literal `\\N` must come back as they went in, and None as NULL."""
    n = len(TRICKY)
    with transaction.atomic():
        insert_rows(AuditLog, (
            {"action": AuditLog.Action.EXPORT, "actor_name": text, "object_id": str(k),
             "ip_address": "10.0.0.1" if k % 2 else None, "fields": '["a\\tb"]',
             "detail": json.dumps({"note": text})}
            for k, text in enumerate(TRICKY)
        ))  # fmt: skip
        insert_columns(
            AuditLog,
            {"actor_name": TRICKY, "object_id": [str(k) for k in range(n)],
             "ip_address": ["10.0.0.1" if k % 2 else None for k in range(n)],
             "detail": [json.dumps({"note": text}) for text in TRICKY]},
            constants={"action": AuditLog.Action.EXPORT, "fields": '["a\\tb"]'},
        )  # fmt: skip

    rows = list(AuditLog.objects.order_by("pk").values(*SHOWN, "ip_address"))
    assert rows[:n] == rows[n:]
    assert [r["actor_name"] for r in rows[n:]] == TRICKY
    assert [r["detail"]["note"] for r in rows[n:]] == TRICKY
    assert {r["action"] for r in rows} == {"export"}  # the choice's value, not its name
    assert rows[-1]["fields"] == ["a\tb"]
    assert [r["ip_address"] for r in rows[n : n + 2]] == [None, "10.0.0.1"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "\\N"), (0, "0"), (-12, "-12"), (True, "t"), (False, "f"), (1.5, "1.5"),
        (Decimal("3500.00"), "3500.00"), (dt.date(2026, 7, 1), "2026-07-01"),
        (dt.time(8, 30), "08:30:00"), (dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC),
                                       "2026-12-05T09:00:00+00:00"),
        (UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        ("a\tb\\c\nd", "a\\tb\\\\c\\nd"), (AuditLog.Action.LOGIN, "login"),
    ],
)  # fmt: skip
def test_copy_text_format(value, text):
    assert _copy_text(value) == text


def test_copy_text_refuses_what_it_cannot_write_faithfully():
    with pytest.raises(TypeError, match="dict"):
        _copy_text({"note": "JSON goes in as text"})
