"""The employment office opens 校园行为数据 from the menu, queues a computation, and sees the
new snapshot version once the worker has run it."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.data.events import Lake
from jingzhun.data.synthetic import Population, SyntheticParams, make_population, write_card_lake
from jingzhun.students.models import BehaviourSnapshot
from jingzhun.students.tests.factories import StudentFactory
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HOLDERS, REGISTERED = 12, 10


def test_queue_a_computation_and_see_the_new_version(
    live_server, page: Page, device: Device, college: College, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EVENT_LAKE_DIR = tmp_path / "lake"
    base = make_population(HOLDERS, seed=3)
    numbers = np.array([f"2025{i:06d}" for i in range(HOLDERS)])
    write_card_lake(
        Lake.at(settings.EVENT_LAKE_DIR), rows=HOLDERS * 300, n_students=HOLDERS, seed=3,
        params=SyntheticParams(start=dt.date(2025, 9, 1), end=dt.date(2026, 6, 30)),
        population=Population(student_ids=numbers, poverty=base.poverty, subsidy=base.subsidy),
    )  # fmt: skip
    for number in numbers[:REGISTERED]:
        StudentFactory.create(class_group=college.class_a, student_number=number)
    log_in(page, live_server.url, "T0002")
    open_menu_item(page, device, "/behaviour/snapshots/")
    expect(page.locator("h1")).to_have_text("校园行为数据")
    expect(page.locator("main")).to_contain_text("尚未计算。")

    with page.expect_navigation():
        page.click("[data-testid=behaviour-build]")
    expect(page.locator("main")).to_contain_text("已排队计算，完成后新版本会显示在这里。")
    assert not BehaviourSnapshot.objects.exists()
    call_command("worker", "--batch", "--interval", "0")
    page.reload()

    snapshot = page.locator("[data-testid=behaviour-snapshot]")
    expect(snapshot).to_have_count(1)
    expect(snapshot.locator("strong")).to_have_text("v1")
    expect(snapshot).to_contain_text("10 名学生；2 名持卡人不在学籍库中。")
    expect(snapshot).to_contain_text("已认定困难等级的学生太少（0 人），无法训练模型。")
    page.screenshot(path=screenshot_path("behaviour", f"snapshots-{device.name}"), full_page=True)
