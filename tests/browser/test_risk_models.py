"""The employment office compares the two models of a training and approves the linear one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from conftest import College
from jingzhun.identification import services
from jingzhun.identification.models import RiskModel
from jingzhun.identification.tests.graduates import AS_OF, build_graduates
from jingzhun.students.models import DestinationCode
from jingzhun.students.reference import DESTINATION_CODES
from tests.browser.conftest import Device, screenshot_path
from tests.browser.test_journeys import log_in, open_menu_item

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_compare_both_models_and_approve_the_recommended_one(
    live_server, page: Page, device: Device, college: College, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    for code, name, category in DESTINATION_CODES:  # a transactional test's flush empties them
        DestinationCode.objects.update_or_create(
            code=code, defaults={"name": name, "category": category}
        )
    build_graduates(college)
    office = college.personas["employment_officer"]
    services.risk_model_train(actor=office, institution=college.institution, as_of=AS_OF)
    log_in(page, live_server.url, "T0002")
    open_menu_item(page, device, "/identification/models/")

    panels = page.locator("[data-testid=risk-model]")
    expect(panels).to_have_count(2)
    trees, linear = panels.nth(0), panels.nth(1)
    expect(trees.locator("[data-testid=model-kind]")).to_have_text("梯度提升树（LightGBM）")
    expect(linear.locator("[data-testid=model-kind]")).to_have_text("逻辑回归")
    # Both judged on the 2026 graduates: the counsellor's sentence, the metric small beside it.
    for panel in (trees, linear):
        expect(panel.locator("[data-testid=figure-precision]")).to_contain_text(
            "在风险最高的前 10%（18 人）名单中，有 18 人后来未落实去向。"
        )
        expect(panel.locator("[data-testid=figure-precision] .small")).to_have_text(
            "precision@18 1.000"
        )
    expect(trees.locator("[data-testid=figure-roc-auc] .small")).to_have_text("ROC-AUC 0.944")
    expect(page.locator("[data-testid=recommendation]")).to_contain_text(
        "推荐：逻辑回归。依据：在最新一届毕业生（2026 届）上 PR-AUC 更高者"
    )
    expect(linear.locator("[data-testid=recommended-badge]")).to_have_text("推荐")
    expect(trees.locator("[data-testid=recommended-badge]")).to_have_count(0)
    # Side by side on a desktop, one under the other on a phone, neither wider than the screen.
    first, second = trees.bounding_box(), linear.bounding_box()
    assert first is not None and second is not None
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert first["x"] + first["width"] <= width and second["x"] + second["width"] <= width
    if device.is_phone:
        assert second["y"] >= first["y"] + first["height"]
    else:
        assert (second["y"], second["x"] >= first["x"] + first["width"]) == (first["y"], True)
    page.screenshot(path=screenshot_path("risk-models", f"compare-{device.name}"), full_page=True)

    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        linear.locator("[data-testid=approve]").click()
    expect(
        page.locator("[data-testid=risk-model]").nth(1).locator("[data-testid=model-status]")
    ).to_have_text("已批准（启用中）")
    expect(page.locator("[data-testid=approve]")).to_have_count(1)  # the trees can still be
    assert dict(RiskModel.objects.values_list("kind", "status")) == {
        "lightgbm": "trained", "linear": "approved",
    }  # fmt: skip
