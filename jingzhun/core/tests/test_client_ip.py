"""The client address behind TRUSTED_PROXY_COUNT proxies: one function for the audit log and
the login lockout, so a client cannot choose the address either of them records."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from jingzhun.core.audit import client_ip
from jingzhun.core.models import AuditLog

PROXY = "10.0.0.5"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [(0, "", PROXY), (0, "203.0.113.9", PROXY),
     (1, "", PROXY), (1, "203.0.113.9", "203.0.113.9"),
     (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"), (1, "6.6.6.6,203.0.113.9 ", "203.0.113.9"),
     (2, "6.6.6.6, 203.0.113.9, 172.16.0.2", "203.0.113.9"), (2, "203.0.113.9", PROXY),
     (1, "6.6.6.6, not-an-address", PROXY), (1, "2001:db8::1", "2001:db8::1")],
)  # fmt: skip
def test_the_client_is_count_hops_from_the_right(count, forwarded, expected, settings):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_the_lockout_uses_the_same_function():
    assert settings.AXES_CLIENT_IP_CALLABLE == "jingzhun.core.audit.client_ip"


@pytest.mark.django_db
def test_behind_one_proxy_audit_and_lockout_record_the_proxied_client(college, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    client.post(
        reverse("login"),
        {"username": "T0002", "password": "wrong-password-1"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )

    entry = AuditLog.objects.get(action=AuditLog.Action.LOGIN_FAILED)
    assert entry.ip_address == "203.0.113.9"
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


@pytest.mark.django_db
def test_a_forged_left_most_address_does_not_escape_the_lockout(college, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "T0002", "password": "wrong-password-1"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 203.0.113.9",
        )

    response = client.post(
        reverse("login"),
        {"username": "T0002", "password": "Jingzhun2026!"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="7.7.7.7, 203.0.113.9",
    )

    assert response.status_code == 429
    ips = set(AuditLog.objects.values_list("ip_address", flat=True))
    assert ips == {"203.0.113.9"}
