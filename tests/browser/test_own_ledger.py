"""A member unit keeps its own 排查台账 in the browser (issue 17 point 2): 区市场监管局's user
registers a finding (indicator and division picked by name from lists; the unit and the
source 自查 fixed), sees it on its ledger, and downloads its 阶段性自查说明 (Word) with the
问题清单. At 1280 px and 375 px; screenshots test-artifacts/own-ledger-*.png."""

from __future__ import annotations

import io

import docx
import pytest

from foodsafe.rectification.models import Rectification
from tests.conftest import DISTRICT

from .conftest import login, screenshot


@pytest.mark.parametrize("width", [1280, 375])
def test_unit_registers_and_downloads_its_statement(
    page, site, district, market_user, width, tmp_path
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "market_user")
    page.goto("/rectifications/")
    page.click("text=登记问题")
    page.fill("#id_title", "农贸市场快检室台账不全")
    # Only its own unit and the source 自查 are offered.
    assert page.locator("#id_owner_unit option").all_inner_texts() == ["区市场监管局"]
    assert page.locator("#id_source option").all_inner_texts() == ["自查"]
    page.select_option("#id_indicator_code", label="第 9 项 · 食品类消费投诉按时办结率")
    page.select_option("#id_org_unit", value=DISTRICT)
    page.fill("#id_working_days", "5")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"own-ledger-form-{width}")
    page.click("form.stacked button[type=submit]")
    page.wait_for_load_state("load")
    r = Rectification.objects.get(title="农贸市场快检室台账不全")
    assert (r.source, r.owner_unit.code, r.indicator_code) == (
        "self_check",
        "market-regulation",
        "complaint_on_time_rate",
    )
    # Created Mon 27 Sep 2021 + 5 working days: 28, 29, 30 Sep, (1–7 Oct off), 8, 9 Oct.
    assert "2021-10-09" in page.content()

    page.goto("/rectifications/")
    assert page.locator(f"#rectification-{r.pk}").is_visible()
    # The frozen day (2021-09-27) lies in 市级评审阶段, the form's default phase.
    with page.expect_download() as info:
        page.click("#self-check-form button[type=submit]")
    path = tmp_path / "statement.docx"
    info.value.save_as(path)
    assert info.value.suggested_filename == "区市场监管局市级评审阶段自查说明.docx"
    doc = docx.Document(io.BytesIO(path.read_bytes()))
    assert [row.cells[2].text for row in doc.tables[0].rows[1:]] == ["农贸市场快检室台账不全"]
    screenshot(page, f"own-ledger-list-{width}")
