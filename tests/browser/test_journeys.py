"""The main journeys in a real Chromium, on a desktop and on a phone.

A counsellor finds a student of her class, opens the file and reveals the ID number; a student
of another class stays invisible; Chinese renders as real glyphs; a student opens their own
file and is refused the console's student list.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.org.tests.factories import TEST_PASSWORD
from tests.browser.conftest import Device, screenshot_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MASKED_ID = re.compile(r"^\d\*{16}[\dX]$")
FULL_ID = re.compile(r"^\d{17}[\dX]$")

# Glyph checks run inside the page: a font is installed when text set in it measures
# differently from the generic fallback, and CJK renders as glyphs when two different
# characters draw different pixels (missing glyphs all draw the same "tofu" box).
FONT_AVAILABLE_JS = """(family) => {
  const ctx = document.createElement('canvas').getContext('2d');
  const sample = 'mmmmmmmmmmlli 0123456789';
  return ['monospace', 'serif'].some((fallback) => {
    ctx.font = `32px ${fallback}`;
    const plain = ctx.measureText(sample).width;
    ctx.font = `32px "${family}", ${fallback}`;
    return ctx.measureText(sample).width !== plain;
  });
}"""
GLYPH_PIXELS_JS = """(text) => {
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d');
  ctx.font = `48px ${getComputedStyle(document.body).fontFamily}`;
  ctx.textBaseline = 'top';
  return Array.from(text, (ch) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.fillText(ch, 4, 4);
    const data = ctx.getImageData(0, 0, 64, 64).data;
    let ink = 0, hash = 0;
    for (let i = 3; i < data.length; i += 4) {
      if (data[i]) { ink += 1; hash = (hash * 31 + i * data[i]) | 0; }
    }
    return {ink, hash};
  });
}"""


def zh(message: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(message)


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    submit = page.locator("form:not([action]) button[type=submit]")
    translated = zh("Log in")
    if translated != "Log in":  # once the zh-hans catalogue is compiled, the page must use it
        expect(submit).to_have_text(translated)
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    submit.click()
    page.wait_for_url(f"{base_url}/")


def open_menu_item(page: Page, device: Device, href: str) -> None:
    if device.is_phone:
        expect(page.locator("#jz-sidebar")).not_to_be_visible()
        page.click("button[data-bs-target='#jz-sidebar']")
        expect(page.locator("#jz-sidebar")).to_have_class(re.compile(r"\bshow\b"))
    with page.expect_navigation():
        page.click(f"#jz-sidebar a[href='{href}']")


def search_students(page: Page, device: Device, term: str) -> None:
    if device.is_phone:
        expect(page.locator("#id_q")).not_to_be_visible()
        page.click("button[data-bs-target='#student-search']")
        # Bootstrap adds "show" once the expand transition is over; a click on the submit
        # button while it is still sliding open can miss it.
        expect(page.locator("#student-search")).to_have_class(re.compile(r"\bshow\b"))
    page.fill("#id_q", term)
    with page.expect_response(lambda r: "/students/?" in r.url and r.status == 200):
        page.click("#student-search button[type=submit]")
    page.wait_for_url(re.compile(r"[?&]q="))


def table_names(page: Page) -> list[str]:
    return page.locator("#student-table tbody tr td:nth-child(2)").all_inner_texts()


def test_counsellor_finds_reveals_and_sees_only_her_class(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    base = live_server.url
    log_in(page, base, college.user("counsellor_a").username)

    open_menu_item(page, device, "/students/")
    assert page.url == f"{base}/students/"
    assert table_names(page) == ["王小明"]  # 李小红 of the other school's class is out of scope

    search_students(page, device, "李小红")
    expect(page.locator("#student-table tbody tr")).to_have_count(1)
    expect(page.locator("#student-table tbody")).not_to_contain_text("李小红")

    page.fill("#id_q", "王小明")
    with page.expect_response(lambda r: "q=%E7%8E%8B" in r.url):
        page.click("#student-search button[type=submit]")
    expect(page.locator("#student-table tbody")).to_contain_text("王小明")
    assert table_names(page) == ["王小明"]

    page.click("#student-table a:text-is('王小明')")
    page.wait_for_url(f"{base}/students/{college.student_a.pk}/")
    name = page.get_by_test_id("student-name")
    expect(name).to_have_text("王小明")

    id_number = page.get_by_test_id("id-number")
    masked = id_number.inner_text().strip()
    assert MASKED_ID.match(masked), masked
    assert college.student_a.id_number not in page.content()

    page.click("#student-identifiers button")
    expect(id_number).to_have_text(college.student_a.id_number)
    assert FULL_ID.match(id_number.inner_text().strip())

    header = page.locator("main .d-flex").first
    header.screenshot(path=str(screenshot_path(f"profile-header-{device.name}", "zh")))
    page.screenshot(path=str(screenshot_path(f"profile-{device.name}", "zh")), full_page=True)
    box = name.bounding_box()
    assert box is not None and box["width"] > 40 and box["height"] > 10, box

    assert page.evaluate(FONT_AVAILABLE_JS, "Noto Sans CJK SC"), "Noto Sans CJK SC is not installed"
    wang, ming, private_use = page.evaluate(GLYPH_PIXELS_JS, "王明\ue000")
    assert wang["ink"] > 0 and ming["ink"] > 0
    assert wang["hash"] != ming["hash"], "王 and 明 draw the same shape: CJK falls back to tofu"
    assert wang["hash"] != private_use["hash"], "王 draws like a missing glyph"


def test_student_opens_own_file_and_not_the_list(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    base = live_server.url
    log_in(page, base, "2024010001")
    expect(page.locator("main")).to_contain_text("王小明")

    open_menu_item(page, device, "/students/me/")  # redirects to the file itself
    page.wait_for_url(f"{base}/students/{college.student_a.pk}/")
    expect(page.get_by_test_id("student-name")).to_have_text("王小明")
    assert MASKED_ID.match(page.get_by_test_id("id-number").inner_text().strip())
    page.screenshot(path=str(screenshot_path(f"student-own-file-{device.name}", "zh")))

    response = page.goto(f"{base}/students/")
    assert response is not None and response.status == 403
    expect(page.locator("body")).not_to_contain_text("李小红")


def _confirmed_case_of_student_a(college: College) -> Any:
    """Student A flagged by a run and confirmed by her counsellor (as the services leave it)."""
    from jingzhun.casefile.tests.helpers import case_of, run_of, signal_of

    run = run_of(college)
    signal_of(
        college.student_a, run, "employability", level=2, explanation="无实习经历，无职业证书"
    )
    return case_of(college.student_a, codes=("employability",), level=2, run=run, days_ago=1,
                   responsible=college.user("counsellor_a"))  # fmt: skip


def test_counsellor_finds_a_confirmed_student_in_the_case_list_and_reads_the_timeline(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    from jingzhun.identification.models import Case

    _confirmed_case_of_student_a(college)
    base = live_server.url
    log_in(page, base, college.user("counsellor_a").username)

    open_menu_item(page, device, "/cases/")
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(1)
    with translation.override("zh-hans"):
        confirmed = str(Case.Status.CONFIRMED.label)
    expect(rows.first.get_by_test_id("case-status")).to_have_text(confirmed)
    expect(page.locator("main")).not_to_contain_text("---------")

    rows.first.locator("a:text-is('王小明')").click()
    page.wait_for_url(f"{base}/students/{college.student_a.pk}/")
    expect(page.get_by_test_id("case-status-label")).to_have_text(confirmed)
    expect(page.get_by_test_id("case-responsible")).to_have_text("张辅导员")

    strip = page.locator("[data-tab-strip]")
    hint = page.get_by_test_id("tabs-hint")
    if device.is_phone:  # the tabs do not fit: the strip scrolls and says so
        expect(strip).to_have_class(re.compile(r"\bjz-more\b"))
        expect(hint).to_be_visible()
        box = hint.bounding_box()
        assert box is not None and box["y"] < 844, box
    else:
        expect(hint).not_to_be_visible()
    timeline = page.get_by_test_id("tab-timeline")
    timeline.click()  # on a phone, Playwright scrolls the strip to it as a finger would
    page.wait_for_url(f"{base}/students/{college.student_a.pk}/tab/timeline/")
    entries = page.get_by_test_id("timeline-entry")
    expect(entries).to_have_count(3)
    expect(page.get_by_test_id("timeline")).to_contain_text("无实习经历，无职业证书")
    if device.is_phone:  # scrolled to the end: the chevron goes, the line of text stays
        page.locator(".jz-tabs-list").evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
        expect(strip).not_to_have_class(re.compile(r"\bjz-more\b"))
    page.screenshot(path=str(screenshot_path(f"case-file-timeline-{device.name}", "zh")))


def test_student_sees_their_status_in_words_on_their_file_and_the_portal(
    live_server: Any, college: College, page: Page, device: Device
) -> None:
    _confirmed_case_of_student_a(college)
    base = live_server.url
    log_in(page, base, "2024010001")

    open_menu_item(page, device, "/students/me/")
    page.wait_for_url(f"{base}/students/{college.student_a.pk}/")
    words = zh("The college has arranged a teacher to keep in touch with you")
    expect(page.get_by_test_id("own-status-words")).to_have_text(words)
    expect(page.get_by_test_id("own-contacts")).to_contain_text("张辅导员")
    expect(page.get_by_test_id("own-next-step")).to_be_visible()
    for label in ("困难生", "帮扶对象", "就业能力不足", "无实习经历"):
        expect(page.locator("body")).not_to_contain_text(label)

    page.get_by_test_id("tab-timeline").click()
    expect(page.get_by_test_id("timeline-entry")).to_have_count(2)
    expect(page.get_by_test_id("timeline")).not_to_contain_text("无实习经历")

    response = page.goto(f"{base}/portal/apply/")
    assert response is not None and response.status == 200
    expect(page.get_by_test_id("own-status-words")).to_have_text(words)
    expect(page.get_by_test_id("own-contacts")).to_contain_text("刘老师")
    page.screenshot(path=str(screenshot_path(f"student-status-{device.name}", "zh")))
