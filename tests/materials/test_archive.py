"""材料报送's archive (issue 17 point 1): one zip per module or for the district, folders
module / item / unit, the catalogue as Excel and Word, each unit's 自查说明, every approved file
named by item and unit; names safe and UTF-8; files copied from storage, not held in memory."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pytest
from django.http import FileResponse
from django.urls import reverse

from foodsafe.evidence.models import private_storage
from foodsafe.materials.archive import safe_component, unique_path
from foodsafe.materials.selectors import module_or_404
from foodsafe.materials.services import material_filing_save
from foodsafe.orgunits.models import ResponsibleUnit
from tests.evidence import files
from tests.scorecard.conftest import full_spec

from .helpers import approved

SPEC = full_spec()
FOUNDATION = "1-基础工作"  # group foundation: number 1, title 基础工作 in heping-2021.yaml


@pytest.fixture
def district_files(assignment, market_user, education_user, reviewer):
    """Item 6 (食品抽检, 区市场监管局 only) and item 8 (集中整治, 区市场监管局 and 区教育局)."""
    market6 = assignment(6, "market-regulation")
    market8 = assignment(8, "market-regulation")
    education8 = assignment(8, "education")
    plan = approved(market6, by=market_user, reviewer=reviewer, title="2021年抽检计划")
    hostile = approved(
        market8, by=market_user, reviewer=reviewer, title="../../etc/passwd",
        content=files.png(), name="p.png",
    )  # fmt: skip
    summary = approved(
        education8, by=education_user, reviewer=reviewer, title="整治总结",
        content=files.docx(), name="总结.docx",
    )  # fmt: skip
    # Neither a file waiting for review nor a rejected one is material to hand over.
    approved(market6, by=market_user, reviewer=reviewer, title="待审材料", approve=None)
    approved(market6, by=market_user, reviewer=reviewer, title="退回材料", approve=False)
    market = ResponsibleUnit.objects.get(code="market-regulation")
    material_filing_save(
        spec=SPEC,
        group=module_or_404(SPEC, "foundation"),
        unit=market,
        text="本模块任务已全部完成。\n抽检计划按月推进。",
        notes={str(plan.pk): "原件存档于局办公室"},
        uploaded_file=files.upload(files.pdf(), "自查说明.pdf"),
        submit=True,
        actor=market_user,
    )
    return {"plan": plan, "hostile": hostile, "summary": summary}


def download(client, user, module: str = "") -> zipfile.ZipFile:
    client.force_login(user)
    response = client.get(reverse("materials:archive"), {"module": module} if module else {})
    assert response.status_code == 200
    # Streamed from a temporary file, never built as one bytes object in the view.
    assert isinstance(response, FileResponse) and response.streaming
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    return zipfile.ZipFile(io.BytesIO(body))


def foundation_unit_names() -> set[str]:
    """Every unit the spec assigns to an item of 基础工作, worked out from the spec itself."""
    codes = {u.unit for i in SPEC.items if i.group == "foundation" for u in i.units}
    return {u.name for u in SPEC.responsible_units if u.code in codes}


def test_module_archive_tree(client, office_admin, district_files):
    zf = download(client, office_admin, "foundation")
    names = set(zf.namelist())
    files_expected = {
        f"{FOUNDATION}/第06项-食品抽检/区市场监管局/第06项-区市场监管局-2021年抽检计划.pdf",
        # The title's "/" became "_": the file stays in its unit's folder.
        f"{FOUNDATION}/第08项-集中整治/区市场监管局/第08项-区市场监管局-.._.._etc_passwd.png",
        f"{FOUNDATION}/第08项-集中整治/区教育局/第08项-区教育局-整治总结.docx",
    }
    notes = {f"{FOUNDATION}/自查说明/{name}.txt" for name in foundation_unit_names()}
    expected = (
        files_expected
        | notes
        | {
            f"{FOUNDATION}/资料清单目录.xlsx",
            f"{FOUNDATION}/资料清单目录.docx",
            f"{FOUNDATION}/自查说明/区市场监管局-附件.pdf",
        }
    )
    assert names == expected
    # The stored bytes, unchanged.
    assert zf.read(sorted(files_expected)[0]) in (files.pdf(), files.png(), files.docx())
    assert (
        zf.read(f"{FOUNDATION}/第06项-食品抽检/区市场监管局/第06项-区市场监管局-2021年抽检计划.pdf")
        == files.pdf()
    )
    for info in zf.infolist():
        parts = info.filename.split("/")
        assert ".." not in parts and not info.filename.startswith("/")
        if not info.filename.isascii():
            assert info.flag_bits & 0x800, f"{info.filename}: UTF-8 flag not set"
    note = zf.read(f"{FOUNDATION}/自查说明/区市场监管局.txt").decode("utf-8-sig")
    assert "已报送" in note and "抽检计划按月推进。" in note
    assert "未报送自查说明" in zf.read(f"{FOUNDATION}/自查说明/区教育局.txt").decode("utf-8-sig")


def test_catalogue_excel_and_word(client, reviewer, district_files):
    zf = download(client, reviewer, "foundation")
    sheet = openpyxl.load_workbook(io.BytesIO(zf.read(f"{FOUNDATION}/资料清单目录.xlsx"))).active
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=4)]
    # Ordered by item, then the plan's unit order (item 8: 区市场监管局 before 区教育局).
    assert [(r[2], r[3], r[5], r[9]) for r in rows] == [
        ("第6项 食品抽检", "区市场监管局", "2021年抽检计划", "原件存档于局办公室"),
        ("第8项 集中整治", "区市场监管局", "../../etc/passwd", ""),
        ("第8项 集中整治", "区教育局", "整治总结", ""),
    ]
    assert (
        rows[0][6]
        == f"{FOUNDATION}/第06项-食品抽检/区市场监管局/第06项-区市场监管局-2021年抽检计划.pdf"
    )
    word = docx.Document(io.BytesIO(zf.read(f"{FOUNDATION}/资料清单目录.docx")))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "本模块任务已全部完成。" in text and "（未报送自查说明）" in text
    cells = [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert "原件存档于局办公室" in cells and "2021年抽检计划" in cells


def test_district_archive_has_every_module(client, office_admin, district_files):
    zf = download(client, office_admin)
    names = set(zf.namelist())
    for group in SPEC.groups:
        assert f"{group.number}-{group.title}/资料清单目录.xlsx" in names
    total = openpyxl.load_workbook(io.BytesIO(zf.read("资料清单总目录.xlsx"))).active
    assert total.max_row == 3 + 3  # title, date, header + the three approved files


def test_file_gone_from_storage_is_listed(client, office_admin, district_files):
    private_storage.delete(district_files["summary"].file.name)
    zf = download(client, office_admin, "foundation")
    gone = f"{FOUNDATION}/第08项-集中整治/区教育局/第08项-区教育局-整治总结.docx"
    assert gone not in zf.namelist()
    assert gone in zf.read("缺失文件.txt").decode("utf-8-sig")


def test_units_and_inspectors_get_no_archive(client, market_user, inspector, programme):
    for user in (market_user, inspector):
        client.force_login(user)
        assert client.get(reverse("materials:archive")).status_code == 403
    client.force_login(market_user)
    assert client.get(reverse("materials:archive"), {"module": "x"}).status_code == 403


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "_.._etc_passwd"),  # leading dots stripped, separators replaced
        ("..\\..\\boot.ini", "_.._boot.ini"),
        ("CON.txt", "_CON.txt"),
        ("区市场监管局：抽检*计划?.pdf", "区市场监管局：抽检_计划_.pdf"),  # full-width colon kept
        ("a\x00b\nc.pdf", "abc.pdf"),
        ("  . ", "未命名"),
        ("食" * 100 + ".pdf", "食" * 76 + ".pdf"),  # 80 characters, extension kept
    ],
)
def test_safe_component(name, safe):
    assert safe_component(name) == safe


def test_unique_path():
    taken: set[str] = set()
    assert unique_path("a/材料.pdf", taken) == "a/材料.pdf"
    assert unique_path("a/材料.pdf", taken) == "a/材料（2）.pdf"
    assert unique_path("a/材料.pdf", taken) == "a/材料（3）.pdf"
