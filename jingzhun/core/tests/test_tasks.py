"""Tasks go through the real database backend and the real worker loop."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jingzhun.core.tasks import enqueue_on_commit, housekeeping_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_sessions(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"


def make_session(key: str, *, expired: bool) -> None:
    delta = timedelta(hours=-1 if expired else 1)
    Session.objects.create(session_key=key, session_data="", expire_date=timezone.now() + delta)


def test_enqueued_only_when_the_transaction_commits():
    with transaction.atomic():
        enqueue_on_commit(housekeeping_task)
        assert DBTaskResult.objects.count() == 0
    assert DBTaskResult.objects.get().task_path == "jingzhun.core.tasks.housekeeping_task"


def test_rolled_back_transaction_enqueues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(housekeeping_task)
        raise RuntimeError("abort")
    assert DBTaskResult.objects.count() == 0


def test_worker_runs_housekeeping_and_a_rerun_is_harmless(db_sessions):
    make_session("expired", expired=True)
    make_session("live", expired=False)
    call_command("housekeeping")
    call_command("worker", "--batch", "--interval", "0")
    first = DBTaskResult.objects.get()
    assert first.status == "SUCCESSFUL"
    assert first.return_value == {"sessions": 1, "access_attempts": 0, "task_results": 0}
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]

    call_command("housekeeping")
    call_command("worker", "--batch", "--interval", "0")
    second = DBTaskResult.objects.exclude(pk=first.pk).get()
    assert second.return_value == {"sessions": 0, "access_attempts": 0, "task_results": 0}
    assert Session.objects.count() == 1


def test_housekeeping_expires_file_sessions(settings, tmp_path, monkeypatch):
    """The SQLite default keeps sessions in files, so that page loads never write to the
    database; expired ones are deleted all the same."""
    from django.contrib.sessions.backends.file import SessionStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    settings.SESSION_FILE_PATH = str(tmp_path)
    monkeypatch.setattr(SessionStore, "_storage_path", str(tmp_path), raising=False)
    live, old = SessionStore(), SessionStore()
    live["k"] = old["k"] = 1
    live.set_expiry(3600)
    old.set_expiry(-10)
    live.save()
    old.save()
    assert housekeeping_task.call()["sessions"] == 1
    assert [p.name.removeprefix(settings.SESSION_COOKIE_NAME) for p in tmp_path.iterdir()] == [
        live.session_key
    ]
