from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jingzhun.api.tests.factories import ApiClient, issue_token


@pytest.fixture
def api_client(client: Any, college: Any) -> Callable[..., ApiClient]:
    """`api_client("students:read", ...)`: a client holding a fresh token of the college."""

    def make(*scopes: str) -> ApiClient:
        _token, secret = issue_token(college.institution, *scopes)
        return ApiClient(client, secret)

    return make


@pytest.fixture(autouse=True)
def lake_dir(settings: Any, tmp_path: Path) -> Path:
    """Every API test gets an empty event lake of its own."""
    settings.EVENT_LAKE_DIR = tmp_path / "lake"
    return settings.EVENT_LAKE_DIR
