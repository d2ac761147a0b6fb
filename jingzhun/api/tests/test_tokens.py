"""Issuing and revoking tokens: the management command, the service and the admin."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from jingzhun.api.models import ApiToken
from jingzhun.core.models import AuditLog
from jingzhun.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("api_token", *args, stdout=out)
    return out.getvalue()


def create(*extra: str) -> tuple[ApiToken, str]:
    output = run("create", "--institution", "4141010001", "--name", "教务系统",
                 "--scope", "students:read", "--scope", "students:write", *extra)  # fmt: skip
    secret = output.strip().splitlines()[-1]
    return ApiToken.objects.get(), secret


def test_create_prints_the_secret_once_and_stores_only_its_hash(college):
    token, secret = create()
    assert secret.startswith("jz_") and len(secret) == 3 + 43
    assert (token.prefix, token.secret_hash) == (
        secret[:8],
        hashlib.sha256(secret.encode()).hexdigest(),
    )
    assert (token.name, token.institution, token.scopes, token.expires_at, token.revoked) == (
        "教务系统", college.institution, ["students:read", "students:write"], None, False,
    )  # fmt: skip
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in [str(v) for v in stored.values()]
    entry = AuditLog.objects.get(object_type="api.apitoken")
    assert (entry.action, entry.detail) == (
        "create", {"via": "api_token", "scopes": ["students:read", "students:write"], "expires_at": None},
    )  # fmt: skip


def test_default_user_is_a_service_account_that_cannot_log_in(college):
    token, _secret = create()
    user = token.created_by
    assert (user.username, user.has_usable_password(), user.role_assignments.count()) == (
        "api-4141010001", False, 0,
    )  # fmt: skip
    run("create", "--institution", "4141010001", "--name", "一卡通",
        "--scope", "records:internship:read")  # fmt: skip
    assert ApiToken.objects.filter(created_by=user).count() == 2


def test_user_and_days(college):
    before = timezone.now()
    token, _secret = create("--user", "T0002", "--days", "30")
    assert token.created_by == college.user("employment_officer")
    assert token.expires_at is not None
    lifetime = dt.timedelta(days=30)
    assert before + lifetime <= token.expires_at <= timezone.now() + lifetime


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--institution", "9999999999", "--name", "x", "--scope", "students:read"],
         "No institution has the code 9999999999."),
        (["--institution", "4141010001", "--name", "x", "--scope", "students:read", "--user", "nobody"],
         "No user has the username nobody."),
        (["--institution", "4141010001", "--name", "x"], "A token needs at least one scope."),
        (["--institution", "4141010001", "--name", "x", "--scope", "students:read", "--days", "0"],
         "A token must be valid for at least one day."),
        (["--institution", "4141010001", "--name", "x", "--scope", "students:delete"],
         "invalid choice: 'students:delete'"),
    ],
)  # fmt: skip
def test_create_refuses_bad_input_and_creates_nothing(college, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run("create", *args)
    assert not ApiToken.objects.exists()


def test_list_never_prints_secrets(college):
    token, secret = create()
    output = run("list")
    assert output.split("\t")[:4] == [token.prefix, "4141010001", "教务系统", "active"]
    assert secret not in output and token.secret_hash not in output


def test_revoke(college):
    token, _secret = create()
    assert token.prefix in run("revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked is True
    entry = AuditLog.objects.get(object_type="api.apitoken", action="update")
    assert entry.fields == ["revoked"]
    run("revoke", token.prefix)  # twice is harmless and not audited twice
    assert AuditLog.objects.filter(object_type="api.apitoken", action="update").count() == 1


def test_revoke_unknown_prefix(college):
    with pytest.raises(CommandError, match=r"No token has the prefix jz_nope1\."):
        run("revoke", "jz_nope1")


def test_admin_lists_tokens_but_cannot_add_them(college, client):
    token, secret = create()
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = client.get(reverse("admin:api_apitoken_changelist"))
    assert changelist.status_code == 200
    assert token.prefix in changelist.content.decode()
    assert secret not in changelist.content.decode()
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 403
    change = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert 'name="secret_hash"' not in change.content.decode()  # shown, not editable


def test_admin_edit_is_validated_and_audited(college, client):
    token, _secret = create()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:api_apitoken_change", args=[token.pk])
    data = {"name": "教务系统", "scopes": '["students:read", "students:delete"]', "expires_at_0": "",
            "expires_at_1": "", "revoked": "on"}  # fmt: skip
    assert client.post(url, data).status_code == 200  # form shown again with the error
    token.refresh_from_db()
    assert (token.scopes, token.revoked) == (["students:read", "students:write"], False)
    data["scopes"] = '["students:read"]'
    assert client.post(url, data).status_code == 302
    token.refresh_from_db()
    assert (token.scopes, token.revoked) == (["students:read"], True)
    entry = AuditLog.objects.get(object_type="api.apitoken", detail__via="admin")
    assert entry.fields == ["revoked", "scopes"]
