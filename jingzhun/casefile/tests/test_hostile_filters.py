"""The case list's own parameters (beyond those tests/test_hostile_input.py crawls) with
hostile values: an ignored filter, never a server error; and the menu leads to the list."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from jingzhun.casefile.tests.helpers import case_of

pytestmark = pytest.mark.django_db

HOSTILE = ["99999999999999999999", "%C2%B2", "%D9%A3", "-1", "abc", "%ED%A0%80", "%00", "1e999"]
PARAMETERS = ("status", "difficulty_type", "level", "school", "class_group", "origin",
              "responsible", "sort", "q", "page", "case_status", "case_level", "quiet_days",
              "cohort")  # fmt: skip


@pytest.mark.parametrize("name", ["casefile:case-list", "casefile:case-export", "students:list"])
def test_hostile_values_are_ignored_filters(college, name):
    case_of(college.student_a, level=1)
    client = Client(raise_request_exception=False)
    client.force_login(college.user("counsellor_a"))
    url = reverse(name)
    for value in HOSTILE:
        with_search = client.get(f"{url}?" + "&".join(f"{p}={value}" for p in PARAMETERS))
        assert with_search.status_code == 200, (value, with_search.status_code)
        # Without the search (a number is a fine prefix to search for) nothing is filtered.
        query = "&".join(f"{p}={value}" for p in PARAMETERS if p != "q")
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, (value, response.status_code)
        if name != "casefile:case-export":
            assert response.context["page"].paginator.count >= 1, value


@pytest.mark.parametrize(("persona", "shown"), [("counsellor_a", True), ("leader", True),
                                                ("student_a", False), ("supervisor", False)])  # fmt: skip
def test_the_menu_leads_staff_to_the_case_list(college, client, persona, shown):
    client.force_login(college.user(persona))
    items = client.get(reverse("home")).context["nav_items"]
    assert ("casefile:case-list" in [i.url_name for i in items]) is shown
