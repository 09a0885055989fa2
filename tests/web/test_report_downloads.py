"""Issue 11 §5: the Word self-evaluation report and the Excel scorecard downloaded from the
scorecard page, generated on request with the real engine over ledger rows made here.

The data: 和平区（测试） with 2,500 residents in 2021 and 9 surveillance batches sampled on
2021-06-01 in A街道. Indicator 年均食品安全抽检量 (sampling_per_thousand, 实施方案 第13条,
target ≥ 4 批次/千人 a year) is then 9 / 2,500 × 1,000 = 3.6 批次/千人: 未达标, and
4 × 2,500 / 1,000 = 10 batches are needed, so the gap is 10 − 9 = 1 batch (还需抽检 1 批次).
Each file is opened with openpyxl / python-docx and these values are read back from it.

Who may download what is the permission matrix's (tests/web/test_permissions.py, the rules
``web:scorecard_xlsx`` and ``web:scorecard_docx``); here: the headers, the content, 404s and
that nothing touches the disk.
"""

from __future__ import annotations

import io
import re
import tempfile
from datetime import date
from urllib.parse import unquote

import docx
import openpyxl
import pytest
from django.urls import reverse

from foodsafe.lib.downloads import DOCX, XLSX, ascii_fallback, content_disposition
from tests.conftest import DISTRICT, SUB_A
from tests.factories import PopulationFactory, SamplingBatchFactory
from tests.web.test_security import assert_strict_csp, inline_code

INDICATOR = "年均食品安全抽检量"
TITLE_DOCX = "和平区（测试）2021年创建国家食品安全示范城市工作自查自评报告"
TITLE_XLSX = "和平区（测试）2021年指标评价表"


def xlsx_url(org: str = DISTRICT, period: str = "2021") -> str:
    return reverse("web:scorecard_xlsx", kwargs={"org_code": org, "period": period})


def docx_url(org: str = DISTRICT, period: str = "2021") -> str:
    return reverse("web:scorecard_docx", kwargs={"org_code": org, "period": period})


@pytest.fixture
def ledgers(district):
    PopulationFactory(org_unit__code=DISTRICT, year=2021, resident_population=2500)
    SamplingBatchFactory.create_batch(9, org_unit__code=SUB_A, sampled_on=date(2021, 6, 1))


@pytest.fixture
def member(client, market_user):
    """A member unit (区市场监管局): the scorecard page is open to every role."""
    client.force_login(market_user)
    return client


def filename_star(response) -> str:
    """The UTF-8 name of ``filename*=UTF-8''…`` in the response's Content-Disposition."""
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return unquote(match.group(1), encoding="utf-8")


