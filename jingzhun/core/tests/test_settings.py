"""Start-up fails loudly on bad configuration; production settings pass the deploy check."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GOOD_KEY = "k" * 30 + "-production-secret-0123456789"


def run_django(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "jingzhun.config.settings", **env_overrides})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({}, "SECRET_KEY is required"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "a.edu.cn"}, "SECRET_KEY must be at least 50"),
        ({"SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS is required"),
        ({"DEBUG": "maybe"}, "DEBUG must be true or false"),
        (
            {"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/x"},
            "DATABASE_URL must point at SQLite or PostgreSQL",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "nonsense"}, "DATABASE_URL"),
        ({"DEBUG": "true", "SESSION_MINUTES": "ten"}, "SESSION_MINUTES is invalid"),
        ({"DEBUG": "true", "USE_HSTS": "perhaps"}, "USE_HSTS must be true or false"),
        ({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "one"}, "TRUSTED_PROXY_COUNT is invalid"),
        ({"DEBUG": "true", "TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT must be a whole"),
    ],
)
def test_invalid_environment_stops_start_up_naming_the_variable(overrides, message):
    result = run_django(overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = run_django(
        {
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "jy.example.edu.cn",
            "JINGZHUN_DATA_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_console_is_chinese_whatever_the_browser_says_until_english_is_chosen(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in page.content.decode()
    assert "登录" in page.content.decode()
    client.post(
        "/i18n/setlang/", {"language": "en", "next": "/login/"}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert 'lang="en"' in page.content.decode()
    assert "Log in" in page.content.decode()
