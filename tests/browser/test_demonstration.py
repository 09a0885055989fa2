"""示范引领 in the browser (issue 17 point 5): 区市场监管局's user applies for a demonstration
project and proposes a field-check site picked from the registry; the office returns the
project with a reason, then approves the amended one, confirms the site and sees its latest
inspection beside it. At 1280 px and 375 px; screenshots test-artifacts/demonstration-*.png."""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.demonstration.models import DemonstrationProject, FieldCheckSite
from foodsafe.inspections.models import Inspection
from foodsafe.registry.models import FoodBusiness
from tests.conftest import SUB_A

from .conftest import login, logout, screenshot


def _no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_unit_applies_and_proposes_office_decides(
    page, site, district, market_user, office_admin, width
):
    page.set_viewport_size({"width": width, "height": 900})
    business = FoodBusiness.objects.create(
        registry_number="REG-B1", name="示例示范餐厅", licence_number="JY11201010000009",
        sector="catering", business_format="restaurant", org_unit_id=SUB_A, address="和平路9号",
    )  # fmt: skip
    Inspection.objects.create(
        inspection_number="JC-B1", business=business, inspected_on=date(2021, 9, 1),
        inspection_type="routine", result="compliant",
    )  # fmt: skip
    login(page, "market_user")
    page.goto("/demonstration/projects/")
    page.click("text=申报项目")
    # The click navigates: wait for the form (all_inner_texts does not wait, and read an
    # empty list while the page was still loading in a CI run).
    page.wait_for_selector("#project-form #id_unit")
    # the unit applies for itself only
    assert page.locator("#id_unit option").all_inner_texts() == ["区市场监管局"]
    page.fill("#id_name", "明厨亮灶智慧监管")
    page.select_option("#id_category", "smart")
    page.fill("#id_description", "餐饮单位后厨视频接入监管平台")
    page.fill("#id_achievements", "接入 320 家")
    page.fill("#id_contact_name", "李四")
    page.fill("#id_contact_phone", "13912345678")
    _no_sideways_scroll(page, width)
    screenshot(page, f"demonstration-apply-{width}")
    page.click("#project-form button[type=submit]")
    page.wait_for_load_state("load")
    project = DemonstrationProject.objects.get()
    assert page.inner_text("#project-status") == "待审核"

    page.goto("/demonstration/sites/new/")
    page.fill("input[name=find]", "示范餐")
    page.click("#business-search button")
    page.click("#found >> text=选择")
    assert page.input_value("#id_address") == "和平路9号"
    page.fill("#id_reason", "明厨亮灶示范店")
    page.click("#site-form button[type=submit]")
    page.wait_for_load_state("load")
    site_row = FieldCheckSite.objects.get()
    logout(page)

    login(page, "office_admin")
    page.goto(f"/demonstration/projects/{project.pk}/")
    page.check("#decision-form input[value=no]")
    page.fill("#id_reason", "请补充成效数据来源")
    page.click("#decision-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("#project-status") == "已退回"
    logout(page)

    login(page, "market_user")
    page.goto(f"/demonstration/projects/{project.pk}/")
    assert "请补充成效数据来源" in page.inner_text("#return-reason")
    page.fill("#amend-form #id_achievements", "接入 320 家（区市场监管局 2021年8月统计）")
    page.click("#amend-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("#project-status") == "待审核"
    logout(page)

    login(page, "office_admin")
    page.goto(f"/demonstration/projects/{project.pk}/")
    page.check("#decision-form input[value=yes]")
    page.click("#decision-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("#project-status") == "已通过"
    page.goto("/demonstration/projects/?status=approved")
    assert page.locator(f"#project-{project.pk}").is_visible()
    _no_sideways_scroll(page, width)
    screenshot(page, f"demonstration-projects-{width}")
    with page.expect_download() as info:
        page.click("text=导出审核通过项目（报国食办，Excel）")
    assert info.value.suggested_filename.startswith("示范引领项目汇总表-")

    page.goto(f"/demonstration/sites/{site_row.pk}/")
    page.check("#decision-form input[value=yes]")
    page.click("#decision-form button[type=submit]")
    page.wait_for_load_state("load")
    assert page.inner_text("#site-status") == "已确认"
    assert "2021-09-01" in page.inner_text("#inspections")
    screenshot(page, f"demonstration-site-{width}")
    page.goto("/demonstration/sites/")
    row = page.inner_text(f"#site-{site_row.pk}")
    assert "2021-09-01" in row and "已确认" in row
    _no_sideways_scroll(page, width)
    screenshot(page, f"demonstration-sites-{width}")
