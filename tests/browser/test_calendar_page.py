"""The office loads next year's holiday arrangement in a real browser, at desktop width and at
375 px, on Mon 2026-12-07 (2027 has no arrangement).

A rectification created that day with 20 working days, statutory holidays only: Tue 8 – Fri 11
Dec (4), 14–18 (9), 21–25 (14), Mon 28 – Thu 31 (18), [Fri 1 Jan 2027 元旦], Mon 4 (19), Tue 5
Jan (20) → 2027-01-05 暂定. The uploaded (made-up) 2027 arrangement keeps 1 January as the only
day off then, so the preview lists it as 2027-01-05 暂定 → 2027-01-05, and confirming clears 暂定.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from foodsafe.rectification.services import rectification_create
from foodsafe.workdays.models import HolidayArrangement
from tests.workdays.sheet_helpers import filled_template

from .conftest import login, screenshot


@pytest.fixture
def frozen_time() -> Iterator[None]:
    import time_machine

    when = datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(when, tick=True):
        yield


@pytest.mark.parametrize("width", [1280, 375])
def test_upload_preview_confirm(page, office_admin, tmp_path, width):
    from tests.rectification.helpers import unit

    rect = rectification_create(
        title="跨年整改", owner_unit=unit("market-regulation"), source="self_check",
        working_days=20, actor=office_admin,
    )  # fmt: skip
    assert (rect.deadline, rect.deadline_provisional) == (date(2027, 1, 5), True)
    sheet = tmp_path / "节假日安排-2027.xlsx"
    sheet.write_bytes(filled_template())
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto("/supervision/calendar/")
    row = page.locator("#calendar-years tr", has_text="2027")
    assert "暂定" in row.inner_text()
    screenshot(page, f"calendar-{width}")
    page.set_input_files("#calendar-upload input[type=file]", str(sheet))
    page.click("#calendar-upload button[type=submit]")
    page.wait_for_url("**/supervision/calendar/preview/**")
    change = page.locator("#deadline-changes tbody tr", has_text=rect.number)
    cells = change.locator("td").all_inner_texts()
    assert cells[3].startswith("2027-01-05") and "暂定" in cells[3]
    assert cells[4] == "2027-01-05"
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px at {width}px"
    screenshot(page, f"calendar-preview-{width}")
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    page.click("#calendar-confirm button[type=submit]")
    page.wait_for_url("**/supervision/calendar/2027/")
    assert "已载入 2027 年节假日安排" in page.inner_text("main")
    screenshot(page, f"calendar-2027-{width}")
    rect.refresh_from_db()
    assert (rect.deadline, rect.deadline_provisional) == (date(2027, 1, 5), False)
