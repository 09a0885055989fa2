"""The scorecard page's download buttons in a real browser, at 1280 px and at 375 px (a phone):
both buttons are on screen without sideways scrolling, and a click gives the file with its
Chinese name, which opens and holds the unit, the period and an indicator's value.

Data: 2,500 residents and 9 sampling batches (2021-06-01) in 和平区（测试）, so 年均食品安全抽检量
is 9 / 2,500 × 1,000 = 3.6 批次/千人 (the target is pro-rated to the frozen date, 2021-09-27, so
its status is not asserted here; tests/web/test_report_downloads.py does, for the whole year).
Screenshots: test-artifacts/report-downloads-*.png.
"""

from __future__ import annotations

from datetime import date

import docx
import openpyxl
import pytest

from tests.conftest import DISTRICT, SUB_A
from tests.factories import PopulationFactory, SamplingBatchFactory

from .conftest import login, screenshot


@pytest.fixture
def ledgers(site, district, office_admin):
    PopulationFactory(org_unit__code=DISTRICT, year=2021, resident_population=2500)
    SamplingBatchFactory.create_batch(9, org_unit__code=SUB_A, sampled_on=date(2021, 6, 1))


def _inside_viewport(page, selector: str, width: int) -> bool:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("width", [1280, 375])
def test_download_buttons(page, ledgers, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto(f"/scorecard/{DISTRICT}/2021/")
    # Both buttons fit: inside the viewport, and the page itself does not scroll sideways.
    for selector in ("#download-docx", "#download-xlsx"):
        assert page.locator(selector).is_visible()
        assert _inside_viewport(page, selector, width), selector
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"report-downloads-{width}", full_page=False)

    with page.expect_download() as info:
        page.click("#download-xlsx")
    download = info.value
    assert download.suggested_filename == "和平区（测试）2021年指标评价表.xlsx"
    path = tmp_path / "scorecard.xlsx"
    download.save_as(path)
    book = openpyxl.load_workbook(path)
    assert book.properties.title == "和平区（测试）2021年指标评价表"
    sheet = book["指标"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]
    row = next(r for r in rows if r["指标"] == "年均食品安全抽检量")
    assert (row["分子"], row["分母"]) == (9, 2500)
    assert row["数值"] == pytest.approx(3.6)

    with page.expect_download() as info:
        page.click("#download-docx")
    download = info.value
    title = "和平区（测试）2021年创建国家食品安全示范城市工作自查自评报告"
    assert download.suggested_filename == f"{title}.docx"
    path = tmp_path / "report.docx"
    download.save_as(path)
    assert docx.Document(str(path)).core_properties.title == title
