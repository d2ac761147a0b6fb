"""Every endpoint × {unrelated scope, its read scope, its write scope} → exact status.

Scopes imply nothing: write does not grant read, `students:read` grants no records, and a
sensitive kind is readable only with its own read scope.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from jingzhun.api.scopes import (
    ACCESSES,
    RECORD_KINDS,
    SENSITIVE_KINDS,
    STUDENTS_IDENTIFIERS,
    STUDENTS_READ,
    STUDENTS_WRITE,
    record_scope,
)
from jingzhun.api.tests.factories import ApiClient, issue_token

pytestmark = pytest.mark.django_db

EMPTY_BULK = {"mode": "valid_rows", "records": []}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    read: str
    write: str
    unrelated: str

    @property
    def needs(self) -> str:
        return self.read if self.method == "get" else self.write


def _endpoints() -> list[Endpoint]:
    students = (STUDENTS_READ, STUDENTS_WRITE, record_scope("certificate", "read"))
    endpoints = [
        Endpoint("get", "/api/students", *students),
        Endpoint("get", "/api/students/2024010001", *students),
        Endpoint("post", "/api/students/bulk", *students),
    ]
    for kind in RECORD_KINDS:
        scopes = (record_scope(kind, "read"), record_scope(kind, "write"), STUDENTS_READ)
        endpoints += [
            Endpoint("get", f"/api/records/{kind}", *scopes),
            Endpoint("post", f"/api/records/{kind}/bulk", *scopes),
        ]
    return endpoints


ENDPOINTS = _endpoints()


def _call(client, college, scope: str, endpoint: Endpoint):
    _token, secret = issue_token(college.institution, scope)
    api = ApiClient(client, secret)
    if endpoint.method == "get":
        return api.get(endpoint.path)
    return api.post(endpoint.path, EMPTY_BULK)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_scope_matrix(endpoint, college, client):
    outcomes = {
        given: _call(client, college, getattr(endpoint, given), endpoint).status_code
        for given in ("unrelated", "read", "write")
    }
    if endpoint.method == "get":
        assert outcomes == {"unrelated": 403, "read": 200, "write": 403}
    else:
        assert outcomes == {"unrelated": 403, "read": 403, "write": 200}


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_denial_names_the_required_scope(endpoint, college, client):
    response = _call(client, college, endpoint.unrelated, endpoint)
    assert response.json() == {
        "detail": f"This token does not have the scope {endpoint.needs}.",
        "required_scope": endpoint.needs,
    }


def test_sensitive_kinds_are_the_four_pipl_kinds():
    assert sorted(SENSITIVE_KINDS) == [
        "disability", "economic_status", "priority_group", "psych_screening",
    ]  # fmt: skip


@pytest.mark.parametrize("kind", sorted(SENSITIVE_KINDS))
def test_a_token_with_every_other_scope_cannot_read_a_sensitive_kind(kind, college, client):
    others = [STUDENTS_READ, STUDENTS_WRITE, STUDENTS_IDENTIFIERS,
              *(record_scope(k, a) for k in RECORD_KINDS for a in ACCESSES)]  # fmt: skip
    others.remove(record_scope(kind, "read"))
    _token, secret = issue_token(college.institution, *others)
    assert ApiClient(client, secret).get(f"/api/records/{kind}").status_code == 403
