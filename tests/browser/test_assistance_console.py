"""The office's console pages read on the desktop and on a 390×844 phone: no button breaks
one character per line, no policy name stands one character wide."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page

from conftest import College
from jingzhun.assistance.tests.helpers import department_staff, subsidy_policy
from jingzhun.org.models import Department
from jingzhun.org.roles import DepartmentKind
from tests.browser.conftest import Device
from tests.browser.test_assistance import fits_the_screen
from tests.browser.test_journeys import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _one_line(locator: Locator) -> None:
    for i in range(locator.count()):
        lines = locator.nth(i).evaluate(
            "e => { const r = document.createRange(); r.selectNodeContents(e);"
            " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }"
        )
        text = locator.nth(i).inner_text()
        assert lines == 1, f"{text!r} breaks over {lines} lines"


def test_console_buttons_and_names_keep_to_one_line(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    department_staff(college, DepartmentKind.PSYCH, username="T0031")
    for code, name in (("YOUTH", "共青团委员会"), ("AFFAIRS", "学生工作部（处）")):  # no staff yet
        Department.objects.create(institution=college.institution, code=code, name=name,
                                  kind=DepartmentKind.OTHER)  # fmt: skip
    subsidy_policy(college)
    log_in(page, live_server.url, college.user("employment_officer").username)

    page.goto(f"{live_server.url}/assistance/department-heads/")
    _one_line(page.locator("[data-testid=department-heads] button"))
    fits_the_screen(page)

    page.goto(f"{live_server.url}/assistance/subsidies/policies/")
    _one_line(page.locator("[data-testid=policy-rows] tbody td:nth-child(2) a"))
    fits_the_screen(page)
