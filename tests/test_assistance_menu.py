"""The menu (config, the top layer) per role: each finds its assistance pages."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from jingzhun.config.navigation import _items_for

pytestmark = pytest.mark.django_db

SUBSIDIES = "assistance:subsidy-queue"
MENU = {
    "counsellor_a": ["assistance:plan-list", SUBSIDIES],
    "school_officer_a": ["assistance:plan-list", "assistance:approval-queue", SUBSIDIES],
    "aid_staff": ["assistance:action-queue", SUBSIDIES],
    "employment_officer": [
        "assistance:plan-list",
        "assistance:action-queue",
        "assistance:measure-list",
        "assistance:department-heads",
        SUBSIDIES,
    ],
    "leader": ["assistance:action-queue", SUBSIDIES],
    "student_a": ["portal:plan", "portal:subsidies"],
    "assessor": [],
    "psych_staff": ["assistance:action-queue"],
}


@pytest.mark.parametrize("persona", sorted(MENU))
def test_each_role_finds_its_assistance_pages_in_the_menu(college, persona):
    request = RequestFactory().get("/")
    request.actor = college.personas[persona]  # type: ignore[attr-defined]
    request.user = college.user(persona)
    names = [
        i.url_name
        for i in _items_for(request)
        if i.url_name.startswith(("assistance:", "portal:plan", "portal:subsidies"))
    ]
    assert names == MENU[persona]
