"""The office works the credit pages at 1280 and 375 px (the suite's frozen day, Mon
2021-09-27): the month's class list before anything is gathered (无数据), 归集全部信用档案,
按月分类, the operator's credit file with its entries and no complainant data, and an override
with its reason; nothing scrolls sideways.

Data, worked by hand with the shipped credit-2022 rules (as tests/credit/test_pages.py): the
restaurant has a 不合格 inspection (8), a case with 处罚到人 (20) and an accepted complaint (1):
29 points → C (≤ 29); the school canteen has nothing → B (no compliant inspection for A).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from foodsafe.credit.models import CreditFile, CreditGrade
from tests.conftest import SUB_A
from tests.factories import CaseFactory, ComplaintFactory, FoodBusinessFactory, InspectionFactory

from .conftest import login, screenshot


def no_sideways_scroll(page, width):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth
                )
            .slice(0, 8).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className + ':' + Math.round(e.getBoundingClientRect().right))"""
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px: {wide}"


@pytest.fixture
def operators(district):
    restaurant = FoodBusinessFactory(
        name="示例餐馆", uscc="91120101MA05000011", licence_number="JY1", org_unit_id=SUB_A,
        opened_on=date(2019, 1, 1),
    )  # fmt: skip
    InspectionFactory(business=restaurant, inspected_on=date(2021, 5, 1), result="noncompliant")
    CaseFactory(
        business=restaurant, org_unit=district, filed_on=date(2021, 3, 5),
        closed_on=date(2021, 4, 1), penalty_amount=Decimal("3000"), individual_penalty=True,
    )  # fmt: skip
    ComplaintFactory(
        business=restaurant, org_unit=district, complainant_name="张三",
        complainant_phone="13800000000", decision="accepted", decided_on=date(2021, 3, 2),
    )  # fmt: skip
    canteen = FoodBusinessFactory(name="示例学校食堂", business_format="school_canteen")
    return restaurant, canteen


@pytest.mark.parametrize("width", [375, 1280])
def test_gather_class_read_the_file_and_override(page, operators, office_admin, width):
    restaurant, _canteen = operators
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto("/credit/?month=202109")
    assert page.locator("#no-classes").is_visible()  # nothing classed yet: 无数据, not 0
    no_sideways_scroll(page, width)
    screenshot(page, f"credit-index-empty-{width}")

    page.click("button[name=action][value=refresh]")
    page.wait_for_load_state("load")
    assert "2 家" in page.locator(".messages, .message").first.inner_text()
    assert CreditFile.objects.count() == 2
    page.click("button[name=action][value=assess]")
    page.wait_for_load_state("load")
    counts = page.locator("#class-counts").inner_text()
    assert "B\n1" in counts.replace(" ", "\n") or "B 1" in counts
    rows = page.locator("#classes tbody tr")
    assert rows.count() == 2
    restaurant_row = page.locator("#classes tbody tr", has_text="示例餐馆")
    assert "C" in restaurant_row.inner_text() and "29" in restaurant_row.inner_text()
    no_sideways_scroll(page, width)
    screenshot(page, f"credit-index-{width}")

    restaurant_row.locator("a").click()
    page.wait_for_url(f"**/credit/operators/{restaurant.pk}/")
    text = page.locator("main").inner_text()
    assert "张三" not in text and "13800000000" not in text  # complainant data never shown
    assert page.locator("#entries tbody tr").count() >= 3  # inspection, case, complaint, …
    no_sideways_scroll(page, width)
    screenshot(page, f"credit-file-{width}")

    grade = CreditGrade.objects.get(business=restaurant, month=date(2021, 9, 1))
    page.select_option(f"#level-{grade.pk}", "D")
    page.fill(f"#reason-{grade.pk}", "屡查屡犯")
    page.locator(f"form:has(#reason-{grade.pk}) button[type=submit]").click()
    page.wait_for_load_state("load")
    grade.refresh_from_db()
    assert (grade.level, grade.status, grade.override_reason) == ("D", "overridden", "屡查屡犯")
    no_sideways_scroll(page, width)
    screenshot(page, f"credit-file-overridden-{width}")
