"""The SQLite default keeps sessions in files: logging in, loading pages and logging out
work without a single session row in the database (no write lock needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def file_sessions(settings, tmp_path, monkeypatch):
    from django.contrib.sessions.backends.file import SessionStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    settings.SESSION_FILE_PATH = str(tmp_path)
    # The file store remembers its folder on first use; each test gets its own.
    monkeypatch.setattr(SessionStore, "_storage_path", str(tmp_path), raising=False)
    return tmp_path


def test_a_login_session_lives_in_a_file_and_ends_with_logout(file_sessions, college, client):
    user = college.user("counsellor_a")
    user.set_password("Pass-word-2026")
    user.save()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "Pass-word-2026"}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    files = list(Path(file_sessions).iterdir())
    assert len(files) == 1 and client.session.session_key in files[0].name
    assert Session.objects.count() == 0
    client.post(reverse("logout"))
    assert list(Path(file_sessions).iterdir()) == []
    assert client.get(reverse("home")).status_code == 302  # logged out: to the login page


def test_the_sqlite_default_is_the_file_store_and_postgresql_keeps_the_database():
    import subprocess
    import sys

    def engine(url: str) -> str:
        code = "from jingzhun.config import settings as s; print(s.SESSION_ENGINE)"
        env = {"DATABASE_URL": url, "DEBUG": "true", "PATH": "/usr/bin:/bin"}
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # noqa: S603
                             text=True, check=True)  # fmt: skip
        return out.stdout.strip()

    assert engine("sqlite:////tmp/jingzhun-session-default.sqlite3").endswith(".file")
    assert engine("postgres://postgres@127.0.0.1:5432/x").endswith(".db")
