"""材料报送 in the browser (issue 17 point 1): 区市场监管局's user opens its 基础工作 filing,
writes the 自查说明, notes a catalogue line and files it; the office sees it filed, downloads the
module's zip (module / item / unit folders, catalogue, notes) and sees on 逾期督办 the tasks still
without approved evidence after 全面推动阶段 (the frozen day, 2021-09-27, is after 2021-08-31).
At 1280 and 375 px; screenshots test-artifacts/materials-*.png."""

from __future__ import annotations

import zipfile

import pytest
from django.core.management import call_command

from foodsafe.evidence.services import evidence_review, evidence_upload
from foodsafe.materials.models import MaterialFiling
from foodsafe.programme.models import ItemAssignment
from tests.evidence.files import pdf, upload

from .conftest import login, logout, screenshot


@pytest.fixture
def approved_plan(site, district, market_user, reviewer):
    call_command("loadprogramme", verbosity=0)
    target = ItemAssignment.objects.get(item__number=6, responsible_unit__code="market-regulation")
    evidence = evidence_upload(
        assignment=target,
        requirement="",
        title="2021年食品抽检计划",
        uploaded_file=upload(pdf(), "抽检计划.pdf"),
        actor=market_user,
    )
    return evidence_review(evidence=evidence, approve=True, reason="", actor=reviewer)


@pytest.mark.parametrize("width", [1280, 375])
def test_unit_files_and_office_downloads(page, approved_plan, office_admin, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "market_user")
    page.goto("/materials/")
    page.click("#filing-foundation-market-regulation a")
    page.wait_for_load_state("load")
    assert "2021年食品抽检计划" in page.locator("#catalogue").inner_text()
    page.fill("#id_self_check_text", "基础工作模块各项任务已完成，材料已归档。")
    page.fill(f"input[name=note-{approved_plan.pk}]", "原件存局办公室")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"materials-filing-{width}")
    page.click("#submit-filing")
    page.wait_for_load_state("load")
    assert page.locator("#filing-status").inner_text() == "已报送"
    filing = MaterialFiling.objects.get()
    assert filing.catalogue_notes == {str(approved_plan.pk): "原件存局办公室"}
    logout(page)

    login(page, "office_admin")
    page.goto("/materials/")
    row = page.locator("#filing-foundation-market-regulation")
    assert "已报送" in row.inner_text()
    screenshot(page, f"materials-index-{width}")
    page.select_option("#archive-module", "foundation")
    with page.expect_download() as info:
        page.click("#archive-form button[type=submit]")
    assert info.value.suggested_filename.startswith("材料报送-1-基础工作-2021")
    path = tmp_path / "m.zip"
    info.value.save_as(path)
    names = zipfile.ZipFile(path).namelist()
    assert (
        "1-基础工作/第06项-食品抽检/区市场监管局/第06项-区市场监管局-2021年食品抽检计划.pdf"
        in names
    )
    assert "1-基础工作/自查说明/区市场监管局.txt" in names

    page.goto("/supervision/overdue/")
    section = page.locator("#missing-evidence")
    assert "全面推动阶段" in section.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    section.scroll_into_view_if_needed()
    screenshot(page, f"materials-overdue-{width}")
