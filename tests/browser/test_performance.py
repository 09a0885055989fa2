"""绩效考核 and list search in the browser (issue 17 point 6 and "Pages people expect"): the
office opens September's ranking, writes its comment on a unit and downloads the Excel; the
unit sees its own row with the comment; the office searches the complaints ledger and pages
through it with the filter kept. At 1280 px and 375 px; screenshots
test-artifacts/performance-*.png and lists-*.png."""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.complaints.models import Complaint
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.performance.models import AssessmentComment
from tests.conftest import SUB_A
from tests.tasks.board_data import add_rectification

from .conftest import login, logout, screenshot


@pytest.mark.parametrize("width", [1280, 375])
def test_office_ranks_comments_and_unit_reads(
    page, site, district, market_user, education_user, office_admin, width
):
    page.set_viewport_size({"width": width, "height": 900})
    market = ResponsibleUnit.objects.get(code="market-regulation")
    # one item closed on time in September (deadline 09-15, closed 09-14): 100.0 on time
    r = add_rectification(market, by=office_admin, deadline=date(2021, 9, 15))
    r.state, r.closed_on, r.verified_by = "closed", date(2021, 9, 14), office_admin
    r.save()
    login(page, "office_admin")
    page.goto("/performance/?month=2021-09")
    row = page.locator(f"#unit-{market.pk}")
    # the clock is frozen on 2021-09-27: September is assessed as of that day
    assert "100.0" in row.inner_text() and "1/1" in row.inner_text()
    edu = ResponsibleUnit.objects.get(code="education")
    assert "无数据" in page.inner_text(f"#unit-{edu.pk}")
    row.locator("textarea").fill("按期销号，继续保持")
    row.locator("button").click()
    page.wait_for_load_state("load")
    assert AssessmentComment.objects.get(unit=market).text == "按期销号，继续保持"
    assert page.locator(f"#unit-{market.pk} textarea").input_value() == "按期销号，继续保持"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"performance-office-{width}")
    with page.expect_download() as info:
        page.click("text=导出排名（Excel）")
    assert info.value.suggested_filename == "绩效考核排名-202109.xlsx"
    logout(page)

    login(page, "market_user")
    page.goto("/performance/?month=2021-09")
    assert page.locator("#ranking tbody tr").count() == 1
    assert "按期销号，继续保持" in page.inner_text(f"#unit-{market.pk}")
    screenshot(page, f"performance-unit-{width}")


@pytest.mark.parametrize("width", [1280, 375])
def test_complaints_search_and_pages_keep_the_filter(page, site, district, office_admin, width):
    page.set_viewport_size({"width": width, "height": 900})
    for n in range(101):
        Complaint.objects.create(
            complaint_number=f"TS-B{n:04d}", kind="report" if n % 2 else "complaint",
            org_unit_id=SUB_A, complainant_name="王某", complainant_phone="13800000000",
            received_on=date(2021, 3, 1), acceptance_due_on=date(2021, 3, 10),
        )  # fmt: skip
    login(page, "office_admin")
    page.goto("/complaints/")
    assert "第 1 / 2 页，共 101 条" in page.inner_text(".pager")
    page.select_option("#id_kind", "complaint")
    page.click("#complaint-filters button[type=submit]")
    page.wait_for_load_state("load")
    assert "kind=complaint" in page.url
    # 51 complaints (even numbers 0–100): one page, no pager
    assert page.locator("table.complaints tbody tr").count() == 51
    page.fill("#id_q", "TS-B0042")
    page.click("#complaint-filters button[type=submit]")
    page.wait_for_load_state("load")
    assert page.locator("table.complaints tbody tr").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"lists-complaints-{width}")
