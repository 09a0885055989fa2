"""The preview's 读取说明 (reading notes) in a real browser, at desktop width and at 375 px: a
file whose codes carry invisible characters (tests/data/make_quirks.py ``codes_csv``, rows 2–6)
is uploaded through /imports/; the section lists, one item per note, what was stripped and
where, before the user confirms; the import then stores the clean codes."""

from __future__ import annotations

import pytest

from foodsafe.registry.models import FoodBusiness
from tests.imports.test_real_file_quirks import quirks

from .conftest import login, screenshot


@pytest.mark.parametrize("width", [1280, 375])
def test_preview_shows_the_reading_notes(page, district, office_admin, tmp_path, width):
    path = quirks.codes_csv(tmp_path)
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    path.write_text("".join(lines[:6]), encoding="utf-8-sig")  # rows 7–8 are refused
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "office_admin")
    page.goto("/imports/")
    page.select_option("#id_ledger", "businesses")
    page.set_input_files("#id_file", str(path))
    page.click("form.upload-form button[type=submit]")
    page.wait_for_url("**/imports/preview/**")

    heading = page.locator("#notes-title")
    assert heading.inner_text() == "读取说明" and heading.is_visible()
    notes = page.locator("section[aria-labelledby=notes-title] li").all_inner_texts()
    # The same five notes the preview object holds (test_real_file_quirks spells them out).
    assert (
        notes[0] == "第2行 统一社会信用代码：统一社会信用代码中的不可见字符已去除：U+200B 零宽空格"
    )
    assert notes[4] == "第6行 许可证编号：许可证编号中的不可见字符已去除：U+200B 零宽空格"
    assert len(notes) == 5
    # The notes come before the confirm button is needed: nothing is written yet.
    assert FoodBusiness.objects.count() == 0
    # At 375 px the section fits: no note is wider than the page.
    too_wide = page.evaluate(
        "() => [...document.querySelectorAll('section[aria-labelledby=notes-title] li')]"
        ".filter((li) => li.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    assert too_wide == 0
    screenshot(page, f"import-notes-{width}")

    page.click("form[action$='/confirm/'] button[type=submit]")
    page.wait_for_url("**/imports/log/**")
    assert FoodBusiness.objects.count() == 5
    assert all("\u200b" not in (b.uscc or "") for b in FoodBusiness.objects.all())
