"""The monthly complaint statistics (第三十四条 定期公布) on the public page and the office's:
columns a citizen can read (按时办结 never above its base), 无数据 for a month with no rows,
the month forms people type, and the default month (the latest with data).

Calendar facts used (国务院办公厅 notice for 2021): no holiday or make-up day in November 2021.
A 投诉 received Mon 1 Nov 2021 has its acceptance decision due 7 working days later: Nov 2, 3,
4, 5, 8, 9, 10 → Wed 10 Nov (第十四条).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from foodsafe.complainthandling import selectors
from tests.factories import ComplaintFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Today, for the pages: Mon 7 Mar 2022, long after November 2021.
TODAY = datetime(2022, 3, 7, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def november(district):
    """Five 投诉 received Mon 1 Nov 2021 (acceptance due Wed 10 Nov) and one 举报:

    - refused Fri 5 Nov: in time → 不予受理, 办结, 按时;
    - refused Fri 12 Nov: two days late → 不予受理, 办结, not on time;
    - accepted Wed 3 Nov (in time), ended Sat 20 Nov, far inside 45 working days of 3 Nov,
      the end told Mon 22 Nov (due 7 working days after the end: Mon 22 – Tue 30 Nov)
      → 受理, 调解结束, 办结, 按时;
    - accepted Wed 3 Nov, not ended → 受理 only;
    - not yet decided → counted as received only.
    """
    day = date(2021, 11, 1)
    rows = [
        ComplaintFactory(received_on=day, decision="refused", decided_on=date(2021, 11, 5)),
        ComplaintFactory(received_on=day, decision="refused", decided_on=date(2021, 11, 12)),
        ComplaintFactory(
            received_on=day,
            decision="accepted",
            decided_on=date(2021, 11, 3),
            closed_on=date(2021, 11, 20),
            end_notified_on=date(2021, 11, 22),
        ),
        ComplaintFactory(received_on=day, decision="accepted", decided_on=date(2021, 11, 3)),
        ComplaintFactory(received_on=day),
        ComplaintFactory(received_on=day, kind="report"),
    ]
    assert {r.acceptance_due_on for r in rows[:5]} == {date(2021, 11, 10)}
    assert rows[2].end_notice_due_on == date(2021, 11, 30)
    return rows


def test_on_time_is_counted_within_its_base(november):
    stats = selectors.monthly_statistics(2021, 11)
    # Before: 办结 counted only the accepted-and-ended one (1) while 按时办结 also counted the
    # refusal made in time (2): "closed on time" above "closed". 办结 now counts both ways a
    # 投诉 is finished (RULES.md §4.3: a refusal, or the end of mediation): 2 refused + 1 ended.
    r = stats.received
    assert (r["complaint"], r["report"]) == (5, 1)
    assert (r["accepted"], r["refused"], r["closed"]) == (2, 2, 1)
    assert r["done"] == 3
    assert r["on_time"] == 2  # the refusal of 5 Nov and the mediation ended 20 Nov
    assert r["on_time"] <= r["done"] <= r["complaint"]
    assert stats.rows == 6


def test_the_page_names_what_each_column_counts(client, november):
    page = client.get(reverse("public:statistics"), {"month": "2021-11"}).content.decode()
    for heading in ("调解结束", "办结", "其中按时", "与创城测评第9项的关系"):
        assert heading in page
    # The 食品质量安全 row: 投诉 5, 受理 2, 不予受理 2, 调解结束 1, 办结 3, 其中按时 2, 举报 1 (the
    # factory's category is the model default).
    cells = '<td class="num">5</td><td class="num">2</td><td class="num">2</td>'
    cells += '<td class="num">1</td><td class="num">3</td><td class="num">2</td>'
    cells += '<td class="num">1</td>'
    assert cells in page


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("2021-11", (2021, 11)),
        ("2021-1", (2021, 1)),
        ("202111", (2021, 11)),
        ("2021/11", (2021, 11)),
        ("2021.11", (2021, 11)),
        ("2021年11月", (2021, 11)),
        (" 202111 ", (2021, 11)),
        ("2021-13", None),
        ("20211", None),
        ("21-11", None),
        ("1999-12", None),
        ("abc", None),
        ("", None),
    ],
)
def test_month_forms_people_type(typed, month):
    assert selectors.parse_month(typed) == month


def test_a_month_without_rows_is_no_data_not_zeros(client, november):
    # October 2021 has no complaint: before, a table of 0s ("投诉 0 件"); now 无数据.
    page = client.get(reverse("public:statistics"), {"month": "2021-10"}).content.decode()
    assert "2021年10月" in page
    assert "无数据" in page
    assert "投诉 0 件" not in page and "stats-category" not in page


def test_202111_shows_november(client, november):
    # Before: "202111" was not understood and the page quietly showed last month instead.
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("public:statistics"), {"month": "202111"}).content.decode()
    assert "2021年11月投诉举报统计" in page
    assert "month-not-understood" not in page and "month-defaulted" not in page


def test_default_is_the_latest_month_with_data_and_says_so(client, november):
    # Today is March 2022; the latest complaint was received in November 2021. Before: the page
    # opened on February 2022, a month with no rows, as a table of 0s.
    ComplaintFactory(received_on=date(2021, 9, 30))  # an earlier month is not the default
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("public:statistics")).content.decode()
    assert "2021年11月投诉举报统计" in page
    assert 'id="month-defaulted"' in page
    assert "无数据" not in page


def test_a_month_not_understood_is_said(client, november):
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("public:statistics"), {"month": "2021-13"}).content.decode()
    assert "未能识别月份“2021-13”" in page
    assert "2021年11月投诉举报统计" in page  # and the latest month with data is shown


def test_no_complaint_at_all_is_no_data(client, district):
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("public:statistics")).content.decode()
    assert "2022年3月投诉举报统计" in page
    assert "无数据" in page and "stats-category" not in page


def test_the_office_page_reads_the_same(client, office_admin, november):
    client.force_login(office_admin)
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("complainthandling:statistics")).content.decode()
    assert "2021年11月投诉举报统计" in page and "其中按时" in page
