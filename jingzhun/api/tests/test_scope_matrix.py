"""Every endpoint × {unrelated scope, its read scope, its write scope} → exact status.

Scopes imply nothing: write does not grant read, `students:read` grants no records, and a
sensitive kind is readable only with its own read scope. Event sources have only a write
scope; the scope of another source stands in for "read".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from jingzhun.api.scopes import (
    ACCESSES,
    EVENT_SOURCES,
    RECORD_KINDS,
    SENSITIVE_KINDS,
    STUDENTS_IDENTIFIERS,
    STUDENTS_READ,
    STUDENTS_WRITE,
    event_scope,
    record_scope,
)
from jingzhun.api.tests.factories import ApiClient, issue_token
from jingzhun.data.events.schemas import SOURCES

pytestmark = pytest.mark.django_db

EMPTY_BULK = {"mode": "valid_rows", "records": []}
ONE_EVENT = {"student_id": "2024010001", "ts": "2024-09-02T12:05:00+08:00", "action": "login"}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    read: str
    write: str
    unrelated: str
    body: dict[str, Any] = field(default_factory=lambda: EMPTY_BULK)
    allowed: int = 200

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
    for source in EVENT_SOURCES:
        # There is no event read scope: "read" is the write scope of another source.
        other = next(s for s in EVENT_SOURCES if s != source)
        event = {name: ONE_EVENT.get(name, "x") for name in SOURCES[source].column_names}
        event |= {"amount": "1.00", "balance": "1.00"} if source == "card" else {}
        endpoints.append(
            Endpoint("post", f"/api/events/{source}/batches", event_scope(other),
                     event_scope(source), record_scope("certificate", "write"),
                     body={"batch_id": "matrix", "events": [event]}, allowed=201)
        )  # fmt: skip
    return endpoints


ENDPOINTS = _endpoints()


def _call(client, college, scope: str, endpoint: Endpoint):
    _token, secret = issue_token(college.institution, scope)
    api = ApiClient(client, secret)
    if endpoint.method == "get":
        return api.get(endpoint.path)
    return api.post(endpoint.path, endpoint.body)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_scope_matrix(endpoint, college, client):
    outcomes = {
        given: _call(client, college, getattr(endpoint, given), endpoint).status_code
        for given in ("unrelated", "read", "write")
    }
    if endpoint.method == "get":
        assert outcomes == {"unrelated": 403, "read": 200, "write": 403}
    else:
        assert outcomes == {"unrelated": 403, "read": 403, "write": endpoint.allowed}


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
              *(record_scope(k, a) for k in RECORD_KINDS for a in ACCESSES),
              *(event_scope(source) for source in EVENT_SOURCES)]  # fmt: skip
    others.remove(record_scope(kind, "read"))
    _token, secret = issue_token(college.institution, *others)
    assert ApiClient(client, secret).get(f"/api/records/{kind}").status_code == 403
