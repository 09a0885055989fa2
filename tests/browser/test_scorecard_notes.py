"""The scorecard page's issue-10 notes in a real browser, at 1280 px and at 375 px (a phone):
依法期限内未结, the other reading with 结论不同, 不完整 with pending results, 未上报, 不适用, what an
item is missing, 台账数据只到 and the as-of note, and the 数据上报情况 table. At 375 px the page
itself must not scroll sideways (wide tables scroll inside their own box) and each note must
fit inside its table cell. Screenshots: test-artifacts/scorecard-notes-*.png.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from tests.conftest import DISTRICT, SUB_A
from tests.factories import CaseFactory, SamplingBatchFactory

from .conftest import ARTIFACTS, login, screenshot

#: A past period (the frozen clock is 2021-09-27), so the as-of date is its end, 2020-12-31.
PERIOD = "2020"


@pytest.fixture
def ledgers(site, district, office_admin):
    call_command("loadprogramme", verbosity=0)
    # A case filed 2020-12-20 and open on 12-31: inside its 90-day limit (依法期限内未结 1 件);
    # closing rate 1/1 = 100 %, the all-filed reading 1/2 = 50 % (结论不同).
    CaseFactory(
        org_unit__code=SUB_A,
        lead_received_on=date(2020, 3, 1),
        filed_on=date(2020, 3, 2),
        closed_on=date(2020, 4, 1),
    )
    CaseFactory(
        org_unit__code=SUB_A, lead_received_on=date(2020, 12, 18), filed_on=date(2020, 12, 20)
    )
    # Sampling ends on 2020-08-30 (台账数据只到); 40 evaluation batches all 待检 (不完整).
    on = date(2020, 8, 30)
    SamplingBatchFactory.create_batch(3, org_unit__code=SUB_A, sampled_on=on)
    SamplingBatchFactory.create_batch(
        40, org_unit__code=SUB_A, sampled_on=on, sampling_type="evaluation", conclusion="pending"
    )


def _overflowing(page, selector: str) -> list[str]:
    """Texts of the ``selector`` elements wider than their table cell (or the viewport)."""
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(el => {
            const box = el.getBoundingClientRect();
            const cell = el.closest('td, li, p') || document.body;
            const outer = cell.getBoundingClientRect();
            return box.right > outer.right + 1 || box.left < outer.left - 1;
        }).map(el => el.textContent.trim())""",
    )


@pytest.mark.parametrize("width", [1280, 375])
def test_notes_readable_at_desktop_and_phone_width(page, ledgers, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto(f"/scorecard/{DISTRICT}/{PERIOD}/")
    html = page.content()
    for text in (
        "依法期限内未结 1 件",
        "结论不同",
        "0 合格，0 不合格，40 待检",
        "未上报",
        "证据缺：",
        "台账数据只到 2020-08-30",
        "已结束的期间默认以期末为数据截至日",
        "数据上报情况",
    ):
        assert text in html, text
    # No sideways scrolling of the page itself (a wide table scrolls in .table-scroll).
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    notes = ".aside, .reading, .data-through, .as-of-note, .item-missing, td .small"
    assert _overflowing(page, notes) == []
    screenshot(page, f"scorecard-notes-{width}")
    # Close-ups of the parts with notes (a full page at 375 px is too tall to look at).
    for name, selector in (
        ("head", ".page-head"),
        ("enforcement", "#indicator-case_closing_rate"),
        ("pending", "#indicator-evaluation_pass_rate"),
        ("items", "ul.items >> nth=0"),
        ("reporting", "#reporting"),
    ):
        page.locator(selector).first.scroll_into_view_if_needed()
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator(selector).first.screenshot(
            path=str(ARTIFACTS / f"scorecard-notes-{width}-{name}.png")
        )
