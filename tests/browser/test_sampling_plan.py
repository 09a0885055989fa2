"""An inspector of 区市场监管局 makes the district's 2021 sampling plan from the pages at 1280
and 375 px (the suite's frozen day, Mon 2021-09-27): generate and preview, save, the plan with
its progress, a 不合格 batch's 核查处置 step by step, and the month's publication list; nothing
scrolls sideways and the progress-by-cell table names 环节 and 业态 in words, not codes.

Data: tests/samplingplan/conftest.py's registry (20,345 residents, eight 环节×业态 cells) and
one failed batch of 韭菜 (腐霉利) reported 2021-09-10 in subdistrict A.
"""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.samplingplan.models import Disposal, Publication, SamplingPlan
from tests.conftest import DISTRICT, SUB_A
from tests.factories import SamplingBatchFactory
from tests.factories import TestItemFactory as ItemFactory
from tests.samplingplan.conftest import registry as _registry  # noqa: F401

from .conftest import login, screenshot

registry = _registry


def no_sideways_scroll(page, width):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"


@pytest.fixture
def failed_batch(registry):
    bad = SamplingBatchFactory(
        org_unit_id=SUB_A, conclusion="nonconforming", sampled_on=date(2021, 9, 1),
        reported_on=date(2021, 9, 10), food_name="韭菜", category_code="32020201",
    )  # fmt: skip
    ItemFactory(batch=bad, name="腐霉利", category="pesticide_residue", conforming=False)
    return bad


@pytest.mark.parametrize("width", [1280, 375])
def test_plan_progress_disposal_and_publication(page, failed_batch, inspector, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "inspector")
    page.goto("/sampling-plan/")
    page.select_option("select[name=org]", DISTRICT)
    page.fill("input[name=year]", "2021")
    no_sideways_scroll(page, width)
    screenshot(page, f"sampling-plans-{width}", full_page=False)
    page.click("form.plan-form button[type=submit]")
    page.wait_for_url("**/sampling-plan/preview/**")
    text = page.locator("main").inner_text()
    assert "预览，未保存" in text
    # Every cell of the registry on 1 January 2021 has a batch: the eight formats and the
    # 食品摊贩 that closed on 1 March 2021 (it was operating on 1 January).
    assert "9/9（100.0%）" in text
    # Labels, not codes, in the cell table (生产 / 食品生产企业 rather than production / …).
    assert "production" not in text and "supermarket" not in text
    no_sideways_scroll(page, width)
    screenshot(page, f"sampling-preview-{width}")
    assert not SamplingPlan.objects.exists()  # a preview saves nothing

    page.fill("input[name=note]", "初稿")
    page.click("form[action='/sampling-plan/save/'] button[type=submit]")
    page.wait_for_url("**/sampling-plan/*/")
    plan = SamplingPlan.objects.get()
    assert page.url.endswith(f"/sampling-plan/{plan.pk}/")
    detail = page.locator("main").inner_text()
    assert "现行" in detail
    for code in ("production", "catering", "manufacturer", "school_canteen", "restaurant"):
        assert code not in detail, f"the plan page shows the code {code}"
    no_sideways_scroll(page, width)
    screenshot(page, f"sampling-detail-{width}")

    page.goto("/sampling-plan/disposals/")
    assert failed_batch.sample_number in page.locator("main").inner_text()
    no_sideways_scroll(page, width)
    page.click("form[action='/sampling-plan/disposals/open/'] button[type=submit]")
    page.wait_for_url("**/sampling-plan/disposals/*/")
    disposal = Disposal.objects.get()
    page.fill("input[name=on]", "2021-09-13")
    page.click("form:has(input[name=action][value=serve]) button[type=submit]")
    page.wait_for_load_state("load")
    steps = list(disposal.steps.order_by("pk"))
    assert steps, "serving the report creates the steps"
    no_sideways_scroll(page, width)
    screenshot(page, f"sampling-disposal-served-{width}")
    for step in steps:
        form = page.locator(f"form:has(input[name=step][value='{step.pk}'])")
        form.locator("input[name=on]").fill("2021-09-27")
        form.locator("input[name=outcome]").fill("未申请" if step.kind == "window" else "已完成")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
    assert not disposal.steps.filter(done_on__isnull=True).exists()
    close = page.locator("form:has(input[name=action][value=close])")
    close.locator("input[name=on]").fill("2021-09-27")
    close.locator("textarea[name=evidence]").fill("处置报告；封存记录")
    close.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    disposal.refresh_from_db()
    assert disposal.state == "closed" and disposal.closed_on == date(2021, 9, 27)
    no_sideways_scroll(page, width)
    screenshot(page, f"sampling-disposal-closed-{width}")

    page.goto(f"/sampling-plan/publication/?org={DISTRICT}&month=2021-09&kind=disposal")
    listing = page.locator("main").inner_text()
    assert "腐霉利" in listing and "已于 2021-09-27 办结" in listing
    no_sideways_scroll(page, width)
    page.fill("input[name=published_on]", "2021-09-27")
    page.fill("input[name=where]", "https://example.gov.cn/cj")
    page.click("form[action='/sampling-plan/publication/record/'] button[type=submit]")
    page.wait_for_load_state("load")
    assert Publication.objects.get().rows == 1
    screenshot(page, f"sampling-publication-{width}")
