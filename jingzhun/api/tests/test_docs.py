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
    from jingzhun.api.schemas import MAX_BATCH_EVENTS, MAX_REPORTED_ERRORS
    from jingzhun.api.scopes import EVENT_SOURCES

    schema = client.get("/api/openapi.json").json()
    assert all(f"`{source}`" in schema["info"]["description"] for source in EVENT_SOURCES)
    shapes = schema["components"]["schemas"]
    assert str(MAX_BATCH_EVENTS) in shapes["EventBatchIn"]["properties"]["events"]["description"]
    refused = shapes["EventBatchRefusedOut"]["properties"]["errors"]["description"]
    assert str(MAX_REPORTED_ERRORS) in refused


def _shape(response: dict) -> str | list[str]:
    schema = response["content"]["application/json"]["schema"]
    if "anyOf" in schema:
        return [option["$ref"].rsplit("/", 1)[1] for option in schema["anyOf"]]
    return schema["$ref"].rsplit("/", 1)[1]


def test_every_operation_documents_every_status_it_returns_with_its_shape(client):
    schema = client.get("/api/openapi.json").json()
    documented = {
        f"{method} {path}": {
            status: _shape(response) for status, response in op["responses"].items()
        }
        for path, ops in schema["paths"].items()
        for method, op in ops.items()
    }
    errors = {"400": "DomainErrorOut", "401": "DetailOut", "403": "ScopeMissingOut",
              "422": "ValidationErrorOut"}  # fmt: skip
    body = errors | {"413": "DetailOut", "415": "DetailOut"}
    bulk = body | {"200": "BulkOut", "422": ["BulkOut", "ValidationErrorOut"]}
    assert documented == {
        "get /api/students": errors | {"200": "StudentPage"},
        "post /api/students/bulk": bulk,
        "get /api/students/{student_number}": errors | {"200": "StudentOut", "404": "DetailOut"},
        "get /api/records/{kind}": errors | {"200": "RecordPage", "404": "DetailOut"},
        "post /api/records/{kind}/bulk": bulk | {"404": "DetailOut"},
        "post /api/events/{source}/batches": body | {
            "200": "EventBatchOut", "201": "EventBatchOut", "404": "DetailOut",
            "409": "DetailOut", "422": ["EventBatchRefusedOut", "ValidationErrorOut"],
        },
    }  # fmt: skip


def test_parameters_are_bounded_and_never_null(client):
    schema = client.get("/api/openapi.json").json()
    parameters = {
        (path, p["name"]): p["schema"]
        for path, ops in schema["paths"].items()
        for op in ops.values()
        for p in op.get("parameters", [])
    }
    assert all("anyOf" not in p for p in parameters.values())
    offset = parameters[("/api/students", "offset")]
    assert (offset["minimum"], offset["maximum"]) == (0, 1_000_000_000)
    cohort = parameters[("/api/students", "cohort")]
    assert (cohort["minimum"], cohort["maximum"]) == (1900, 2100)
    for name in ("school_code", "class_name"):
        assert parameters[("/api/students", name)]["maxLength"] == 100
    assert parameters[("/api/records/{kind}", "kind")]["enum"][0] == "economic_status"
