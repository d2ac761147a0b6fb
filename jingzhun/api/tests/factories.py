"""Tokens for tests, issued by the same service as `jingzhun api_token create`."""

from __future__ import annotations

from typing import Any

from django.test import Client

from jingzhun.api.models import ApiToken
from jingzhun.api.tokens import api_service_user, api_token_create
from jingzhun.org.models import Institution, User


def issue_token(
    institution: Institution,
    *scopes: str,
    name: str = "教务系统",
    user: User | None = None,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    issued = api_token_create(
        institution=institution,
        name=name,
        scopes=scopes,
        created_by=user or api_service_user(institution=institution),
        days=days,
    )
    return issued.token, issued.secret


class ApiClient:
    """A test client that sends a bearer token and asks for English messages."""

    def __init__(self, client: Client, secret: str | None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en"}
        if secret is not None:
            self.headers["Authorization"] = f"Bearer {secret}"

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {}, headers=self.headers)

    def post(self, path: str, body: Any, content_type: str = "application/json") -> Any:
        return self.client.post(path, body, content_type=content_type, headers=self.headers)
