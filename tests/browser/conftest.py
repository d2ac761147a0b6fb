"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Nothing is downloaded: Playwright only drives the system Chromium at /usr/bin/chromium
(`make setup` installs it as root). Without it the browser tests are skipped on a developer's
machine, but fail under CI=true, where a silently skipped journey would hide a broken set-up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    sync_playwright,
)

REPO = Path(__file__).resolve().parents[2]
RESULTS = REPO / "test-results" / "browser"
CHROMIUM = Path(os.environ.get("JINGZHUN_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VENDOR = REPO / "jingzhun" / "core" / "static" / "vendor"
VENDORED = ("bootstrap/bootstrap.bundle.min.js", "bootstrap/bootstrap.min.css", "htmx/htmx.min.js")
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Device:
    name: str
    options: dict[str, Any]

    @property
    def is_phone(self) -> bool:
        return bool(self.options.get("is_mobile"))


DEVICES = {
    "desktop": Device("desktop", {"viewport": {"width": 1366, "height": 900}}),
    "phone": Device(
        "phone",
        {
            "viewport": {"width": 390, "height": 844},
            "device_scale_factor": 3,
            "is_mobile": True,
            "has_touch": True,
        },
    ),
}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} is missing: install Debian's chromium package "
        "(`make setup` does it as root: apt-get install chromium fonts-noto-cjk)"
    )
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI=true and {message}", pytrace=False)
    pytest.skip(message)


def _require_vendored_assets() -> None:
    missing = [name for name in VENDORED if not (VENDOR / name).is_file()]
    if missing:
        pytest.fail(
            f"static/vendor is incomplete ({', '.join(missing)} missing): run `make setup` "
            "(npm ci + scripts/vendor_assets.py) before the browser tests",
            pytrace=False,
        )


@pytest.fixture(scope="module", autouse=True)
def _allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an asyncio loop running in this thread, so Django would
    refuse the ORM calls that build and flush the test data ("You cannot call this from an
    async context"). Allowed only while this module's browser tests run: a process-wide
    setting would leak into other tests (`check --deploy` warns about it). Module scope, like
    the Playwright loop, so it covers every test's database set-up and flush."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Module scope, not session: the loop must stop before the tests of other modules use the ORM.
@pytest.fixture(scope="module")
def playwright_instance(
    django_db_setup: None, _allow_orm_beside_playwright: None
) -> Iterator[Playwright]:
    _require_chromium()
    _require_vendored_assets()
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


@pytest.fixture(params=sorted(DEVICES))
def device(request: pytest.FixtureRequest) -> Device:
    return DEVICES[request.param]


@pytest.fixture
def context(browser: Browser, device: Device) -> Iterator[BrowserContext]:
    # A Chinese college's browsers ask for Chinese; the UI must answer in Chinese.
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **device.options)
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    errors: list[str] = []
    traffic: list[str] = []
    violations: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: _collect_csp_violation(m, violations))
    page.on("request", lambda r: traffic.append(f"> {r.method} {r.url}"))
    page.on("response", lambda r: traffic.append(f"< {r.status} {r.url}"))
    page.on("requestfailed", lambda r: traffic.append(f"! {r.url} {r.failure}"))
    page.on("console", lambda m: traffic.append(f"console.{m.type}: {m.text}"))
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        page.screenshot(path=str(screenshot_path(request.node.name, "failure")), full_page=True)
        log = screenshot_path(request.node.name, "traffic").with_suffix(".txt")
        log.write_text("\n".join(traffic), encoding="utf-8")
    assert errors == [], f"JavaScript errors on the page: {errors}"
    assert violations == [], f"Content-Security-Policy violations: {violations}"


def _collect_csp_violation(message: ConsoleMessage, violations: list[str]) -> None:
    """Chromium reports what the policy blocked (an inline script or style, a handler, a
    foreign source) on the console; any such report fails the test."""
    if "Content Security Policy" in message.text:
        violations.append(message.text)


def screenshot_path(test_name: str, label: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", test_name).strip("-")
    return RESULTS / f"{safe}-{label}.png"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[Any]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
    return report
