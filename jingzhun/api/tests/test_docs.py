"""The OpenAPI docs are served from the app's own files and describe every endpoint."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_docs_page_uses_no_cdn(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for cdn in ("cdn.", "unpkg", "jsdelivr"):
        assert cdn not in html
    assert re.findall(r'(?:src|href)="([^"]+)"', html) == [
        "/static/ninja/swagger-ui.css",
        "/static/ninja/favicon.svg",
        "/static/ninja/favicon.png",
        "/static/ninja/swagger-ui-bundle.js",
        "/static/ninja/swagger-ui-init.js",
    ]
    assert '"validatorUrl": null' in html
    assert '"url": "/api/openapi.json"' in html


def test_swagger_assets_are_served_locally(client):
    from django.contrib.staticfiles import finders

    assert finders.find("ninja/swagger-ui-bundle.js") is not None
    assert finders.find("ninja/swagger-ui.css") is not None


def test_openapi_lists_the_endpoints_and_bearer_auth(client):
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Jingzhun API"
    assert {path: sorted(ops) for path, ops in schema["paths"].items()} == {
        "/api/students": ["get"],
        "/api/students/bulk": ["post"],
        "/api/students/{student_number}": ["get"],
        "/api/records/{kind}": ["get"],
        "/api/records/{kind}/bulk": ["post"],
        "/api/events/{source}/batches": ["post"],
    }
    assert schema["components"]["securitySchemes"] == {
        "ApiTokenAuth": {"type": "http", "scheme": "bearer"}
    }


def test_openapi_texts_name_every_event_source_and_the_batch_limits(client):
    from jingzhun.api.schemas import MAX_BATCH_EVENTS, MAX_REPORTED_EVENT_ERRORS
    from jingzhun.api.scopes import EVENT_SOURCES

    schema = client.get("/api/openapi.json").json()
    assert all(f"`{source}`" in schema["info"]["description"] for source in EVENT_SOURCES)
    shapes = schema["components"]["schemas"]
    assert str(MAX_BATCH_EVENTS) in shapes["EventBatchIn"]["properties"]["events"]["description"]
    refused = shapes["EventBatchRefusedOut"]["properties"]["errors"]["description"]
    assert str(MAX_REPORTED_EVENT_ERRORS) in refused
