"""Shared start-up for benchmarks: a throw-away database (SQLite file or DATABASE_URL)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def start_django(*, database_url: str | None = None) -> Path:
    """Point Django at a fresh database and migrate it. Returns the scratch folder."""
    scratch = Path(tempfile.mkdtemp(prefix="jingzhun-bench-"))
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "jingzhun.config.settings"
    os.environ["DEBUG"] = "true"
    os.environ["JINGZHUN_DATA_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{scratch / 'bench.sqlite3'}"
    import django
    from django.core.management import call_command

    django.setup()
    if database_url:
        _recreate_postgres_database()
    call_command("migrate", verbosity=0)
    return scratch


def _recreate_postgres_database() -> None:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')


@contextmanager
def timed(label: str, results: dict[str, float]) -> Iterator[None]:
    started = time.perf_counter()
    yield
    results[label] = time.perf_counter() - started


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return min(timings)
