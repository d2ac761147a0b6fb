"""The Content-Security-Policy: on every response, and every template keeps to it (no inline
script, no on…= handler, no style attribute or element)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
PACKAGE = Path(__file__).resolve().parents[2]
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>"),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "style attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "style element": re.compile(r"<style\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [("/login/", 200), ("/", 302), ("/students/", 302), ("/no-such-page/", 404),
     ("/api/docs", 200), ("/api/openapi.json", 200), ("/api/students", 401)],
)  # fmt: skip
def test_every_response_carries_the_policy(path, status, client):
    response = client.get(path)
    assert (response.status_code, response["Content-Security-Policy"]) == (status, POLICY)


@pytest.mark.django_db
def test_a_denied_page_carries_the_policy(college, client):
    client.force_login(college.user("student_a"))
    response = client.get("/students/")
    assert (response.status_code, response["Content-Security-Policy"]) == (403, POLICY)


def test_no_template_needs_inline_script_or_style():
    found = [
        f"{template.relative_to(PACKAGE)}: {what}"
        for template in sorted(PACKAGE.glob("*/templates/**/*.html"))
        for what, pattern in INLINE.items()
        if pattern.search(template.read_text(encoding="utf-8"))
    ]
    assert found == []
