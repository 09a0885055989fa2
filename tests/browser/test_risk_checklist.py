"""An inspector records an inspection checklist on a phone (375 px) and at desktop width, on
Mon 2021-09-27 (the suite's frozen day); then the office grades the year and reads the file.

The restaurant has no static-factor record: catering tier Ⅲ → 24 points. The inspector marks
6.2 (key, 5 points) and 9.1 (3 points) 不符合 → dynamic 8, one key item failed → 不符合.
Graded: 24 + 8 = 32 → B (30 < 32 ≤ 45).
"""

from __future__ import annotations

import pytest

from foodsafe.inspections.models import Inspection
from foodsafe.riskgrading.models import Checklist
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

from .conftest import login, screenshot

FAILED = {"6.2": "生熟容器混放", "9.1": "冷藏柜温度显示 12℃"}


@pytest.mark.parametrize("width", [375, 1280])
def test_checklist_on_a_phone(page, district, inspector, office_admin, width):
    shop = FoodBusinessFactory(name="示例面馆", business_format="restaurant", org_unit_id=SUB_A)
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "inspector")
    page.goto(f"/risk/operators/{shop.pk}/")
    page.click("#new-checklist")
    page.wait_for_url("**/checklist/")
    screenshot(page, f"risk-checklist-empty-{width}", full_page=False)
    page.fill("#inspector_1", "张检查")
    page.fill("#badge_1", "12010001")
    page.fill("#inspector_2", "李检查")
    page.fill("#badge_2", "12010002")
    items = page.locator(".check-item")
    for n in range(items.count()):
        item = items.nth(n)
        code = item.get_attribute("id").removeprefix("item-")
        answer = "no" if code in FAILED else "yes"
        item.locator(f"input[value={answer}]").check()
        if code in FAILED:
            item.locator("input[type=text]").fill(FAILED[code])
    # first without a signature: refused with every answer kept
    page.click("#checklist-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "须由被检查单位负责人签字" in page.locator("#checklist-errors").inner_text()
    assert page.locator("#item-6\\.2 input[value=no]").is_checked()
    page.fill("#signed_by", "王店长")
    screenshot(page, f"risk-checklist-filled-{width}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"
    page.click("#checklist-form button[type=submit]")
    page.wait_for_url(f"**/risk/operators/{shop.pk}/")
    message = page.locator(".messages").inner_text()
    assert "检查结果 不符合" in message and "动态风险分值 8" in message
    inspection = Inspection.objects.get(business=shop)
    checklist = Checklist.objects.get(inspection=inspection)
    assert (checklist.dynamic_score, checklist.key_failed, checklist.general_failed) == (8, 1, 1)
    assert checklist.signed_by == "王店长" and inspection.result == "noncompliant"
    page.locator(f"#inspection-{inspection.inspection_number} summary").click()
    screenshot(page, f"risk-operator-inspection-{width}")

    # the office grades 2021 and the file says why the shop is B
    page.context.clear_cookies()
    login(page, "office_admin")
    page.goto("/risk/?year=2021")
    page.click("button[value=assess]")
    page.wait_for_load_state("load")
    assert "1" in page.locator("#grade-counts").inner_text()
    page.goto(f"/risk/operators/{shop.pk}/")
    card = page.locator("#grading-2021").inner_text()
    assert "静态 24.00 + 动态 8.00 = 32.00 分" in card
    assert inspection.inspection_number in card
    screenshot(page, f"risk-operator-graded-{width}")
