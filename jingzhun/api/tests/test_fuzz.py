"""A bounded, reproducible fuzz of every operation against the OpenAPI document the app serves.

Schemathesis reads /api/openapi.json from the WSGI app (no server, no network) and sends each
operation its schema's examples, boundary cases and MAX_EXAMPLES generated requests, valid and
invalid, with a token holding every scope. Every response must be a documented status with a
body of the documented shape, and never a 5xx.

Reproducible: derandomized generation, no example database (nothing is written to the
repository). Each operation is one test inside the test's transaction, so what the fuzzer
writes is rolled back before the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jingzhun.api.scopes import ALL_SCOPES
from jingzhun.api.tests.factories import issue_token

MAX_EXAMPLES = 25

# Values that broke the API before: past 64-bit integers, NUL, a time past datetime.max in
# UTC, text far longer than any field. Mixed into generated parameters of their type.
HOSTILE_INTEGERS = [2**63, 2**63 - 1, -(2**63) - 1, 2**31, 10**30]
HOSTILE_TEXT = [
    "\x00",
    "2024\x00010001",
    "9999-12-31T23:59:59-09:00",
    "0001-01-01T00:00:00+08:00",
    "0001-01-01T00:00:00",
    "9" * 5000,
]
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 20240901,
        "dictionaries": {
            "hostile-integers": {"values": HOSTILE_INTEGERS},
            "hostile-text": {"values": HOSTILE_TEXT},
        },
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "mode": "all",
            "dictionaries": {
                "integer": {"dictionary": "hostile-integers", "probability": 0.2},
                "string": {"dictionary": "hostile-text", "probability": 0.2},
            },
        },
    }
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application(), config=CONFIG)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep the test's connection open across the WSGI requests, as Django's test client does.

    Django's handler closes "old" connections when a request starts and ends, which inside the
    test's transaction would end it.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def every_scope(college: Any, in_test_transaction: None) -> dict[str, str]:
    _token, secret = issue_token(college.institution, *ALL_SCOPES)
    return {"Authorization": f"Bearer {secret}", "Accept-Language": "en"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_response_is_documented(case: schemathesis.Case, every_scope: dict[str, str]) -> None:
    case.call_and_validate(headers=every_scope, checks=CHECKS)
