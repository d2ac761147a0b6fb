"""Multi-row inserts: rows given as columns land exactly as rows given as dicts."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jingzhun.core.bulk import WRITE_CACHE_KIB, insert_columns, insert_rows, write_cache
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
