"""Parsing untrusted request input: table-driven, without a database."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from jingzhun.core.http import id_params, int_param, safe_redirect_target, text_param


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("42", 42), (" 7 ", 7), ("9223372036854775807", 2**63 - 1), ("9223372036854775808", None),
     ("99999999999999999999", None), ("0", None), ("-1", None), ("²", None), ("٣", None),
     ("1.5", None), ("1e3", None), ("abc", None), ("", None), (None, None), (["1"], None)],
)  # fmt: skip
def test_int_param_takes_ascii_digits_within_the_id_range(raw, expected):
    assert int_param(raw) == expected


def test_int_param_bounds():
    assert int_param("-3", minimum=-5, maximum=5) == -3
    assert int_param("6", minimum=-5, maximum=5) is None
    assert int_param("0", minimum=0, maximum=120) == 0


def test_id_params_drop_what_is_no_id():
    assert id_params(["3", "abc", "²", "99999999999999999999", "-1", "12"]) == [3, 12]


def test_text_param_strips_and_drops_nul():
    assert text_param("  家访\x00发现 ") == "家访发现"
    assert text_param(None) == ""
    assert text_param("abcdef", max_length=3) == "abc"


@pytest.mark.parametrize(
    ("target", "secure", "expected"),
    [("/identification/review/?class_group=3", False, "/identification/review/?class_group=3"),
     ("/identification/review/", True, "/identification/review/"),
     ("https://evil.example/phish", False, "/"), ("//evil.example/", False, "/"),
     ("/\\evil.example", False, "/"), ("\\\\evil.example", False, "/"),
     ("http://testserver/x/", False, "/"), ("https://testserver/x/", True, "/"),
     ("javascript:alert(1)", False, "/"), ("evil.example", False, "/"),
     ("/x/\r\nSet-Cookie: a=b", False, "/"), ("", False, "/"), (None, False, "/")],
)  # fmt: skip
def test_redirect_targets_stay_on_site_as_paths(target, secure, expected, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    request = RequestFactory().get("/", secure=secure)
    assert safe_redirect_target(request, target, "home") == expected
