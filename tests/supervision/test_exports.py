# ruff: noqa: F811  (the ledger fixtures are imported from test_pages and used by name)
"""Issue 11 §5: the overdue table (逾期督办) and the units' performance table (成员单位整改绩效)
downloaded as Excel, read back with openpyxl: the same rows, scope and filter as the page.

The ledger is the one of tests/supervision/test_pages.py, on Monday 2021-10-11 (time frozen):
区市场监管局 2 overdue (ZG m_late2 due 2021-09-06, m_late due 2021-09-30, 3 working days
late: 10-08, the make-up Saturday 10-09 and 10-11), 1 closed on time and 1 closed late;
区教育局 1 overdue and 1 open in time. Three overdue rows in all, two units.
Who may download is the permission matrix's (``supervision:overdue_export``: the page's
readers; ``supervision:performance_export``: the office). The pages show no personal data, and
the canary walk of tests/complaints/test_personal_data_everywhere.py opens these downloads too.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from urllib.parse import unquote

import openpyxl
import pytest
from django.urls import reverse

from foodsafe.lib.downloads import XLSX
from foodsafe.supervision.exports import OVERDUE_HEADERS, PERFORMANCE_HEADERS

from .helpers import rectification, unit
from .test_pages import frozen, ledger  # noqa: F401 (fixtures)

OVERDUE = reverse("supervision:overdue_export")
PERFORMANCE = reverse("supervision:performance_export")


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def table(sheet, headers) -> list[dict]:
    """The rows under the header row (row 3), as dicts, up to the first empty row."""
    assert [c.value for c in sheet[3]] == list(headers)
    out = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if row[0] is None:
            break
        out.append(dict(zip(headers, row, strict=True)))
    return out


def chinese_name(response) -> str:
    match = re.search(r"filename\*=UTF-8''([^;\s]+)", response["Content-Disposition"])
    return unquote(match.group(1))


def test_overdue_for_the_office(client, office_admin, ledger):
    client.force_login(office_admin)
    response = client.get(OVERDUE)
    book = workbook(response)
    assert chinese_name(response) == "逾期督办-20211011.xlsx"
    assert 'filename="overdue-20211011.xlsx"' in response["Content-Disposition"]
    sheet = book["逾期督办"]
    assert sheet["A1"].value == "逾期督办"
    assert sheet["A2"].value.startswith("截至 2021-10-11　范围：各责任单位　逾期事项 3 项")
    rows = table(sheet, OVERDUE_HEADERS)
    # As on the page: the unit with most overdue items first, its items by deadline.
    assert [(r["责任单位"], r["编号"]) for r in rows] == [
        ("区市场监管局", ledger["m_late2"].number),
        ("区市场监管局", ledger["m_late"].number),
        ("区教育局", ledger["e_late"].number),
    ]
    late = rows[1]
    assert late["问题"] == ledger["m_late"].title
    assert late["整改期限"] == datetime(2021, 9, 30)  # a real date cell
    assert late["逾期（工作日）"] == 3  # 10-08, 10-09 (make-up working day), 10-11
    assert late["最近提醒"] == datetime(2021, 10, 9)
    assert late["状态"] == "待整改" and late["期限暂定"] == "否"
    assert rows[0]["最近提醒"] is None  # never reminded: an empty cell, as "—" on the page
    # Not overdue: the item still in time and the closed ones.
    numbers = {r["编号"] for r in rows}
    for key in ("e_open", "m_on_time", "m_closed_late"):
        assert ledger[key].number not in numbers


def test_overdue_for_a_member_unit_is_its_own(client, education_user, ledger):
    client.force_login(education_user)
    response = client.get(OVERDUE)
    book = workbook(response)
    assert chinese_name(response) == "逾期督办-区教育局-20211011.xlsx"
    sheet = book["逾期督办"]
    assert "范围：区教育局　逾期事项 1 项" in sheet["A2"].value
    rows = table(sheet, OVERDUE_HEADERS)
    assert [(r["责任单位"], r["编号"]) for r in rows] == [("区教育局", ledger["e_late"].number)]
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [t for t in texts if "区市场监管局" in t or ledger["m_late"].number in t]


def test_overdue_with_nothing_overdue(client, market_user, db):
    client.force_login(market_user)
    sheet = workbook(client.get(OVERDUE))["逾期督办"]
    assert "逾期事项 0 项" in sheet["A2"].value
    assert table(sheet, OVERDUE_HEADERS) == []


def test_performance_with_and_without_the_year_filter(client, office_admin, ledger):
    client.force_login(office_admin)
    response = client.get(PERFORMANCE)
    assert chinese_name(response) == "成员单位整改绩效-全部年度-20211011.xlsx"
    sheet = workbook(response)["整改绩效"]
    assert sheet["A1"].value == "成员单位整改绩效"
    assert sheet["A2"].value == "截至 2021-10-11　全部年度"
    rows = {r["责任单位"]: r for r in table(sheet, PERFORMANCE_HEADERS)}
    assert list(rows) == ["区市场监管局", "区教育局"]  # most overdue first, as the page
    market, education = rows["区市场监管局"], rows["区教育局"]
    # 4 items; closed m_on_time (on 09-10, due later) and m_closed_late (on 09-20, due 09-06)
    assert (market["整改事项"], market["已销号"], market["按期销号"]) == (4, 2, 1)
    assert market["按期销号率（%）"] == 50.0  # 1 ÷ 2
    assert (market["未销号"], market["逾期事项"], market["材料退回"]) == (2, 2, 0)
    # Nothing closed: no rate, "—" as on the page, never 0.
    assert education["已销号"] == 0 and education["按期销号率（%）"] == "—"
    assert education["逾期事项"] == 1

    response = client.get(PERFORMANCE, {"year": "2020"})
    assert chinese_name(response) == "成员单位整改绩效-2020年-20211011.xlsx"
    assert 'filename="performance-2020-20211011.xlsx"' in response["Content-Disposition"]
    sheet = workbook(response)["整改绩效"]
    assert sheet["A2"].value == "截至 2021-10-11　2020 年销号与退回"
    rows = {r["责任单位"]: r for r in table(sheet, PERFORMANCE_HEADERS)}
    # No closing in 2020; overdue and open are as of today whatever the year.
    assert rows["区市场监管局"]["已销号"] == 0 and rows["区市场监管局"]["逾期事项"] == 2
    assert client.get(PERFORMANCE, {"year": "20x1"}).status_code == 400


def test_the_pages_link_their_exports(client, office_admin, ledger):
    client.force_login(office_admin)
    html = client.get(reverse("supervision:overdue")).content.decode()
    assert f'href="{OVERDUE}" download>导出逾期事项（Excel）' in html
    html = client.get(reverse("supervision:performance"), {"year": "2021"}).content.decode()
    assert f'href="{PERFORMANCE}?year=2021" download>导出绩效表（Excel）' in html


@pytest.mark.parametrize(("url", "rows"), [(OVERDUE, 3), (PERFORMANCE, 2)])
def test_query_counts_do_not_grow_with_units(client, office_admin, ledger, url, rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office_admin)
    client.get(url)  # warm the session and profile caches
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for code in ("health", "commerce"):
        rectification(
            owner=unit(code), created_on=date(2021, 9, 1), working_days=3, creator=office_admin
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(after) == len(before)
    headers = OVERDUE_HEADERS if url == OVERDUE else PERFORMANCE_HEADERS
    sheet = workbook(response).worksheets[0]
    assert len(table(sheet, headers)) == rows + 2  # one more row per new unit
