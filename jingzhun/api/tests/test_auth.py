"""Who gets in: bearer tokens that are known, live and unrevoked; everything else is 401."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jingzhun.api.models import ApiToken
from jingzhun.api.scopes import STUDENTS_READ
from jingzhun.api.tests.factories import ApiClient, issue_token
from jingzhun.api.tokens import api_token_revoke

pytestmark = pytest.mark.django_db

URL = "/api/students"


def assert_unauthorized(response, detail: str) -> None:
    assert response.status_code == 401
    assert response.json() == {"detail": detail}
    assert response["WWW-Authenticate"] == 'Bearer realm="jingzhun"'


def test_missing_header(college, client):
    response = ApiClient(client, None).get(URL)
    assert_unauthorized(response, "Send a token in the header 'Authorization: Bearer <token>'.")


def test_other_scheme_counts_as_missing(college, client):
    _token, secret = issue_token(college.institution, STUDENTS_READ)
    response = client.get(
        URL, headers={"Authorization": f"Token {secret}", "Accept-Language": "en"}
    )
    assert_unauthorized(response, "Send a token in the header 'Authorization: Bearer <token>'.")


@pytest.mark.parametrize("secret", ["jz_not-a-real-token", "something-else"])
def test_unknown_token(college, client, secret):
    issue_token(college.institution, STUDENTS_READ)
    assert_unauthorized(ApiClient(client, secret).get(URL), "Invalid token.")


def test_revoked_token(college, client):
    token, secret = issue_token(college.institution, STUDENTS_READ)
    api_token_revoke(prefix=token.prefix)
    assert_unauthorized(ApiClient(client, secret).get(URL), "This token has been revoked.")


def test_expired_token(college, client):
    token, secret = issue_token(college.institution, STUDENTS_READ, days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert_unauthorized(ApiClient(client, secret).get(URL), "This token has expired.")


def test_token_of_a_disabled_account_stops_working(college, client):
    officer = college.user("employment_officer")
    _token, secret = issue_token(college.institution, STUDENTS_READ, user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert_unauthorized(
        ApiClient(client, secret).get(URL), "The account that issued this token is disabled."
    )


def test_rejected_tokens_are_not_marked_as_used(college, client):
    token, secret = issue_token(college.institution, STUDENTS_READ)
    api_token_revoke(prefix=token.prefix)
    ApiClient(client, secret).get(URL)
    token.refresh_from_db()
    assert token.last_used_at is None


def test_use_is_recorded_at_most_once_a_minute(college, client):
    token, secret = issue_token(college.institution, STUDENTS_READ)
    api = ApiClient(client, secret)
    assert api.get(URL).status_code == 200
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    assert api.get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(seconds=61))
    assert api.get(URL).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_valid_token_gets_in_without_a_session_or_csrf_token(college):
    from django.test import Client

    _token, secret = issue_token(college.institution, "students:write")
    api = ApiClient(Client(enforce_csrf_checks=True), secret)
    response = api.post("/api/students/bulk", {"mode": "valid_rows", "records": []})
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
