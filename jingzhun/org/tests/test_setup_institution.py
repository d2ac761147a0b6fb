"""A fresh installation's first step: the institution and its first employment-office account."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from jingzhun.core.models import AuditLog
from jingzhun.org.models import Institution, RoleAssignment, User

pytestmark = pytest.mark.django_db


def setup_institution(*args: str) -> str:
    out = io.StringIO()
    call_command("setup_institution", *args, stdout=out)
    return out.getvalue()


def test_creates_the_institution_and_an_office_account_with_a_one_time_password(
    client: Client,
) -> None:
    printed = setup_institution("4141019997", "新建职业技术学院", "T1002", "就业处老师")
    password = re.search(r"one-time password (\S+)", printed)
    assert password is not None and re.fullmatch(r"[a-z]{8}[2-9]{4}", password[1])
    institution = Institution.objects.get(code="4141019997")
    assignment = RoleAssignment.objects.get(user__username="T1002")
    assert (assignment.role, assignment.institution, assignment.data_scope) == (
        "employment_office",
        institution,
        "institution",
    )
    user = User.objects.get(username="T1002")
    assert user.must_change_password and user.check_password(password[1])
    assert password[1] not in user.password
    assert AuditLog.objects.filter(action="create", detail__via="setup_institution").count() == 1

    assert (
        client.post(reverse("login"), {"username": "T1002", "password": password[1]}).status_code
        == 302
    )
    assert client.get(reverse("students:setup"))["Location"] == reverse("password-change")


def test_refuses_an_existing_code_or_account() -> None:
    setup_institution("4141019997", "新建职业技术学院", "T1002", "就业处老师")
    with pytest.raises(CommandError, match="4141019997"):
        setup_institution("4141019997", "另一所学院", "T1003", "另一位老师")
    with pytest.raises(CommandError, match="T1002"):
        setup_institution("4141019996", "另一所学院", "T1002", "另一位老师")
    assert Institution.objects.count() == 1 and User.objects.count() == 1
