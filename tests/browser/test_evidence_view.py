"""Evidence as a reviewer and an uploader meet it in the browser (issue 17): the reviewer sees
a photo inline on the evidence page (no download needed), and the 在线查看 link serves it with
``inline``; the uploader withdraws (撤回) a wrong file before review; the evidence index is
searched, its filter kept in the URL. At 1280 and 375 px; screenshots
test-artifacts/evidence-*.png."""

from __future__ import annotations

import struct
import zlib

import pytest
from django.core.management import call_command

from foodsafe.evidence.models import Evidence
from foodsafe.evidence.services import evidence_upload
from foodsafe.programme.models import ItemAssignment
from tests.evidence.files import pdf, upload

from .conftest import login, screenshot


def photo(width: int = 240, height: int = 140) -> bytes:
    """A real PNG (a green band on grey), big enough to see in a screenshot."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00"
        + bytes((60, 160, 90) if height // 3 < y < 2 * height // 3 else (200, 200, 200)) * width
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def uploads(site, district, market_user, reviewer):
    call_command("loadprogramme", verbosity=0)
    target = ItemAssignment.objects.get(item__number=8, responsible_unit__code="market-regulation")
    picture = evidence_upload(
        assignment=target,
        requirement="",
        title="后厨整改后照片",
        uploaded_file=upload(photo(), "整改后.png", "image/png"),
        actor=market_user,
    )
    wrong = evidence_upload(
        assignment=target,
        requirement="",
        title="传错的文件",
        uploaded_file=upload(pdf(), "错误.pdf"),
        actor=market_user,
    )
    return picture, wrong


@pytest.mark.parametrize("width", [1280, 375])
def test_reviewer_sees_the_photo_inline(page, uploads, width):
    picture, _ = uploads
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "reviewer")
    page.goto(f"/evidence/{picture.pk}/")
    image = page.locator("#evidence-image")
    image.wait_for()
    assert page.evaluate("document.getElementById('evidence-image').naturalWidth") == 240
    box = image.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"evidence-inline-{width}")
    response = page.request.get(f"/evidence/{picture.pk}/view/")
    assert response.headers["content-disposition"].startswith("inline;")
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_uploader_withdraws_and_searches(page, uploads):
    _, wrong = uploads
    login(page, "market_user")
    page.goto(f"/evidence/{wrong.pk}/")
    page.click("#withdraw-form button[type=submit]")
    page.wait_for_load_state("load")
    assert not Evidence.objects.filter(pk=wrong.pk).exists()
    assert "已撤回" in page.content()

    page.goto("/evidence/")
    page.fill("#evidence-search input[name=q]", "8")
    page.select_option("#evidence-search select[name=show]", "pending")
    page.click("#evidence-search button[type=submit]")
    page.wait_for_load_state("load")
    assert "q=8" in page.url and "show=pending" in page.url
    rows = page.locator("section[aria-labelledby=assignments-title] tbody tr")
    assert rows.count() == 1 and rows.first.inner_text().startswith("8.")
    page.set_viewport_size({"width": 375, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(page, "evidence-index-375")