def filename_plain(response) -> str:
    match = re.search(r'filename="([^"]*)"', response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return match.group(1)


def test_the_excel_scorecard(member, ledgers):
    response = member.get(xlsx_url())
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert filename_star(response) == TITLE_XLSX + ".xlsx"
    assert filename_plain(response) == f"scorecard-{DISTRICT}-2021.xlsx"  # as assess --out
    assert response["Cache-Control"] == "private, no-store"
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.properties.title == TITLE_XLSX
    sheet = book["指标"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    row = next(r for r in rows if r["指标"] == INDICATOR)
    assert (row["序号"], row["分子"], row["分母"]) == (13, 9, 2500)
    assert row["数值"] == pytest.approx(3.6)  # 9 / 2,500 × 1,000
    assert row["状态"] == "未达标"
    assert row["差距"] == "还需抽检 1 批次"  # 10 needed − 9 sampled
    about = {r[0]: r[1] for r in book["说明"].iter_rows(values_only=True) if r[0]}
    text = " ".join(str(v) for v in about.values())
    assert "和平区（测试）" in text and DISTRICT in text and "2021年" in text


def test_the_word_report(member, ledgers):
    response = member.get(docx_url())
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert filename_star(response) == TITLE_DOCX + ".docx"
    assert filename_plain(response) == f"self-evaluation-{DISTRICT}-2021.docx"
    document = docx.Document(io.BytesIO(response.content))
    assert document.core_properties.title == TITLE_DOCX
    paragraphs = [p.text for p in document.paragraphs]
    # The title, broken before 工作自查自评报告 (GB/T 9704 7.3.2) when long.
    assert paragraphs[0].replace("\n", "") == TITLE_DOCX
    # The opening paragraph names the period: 2021年（2021年1月1日至2021年12月31日）.
    assert any("对2021年（2021年1月1日至2021年12月31日）创建工作" in p for p in paragraphs)
    # The indicator table of 二、能力建设 (item 13): value, target, status, gap.
    rows = [tuple(c.text for c in row.cells) for table in document.tables for row in table.rows[1:]]
    row = next(r for r in rows if r[1] == INDICATOR)
    assert row == ("13", INDICATOR, "3.60 批次/千人", "≥ 4 批次/千人", "未达标", row[5])
    assert row[5].startswith("还需抽检 1 批次")
    # 四、差距与责任单位 lists it with the same figures.
    gap = next(p for p in paragraphs if f"{INDICATOR}（第13项）" in p)
    assert "当前3.60 批次/千人，目标≥ 4 批次/千人，未达标；差距：还需抽检 1 批次。" in gap


def test_a_subdistrict_and_a_month(member, ledgers):
    """A街道 in June 2021: the 9 batches are all its own and fall in that month; it has no
    population of its own, so the per-thousand indicator has no denominator: 无数据, not 0."""
    response = member.get(xlsx_url(SUB_A, "202106"))
    assert response.status_code == 200
    assert filename_star(response) == "A街道（测试）2021年6月指标评价表.xlsx"
    assert filename_plain(response) == f"scorecard-{SUB_A}-202106.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["指标"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    row = next(r for r in rows if r["指标"] == INDICATOR)
    assert row["数值"] is None and row["状态"] == "无数据"


def test_nothing_is_written_to_disk(member, ledgers, monkeypatch):
    """XlsxWriter writes through temporary files unless ``in_memory``; python-docx saves to
    the buffer it is given. With temporary files refused, both downloads still work."""

    def refuse(*args, **kwargs):
        raise AssertionError("a download wrote a temporary file")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    assert member.get(xlsx_url()).status_code == 200
    assert member.get(docx_url()).status_code == 200


@pytest.mark.parametrize("url", [xlsx_url, docx_url])
def test_unknown_unit_and_bad_period_are_404(member, district, url):
    assert member.get(url("999999999999")).status_code == 404
    assert member.get(url(DISTRICT, "2021Q5")).status_code == 404


def test_anonymous_and_roleless_users_get_no_file(client, district, outsider):
    response = client.get(xlsx_url())
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    client.force_login(outsider)
    assert client.get(docx_url()).status_code == 403


def test_the_page_links_both_files(member, district):
    """Plain links (a click downloads, no script), under the page's strict CSP."""
    response = member.get(reverse("web:scorecard", args=[DISTRICT, "2021Q3"]))
    html = response.content.decode()
    assert f'href="{docx_url(DISTRICT, "2021Q3")}" download>下载自评报告（Word）' in html
    assert f'href="{xlsx_url(DISTRICT, "2021Q3")}" download>下载指标评价表（Excel）' in html
    assert_strict_csp(response, "scorecard page")
    assert inline_code(html) == []


# -- the Content-Disposition header ---------------------------------------------------------


def test_content_disposition_has_both_names():
    header = content_disposition("和平区 2021年 指标评价表.xlsx", "scorecard-1-2021.xlsx")
    # UTF-8 percent-encoded: 和 = E5 92 8C; a space = %20 (not an RFC 8187 attr-char).
    assert header == (
        'attachment; filename="scorecard-1-2021.xlsx"; '
        "filename*=UTF-8''%E5%92%8C%E5%B9%B3%E5%8C%BA%202021%E5%B9%B4%20"
        "%E6%8C%87%E6%A0%87%E8%AF%84%E4%BB%B7%E8%A1%A8.xlsx"
    )


def test_content_disposition_cannot_be_broken_out_of():
    # Quotes, semicolons, CR/LF and path separators never reach the header raw.
    header = content_disposition('a";\r\nX-Evil: 1/..\\b.xlsx', 'x"y;z.xlsx')
    assert "\r" not in header and "\n" not in header
    assert header.startswith("attachment; filename=\"x-y-z.xlsx\"; filename*=UTF-8''")
    encoded = header.split("''", 1)[1]
    assert re.fullmatch(r"[A-Za-z0-9!#$&+\-.^_`|~%]+", encoded)


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("overdue-20210927.xlsx", "overdue-20210927.xlsx"),
        ("逾期督办-20210927.xlsx", "20210927.xlsx"),  # the Chinese part dropped
        ("逾期督办.xlsx", "download.xlsx"),  # nothing ASCII left in the stem
        ("no extension", "no-extension"),
    ],
)
def test_ascii_fallback(name, plain):
    assert ascii_fallback(name) == plain
