"""The back office lists deliveries read-only, without the notifications' text."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import College
from jingzhun.notifications import kinds
from jingzhun.notifications.models import Delivery
from jingzhun.notifications.services import notify
from jingzhun.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_deliveries_are_listed_read_only_without_the_text(college: College, client, settings):
    settings.WECOM_WEBHOOK_URL = "http://127.0.0.1:9/send"
    notify(
        recipients=[college.user("counsellor_a")], kind=kinds.TEST, title="标题", body="正文秘密"
    )
    Delivery.objects.update(last_error="WeCom: HTTP 500", status="retrying", attempts=1)
    admin = UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    body = client.get(reverse("admin:notifications_delivery_changelist")).content.decode()
    assert "WeCom: HTTP 500" in body
    assert "正文秘密" not in body and "标题" not in body
    delivery = Delivery.objects.get()
    url = reverse("admin:notifications_delivery_change", args=[delivery.pk])
    assert client.post(url, {"status": "sent"}).status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == "retrying"
