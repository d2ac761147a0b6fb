"""A dismissal holds on the next run: the counsellor dismisses a candidate with a reason, the
employment office runs identification again, and the student neither comes back to the review
queue nor loses the decision — on a desktop and on a phone."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.identification import services as identification
from jingzhun.identification.models import Case, IdentificationRun
from jingzhun.students.tests.factories import AcademicResultFactory
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

REASON = "学业已跟上，补考已通过"


def test_a_dismissed_student_stays_dismissed_on_the_next_run(
    live_server, page: Page, device: Device, college: College
) -> None:
    officer = college.personas["employment_officer"]
    identification.rules_seed_defaults(actor=officer, effective_from=dt.date(2026, 9, 1))
    AcademicResultFactory(student=college.student_a, term="2025-2026-2", failed_courses=4)
    identification.run_start(actor=officer, as_of=dt.date(2026, 11, 26))
    call_command("worker", "--batch", "--interval", "0")

    log_in(page, live_server.url, "T0008")  # the class counsellor
    open_menu_item(page, device, "/identification/review/")
    card = page.locator("[data-testid=candidate]", has_text="王小明")
    card.locator("input[name=reason]").fill(REASON)
    with page.expect_navigation():
        card.locator("button:has-text('排除')").click()
    expect(page.locator("[data-testid=decided]")).to_contain_text("王小明")
    expect(page.locator("[data-testid=candidate]", has_text="王小明")).to_have_count(0)

    # The evidence has not changed materially; the office runs identification again.
    second = identification.run_start(actor=officer, as_of=dt.date(2026, 11, 27))
    call_command("worker", "--batch", "--interval", "0")
    assert IdentificationRun.objects.get(pk=second.pk).dismissals_kept == 1

    open_menu_item(page, device, "/identification/review/")
    expect(page.locator("[data-testid=candidate]", has_text="王小明")).to_have_count(0)
    page.goto(f"{live_server.url}/cases/?status=dismissed")
    row = page.locator("[data-testid=case-row]", has_text="王小明")
    expect(row.locator("[data-testid=case-status]")).to_have_text("已排除")
    page.screenshot(path=screenshot_path("dismissal-sticks", device.name), full_page=True)
    case = Case.objects.get(student=college.student_a)
    assert (case.status, case.dismiss_reason) == ("dismissed", REASON)

    # The office sees on the second run that the decision was kept, not reopened.
    page.context.clear_cookies()
    log_in(page, live_server.url, "T0002")
    page.goto(f"{live_server.url}/identification/runs/{second.pk}/")
    expect(page.locator("[data-testid=run-counts]")).to_contain_text("维持排除")
