from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from jingzhun.core.models import AuditLog
from jingzhun.org.middleware import ACTIVE_ROLE_SESSION_KEY
from jingzhun.org.models import RoleAssignment
from jingzhun.org.roles import Role
from jingzhun.org.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username: str, password: str = TEST_PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_student_logs_in_with_student_number(college, client):
    response = login(client, "2024010001")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    entry = AuditLog.objects.get(action=AuditLog.Action.LOGIN)
    assert entry.actor == college.user("student_a")


def test_failed_login_is_audited_without_the_password(college, client):
    response = login(client, "T0002", "wrong-password-1")
    assert response.status_code == 200
    entry = AuditLog.objects.get(action=AuditLog.Action.LOGIN_FAILED)
    assert entry.detail == {"username": "T0002"}
    assert "wrong-password-1" not in str(entry.detail)


def test_lockout_after_repeated_failures(college, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "T0002", "wrong-password-1")
    response = login(client, "T0002")  # the right password no longer helps
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower() or "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_session_expires_when_idle():
    assert settings.SESSION_COOKIE_AGE == 120 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Jingzhun2026", True),
        ("short1a", False),
        ("onlyletterspassword", False),
        ("12345678901", False),
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_role_switch_to_own_second_role(college, client):
    user = college.user("counsellor_a")
    mentor = RoleAssignment.objects.create(
        user=user, role=Role.MENTOR, institution=college.institution
    )
    client.force_login(user)
    response = client.post(reverse("role-switch"), {"assignment": mentor.pk, "next": "/students/"})
    assert response["Location"] == "/students/"
    assert client.session[ACTIVE_ROLE_SESSION_KEY] == mentor.pk
    assert AuditLog.objects.get(action=AuditLog.Action.SWITCH_ROLE).actor_role == "mentor"


def test_role_switch_to_someone_elses_role_is_refused(college, client):
    client.force_login(college.user("counsellor_a"))
    response = client.post(reverse("role-switch"), {"assignment": college.personas["leader"].pk})
    assert response.status_code == 403
    assert ACTIVE_ROLE_SESSION_KEY not in client.session


def test_role_switch_ignores_an_offsite_next(college, client):
    client.force_login(college.user("counsellor_a"))
    response = client.post(
        reverse("role-switch"),
        {"assignment": college.personas["counsellor_a"].pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("home")
