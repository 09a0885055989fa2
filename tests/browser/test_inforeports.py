"""信息报送 in the browser (issue 17 point 7): the office sets a monthly schedule (5th working
day of the next month); 区市场监管局's user sends September's work information with an
attachment; the office sees the late and missing reports on 逾期督办, picks the report and
compiles 工作简报 第1期, downloaded as Word. The frozen day is Mon 27 Sep 2021. At 1280 and
375 px; screenshots test-artifacts/inforeports-*.png."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import docx
import pytest

from foodsafe.inforeports.models import Bulletin, InfoReport, ReportSchedule
from tests.evidence.files import pdf

from .conftest import login, logout, screenshot

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("width", [1280, 375])
def test_schedule_report_bulletin(page, site, district, office_admin, market_user, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto("/info-reports/")
    page.fill("#schedule-form #id_name", "创建工作信息月报")
    page.fill("#schedule-form #id_starts_on", "2021-07-01")
    page.click("#schedule-form button[type=submit]")
    page.wait_for_load_state("load")
    assert ReportSchedule.objects.get().due_workday == 5
    logout(page)

    login(page, "market_user")
    page.goto("/info-reports/")
    # Set up today (27 Sep): July (due Fri 6 Aug) and August (due Tue 7 Sep) fell due before
    # the schedule existed, so they are 不考核, not 逾期未报 (new-user finding N6).
    assert page.locator("#report-status tr.status-exempt").count() == 2
    assert page.locator("#report-status tr.status-missing").count() == 0
    # Had the schedule been set up on 1 July (entered late), both would be missing; September
    # is open either way.
    ReportSchedule.objects.update(created_at=datetime(2021, 7, 1, 9, tzinfo=BEIJING))
    page.reload()
    assert page.locator("#report-status tr.status-missing").count() == 2
    page.select_option("#id_period", index=0)  # the latest period first: 2021年9月
    page.fill("#id_title", "区市场监管局开展中秋月饼专项检查")
    page.fill("#id_body", "检查月饼生产企业 6 家，抽检 20 批次，全部合格。")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "检查记录.pdf", "mimeType": "application/pdf", "buffer": pdf()}],
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"inforeports-unit-{width}")
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state("load")
    report = InfoReport.objects.get()
    assert report.attachments.count() == 1 and report.period_start.month == 9
    logout(page)

    login(page, "office_admin")
    page.goto("/supervision/overdue/")
    late = page.locator("#late-reports")
    assert "区市场监管局" in late.inner_text()
    screenshot(page, f"inforeports-overdue-{width}")
    page.goto("/info-reports/")
    page.check(f"#report-{report.pk} input[type=checkbox]")
    page.fill("#id_issued_on", "2021-09-27")
    page.click("#bulletin-form button[type=submit]")
    page.wait_for_load_state("load")
    assert Bulletin.objects.get().number == 1
    screenshot(page, f"inforeports-office-{width}")
    with page.expect_download() as info:
        page.click("#bulletins a")
    path = tmp_path / "b.docx"
    info.value.save_as(path)
    texts = [p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs]
    assert "2021年第1期" in texts and "一、区市场监管局开展中秋月饼专项检查" in texts
