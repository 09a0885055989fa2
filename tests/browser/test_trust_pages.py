"""The trust fixes' two visible notes in the browser, at 1280 and 375 px (screenshots
test-artifacts/trust-*.png): 区教育局 proposing a field-check site finds only school canteens,
a unit with no operators of its own is told to ask the office; and the credit page shows a
refresh an import queued while another credit run held the lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from foodsafe.accounts.models import Profile
from foodsafe.credit.models import PendingRefresh
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.registry.models import FoodBusiness
from tests.conftest import SUB_A

from .conftest import login, logout, screenshot
from .test_credit_pages import no_sideways_scroll


@pytest.mark.parametrize("width", [1280, 375])
def test_site_search_is_scoped_to_the_unit(
    page, site, district, education_user, django_user_model, width
):
    page.set_viewport_size({"width": width, "height": 900})
    for n, fmt in ((1, "restaurant"), (2, "school_canteen")):
        FoodBusiness.objects.create(
            registry_number=f"REG-T{n}", name=f"示例{'饭店' if n == 1 else '小学食堂'}",
            licence_number=f"JY1120101000010{n}", sector="catering", business_format=fmt,
            org_unit_id=SUB_A, address=f"和平路{n}号",
        )  # fmt: skip
    login(page, "education_user")
    page.goto("/demonstration/sites/new/?find=示例")
    rows = page.locator("#found tbody tr").all_inner_texts()
    assert len(rows) == 1 and "示例小学食堂" in rows[0] and "示例饭店" not in rows[0]
    no_sideways_scroll(page, width)
    screenshot(page, f"trust-site-search-education-{width}")
    logout(page)

    commerce = ResponsibleUnit.objects.create(code="commerce", name="区商务局")
    user = django_user_model.objects.create_user("commerce_user", password="commerce_user-pass-123")
    Profile.objects.create(user=user, role="member_unit", responsible_unit=commerce)
    login(page, "commerce_user")
    page.goto("/demonstration/sites/new/?find=示例")
    assert "请由创城办代为推荐" in page.inner_text("#none-proposable")
    assert page.locator("#business-search").count() == 0  # no search that can find nothing
    no_sideways_scroll(page, width)
    screenshot(page, f"trust-site-search-none-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_credit_page_shows_a_queued_refresh(page, site, district, office_admin, width):
    page.set_viewport_size({"width": width, "height": 900})
    PendingRefresh.objects.create(
        since=timezone.now() - timedelta(minutes=5), ledgers="inspections"
    )
    login(page, "office_admin")
    page.goto("/credit/")
    assert "有 1 次导入后的信用档案归集" in page.inner_text("#pending-refresh")
    no_sideways_scroll(page, width)
    screenshot(page, f"trust-credit-pending-{width}")
    # 归集全部信用档案 runs under the lock and catches the queue up before letting go
    page.click("button[value=refresh]")
    page.wait_for_load_state("load")
    assert page.locator("#pending-refresh").count() == 0
    assert not PendingRefresh.objects.exists()
