"""An inspector records an inspection checklist on a phone (375 px) and at desktop width, on
Mon 2021-09-27 (the suite's frozen day); then the office grades the year and reads the file.

The restaurant has no static-factor record: catering tier Ⅲ → 24 points. The inspector marks
6.2 (key, 5 points) and 9.1 (3 points) 不符合 → dynamic 8, one key item failed → 不符合.
Graded: 24 + 8 = 32 → B (30 < 32 ≤ 45).

A photo of item 9.1 is chosen before the first (refused) submission: it is not kept (the page
says so), chosen again, saved with the checklist and shown as a thumbnail on the operator file.
"""

from __future__ import annotations

import struct
import zlib

import pytest
from django.utils.functional import empty

from foodsafe.evidence.models import private_storage
from foodsafe.inspections.models import Inspection
from foodsafe.rectification.models import Rectification
from foodsafe.riskgrading.models import Checklist, ChecklistPhoto
from foodsafe.riskgrading.services import static_factors_record
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory
from tests.riskgrading.helpers import national

from .conftest import ARTIFACTS, login, screenshot

FAILED = {"6.2": "生熟容器混放", "9.1": "冷藏柜温度显示 12℃"}


def gradient_png(width: int = 96, height: int = 72) -> bytes:
    """A small RGB gradient, so the thumbnail is visibly a picture in the screenshot."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 255 // width, y * 255 // height, 160)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def screenshot_path(name: str):
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / f"{name}.png"


def choose_photo(page) -> None:
    page.set_input_files(
        "#p-9\\.1",
        files=[{"name": "冷藏柜.png", "mimeType": "image/png", "buffer": gradient_png()}],
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_checklist_on_a_phone(page, district, inspector, office_admin, market_user, width):
    # market_user: 区市场监管局 exists, which owns the rectification the failures become
    private_storage._wrapped = empty  # rebuilt around the site's temporary PRIVATE_MEDIA_ROOT
    shop = FoodBusinessFactory(name="示例面馆", business_format="restaurant", org_unit_id=SUB_A)
    # Its licence file's static factors (餐馆 table): 1,200 m² → 8; cold 5 → 3; pastry 5 → 2;
    # hot 120 → 5; perishable → 3; drinks 25 → 2; other 1 → 1; raw 0 → 0. Static = 24. Without
    # them the scheme grades nothing (no presumption from the 业态, h-grade), so the shop is
    # recorded here as an office would before grading.
    static_factors_record(
        business=shop,
        spec=national(),
        table="catering",
        values={
            "floor_area": 1200, "raw_food": 0, "cold_food": 5, "pastry": 5, "hot_food": 120,
            "perishable": True, "drinks": 25, "other_food": 1,
        },
        actor=office_admin,
    )  # fmt: skip
    page.set_viewport_size({"width": width, "height": 800})
    login(page, "inspector")
    page.goto(f"/risk/operators/{shop.pk}/")
    page.click("#new-checklist")
    page.wait_for_url("**/checklist/")
    screenshot(page, f"risk-checklist-empty-{width}", full_page=False)
    page.fill("#inspector_1", "张检查")
    page.fill("#badge_1", "12010001")
    page.fill("#inspector_2", "李检查")
    page.fill("#badge_2", "12010002")
    items = page.locator(".check-item")
    for n in range(items.count()):
        item = items.nth(n)
        code = item.get_attribute("id").removeprefix("item-")
        answer = "no" if code in FAILED else "yes"
        item.locator(f"input[value={answer}]").check()
        if code in FAILED:
            item.locator("input[type=text]").fill(FAILED[code])
    choose_photo(page)
    # first without a signature: refused with every answer kept
    page.click("#checklist-form button[type=submit]")
    page.wait_for_load_state("load")
    assert "须由被检查单位负责人签字" in page.locator("#checklist-errors").inner_text()
    assert page.locator("#item-6\\.2 input[value=no]").is_checked()
    assert "已选择的照片未保留" in page.locator("#photos-dropped").inner_text()
    page.fill("#signed_by", "王店长")
    choose_photo(page)
    page.locator("#item-9\\.1").screenshot(
        path=str(screenshot_path(f"risk-checklist-photo-{width}"))
    )
    screenshot(page, f"risk-checklist-filled-{width}")
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {width} px"
    page.click("#checklist-form button[type=submit]")
    page.wait_for_url(f"**/risk/operators/{shop.pk}/")
    message = page.locator(".messages").inner_text()
    assert "检查结果 不符合" in message and "动态风险分值 8" in message
    inspection = Inspection.objects.get(business=shop)
    checklist = Checklist.objects.get(inspection=inspection)
    assert (checklist.dynamic_score, checklist.key_failed, checklist.general_failed) == (8, 1, 1)
    assert checklist.signed_by == "王店长" and inspection.result == "noncompliant"
    assert Rectification.objects.get(inspection=inspection).business == shop  # 整改期限 10 days
    photo = ChecklistPhoto.objects.get(checklist=checklist)
    assert (photo.item, photo.content_type) == ("9.1", "image/png")
    page.locator(f"#inspection-{inspection.inspection_number} summary").click()
    thumb = page.locator(f"#inspection-{inspection.inspection_number} img.thumb")
    thumb.scroll_into_view_if_needed()
    # loading="lazy": the image is fetched only once scrolled into view, so wait for it (CI at
    # 375 px read it before it had arrived); a refused or blocked image never gets a width
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle(), timeout=10_000
    )
    assert thumb.evaluate("img => img.naturalWidth") == 96  # served, in CSP
    screenshot(page, f"risk-operator-inspection-{width}")

    # the office grades 2021 and the file says why the shop is B
    page.context.clear_cookies()
    login(page, "office_admin")
    page.goto("/risk/?year=2021")
    page.click("button[value=assess]")
    page.wait_for_load_state("load")
    assert "1" in page.locator("#grade-counts").inner_text()
    page.goto(f"/risk/operators/{shop.pk}/")
    card = page.locator("#grading-2021").inner_text()
    assert "静态 24.00 + 动态 8.00 = 32.00 分" in card
    assert inspection.inspection_number in card
    screenshot(page, f"risk-operator-graded-{width}")
