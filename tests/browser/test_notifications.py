"""Notifications that arrive (issue 17 point 8), as a member unit's user meets them: after the
daily ``send-reminders`` the menu shows 通知 with an unread count, the list shows the overdue
reminder with a link to the item, and 标为已读 clears the count. At 1280 px and 375 px (the menu
wraps by whole entries, never one character per line). Screenshots:
test-artifacts/notifications-*.png."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from tests.supervision.helpers import rectification

from .conftest import login, screenshot


@pytest.fixture
def overdue(site, office_admin, market_user):
    # Created Wed 1 Sep 2021 with 3 working days → due Mon 6 Sep; on Mon 27 Sep (the frozen
    # day) it is overdue, so the daily job records an "overdue" reminder for 区市场监管局.
    item = rectification(
        owner="market-regulation",
        created_on=date(2021, 9, 1),
        working_days=3,
        creator=office_admin,
        title="后厨排水沟未加盖",
    )
    call_command("send-reminders", stdout=io.StringIO())
    return item


@pytest.mark.parametrize("width", [1280, 375])
def test_member_unit_reads_its_notification(page, overdue, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "market_user")
    badge = page.locator("#nav-unread")
    assert badge.inner_text() == "1"
    # The menu wraps by whole entries: no entry is taller than two lines of text, and the
    # page does not scroll sideways.
    heights = page.eval_on_selector_all(
        ".site-nav a", "els => els.map(e => e.getBoundingClientRect().height)"
    )
    assert heights and max(heights) < 48, heights
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"notifications-home-{width}", full_page=False)

    page.click(".site-nav a[href='/supervision/notifications/']")
    item = page.locator("li.notification.unread")
    assert item.count() == 1
    text = item.inner_text()
    assert (
        "整改督办提醒（已逾期）" in text and overdue.number in text and "后厨排水沟未加盖" in text
    )
    screenshot(page, f"notifications-list-{width}")
    item.locator("button", has_text="标为已读").click()
    page.wait_for_load_state("load")
    assert page.locator("li.notification.unread").count() == 0
    assert page.locator("#nav-unread").count() == 0
    page.click("text=查看事项")
    assert page.url.endswith(f"/rectifications/{overdue.pk}/")
