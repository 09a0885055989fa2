"""The office makes the 2021Q4 inspection plan from the page at 1280 and 375 px (the suite's
frozen day, Mon 2021-09-27), reads the recorded draw and the re-run check, prints the 检查计划表
(print media) and opens the due list; nothing scrolls sideways.

Data (hand-worked as in tests/inspectionplan/conftest.py): a C restaurant last seen 2021-04-20
(due 2021-10-20), a D central kitchen last seen 2021-08-15 (due 2021-12-15), ten B operators
seen 2021-06-01 (due 2022-06-01): 2 due + 10 × 0.20 × 3/12 = 0.5 → 1 drawn = 3 items.
"""

from __future__ import annotations

import pytest

from foodsafe.inspectionplan.models import InspectionPlan
from tests.conftest import DISTRICT
from tests.inspectionplan.conftest import small_district as _small  # noqa: F401

from .conftest import login, screenshot

small_district = _small


def no_sideways_scroll(page, width):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"


@pytest.mark.parametrize("width", [1280, 375])
def test_make_a_plan_and_print_it(page, small_district, office_admin, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto("/inspection-plan/plans/")
    page.select_option("select[name=org]", DISTRICT)
    page.fill("input[name=period]", "2021Q4")
    page.fill("input[name=seed]", "2021")
    screenshot(page, f"plan-form-{width}", full_page=False)
    no_sideways_scroll(page, width)
    page.click("form[action='/inspection-plan/plans/create/'] button[type=submit]")
    page.wait_for_url("**/inspection-plan/plans/*/")
    plan = InspectionPlan.objects.get()
    assert page.locator("#seed").inner_text() == "2021"
    assert "结果一致" in page.locator("#replay").inner_text()
    assert page.locator("#progress").inner_text() == "0 / 3"
    rows = page.locator("table.plan tbody tr")
    assert rows.count() == 3
    assert "示例丁级中央厨房" in rows.nth(0).inner_text()
    assert "示例丙级餐馆" in rows.nth(1).inner_text()
    no_sideways_scroll(page, width)
    screenshot(page, f"plan-detail-{width}")
    page.emulate_media(media="print")
    assert not page.locator("details.draw").is_visible()
    screenshot(page, f"plan-print-{width}")
    page.emulate_media(media="screen")
    page.goto("/inspection-plan/due/")
    no_sideways_scroll(page, width)
    # 2021-09-27: nobody is overdue; nobody falls due by 2021-09-30.
    assert page.locator("#overdue-count").inner_text() == "0"
    screenshot(page, f"plan-due-{width}")
    page.goto(f"/inspection-plan/plans/{plan.pk}/publication/")
    no_sideways_scroll(page, width)
    screenshot(page, f"plan-publication-{width}")
