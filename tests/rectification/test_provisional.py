"""暂定 (provisional) shown wherever a rectification's deadline is shown or exported (issue 9
point 1): the ledger list and its .xlsx export, the item's page, the overdue page, the task
item page and a member unit's home page.

Two rectifications of 区市场监管局, created on Sun 2026-12-06 (2026 is arranged; 2027 is not):
- 20 working days, counted into 2027 with the statutory holidays only: Mon 7 – Fri 11 Dec
  (5), 14–18 (10), 21–25 (15), Mon 28 – Thu 31 (19), [Fri 1 Jan 2027 元旦], Mon 4 Jan (20)
  → 2027-01-04, 暂定;
- 5 working days, all in December 2026 (arranged): Mon 7 – Fri 11 → 2026-12-11, not 暂定.
The overdue page is looked at on Fri 2027-01-15, when both are overdue.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from foodsafe.rectification.services import rectification_create
from tests.rectification.helpers import frozen
from tests.tasks.board_data import assignment, load_programme

pytestmark = pytest.mark.django_db

ITEM = 6
BADGE = 'class="badge provisional"'


@pytest.fixture
def two(office_admin):
    load_programme(items=ITEM)
    target = assignment(ITEM, "market-regulation")
    with frozen(date(2026, 12, 6)):
        late = rectification_create(
            title="跨年整改", owner_unit=target.responsible_unit, source="self_check",
            working_days=20, actor=office_admin, item=target.item,
        )  # fmt: skip
        early = rectification_create(
            title="年内整改", owner_unit=target.responsible_unit, source="self_check",
            working_days=5, actor=office_admin, item=target.item,
        )  # fmt: skip
    assert (late.deadline, late.deadline_provisional) == (date(2027, 1, 4), True)
    assert (early.deadline, early.deadline_provisional) == (date(2026, 12, 11), False)
    return late, early


def _row(html: str, number: str) -> str:
    """The table row that holds ``number``."""
    start = html.index(number)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def _get(user, url: str) -> str:
    client = Client()
    with frozen(date(2027, 1, 15)):  # log in on that day: a session from today would expire
        client.force_login(user)
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_ledger_list_marks_only_the_provisional_deadline(two, office_admin):
    late, early = two
    html = _get(office_admin, reverse("rectification:list"))
    assert BADGE in _row(html, late.number) and "2027-01-04" in _row(html, late.number)
    assert BADGE not in _row(html, early.number)


def test_detail_page_says_provisional_and_why(two, office_admin):
    late, early = two
    html = _get(office_admin, reverse("rectification:detail", args=[late.pk]))
    deadline = re.search(r'<dd id="deadline">.*?</dd>', html, re.S).group(0)
    assert "2027-01-04" in deadline and BADGE in deadline and "载入后自动重算" in deadline
    html = _get(office_admin, reverse("rectification:detail", args=[early.pk]))
    assert BADGE not in re.search(r'<dd id="deadline">.*?</dd>', html, re.S).group(0)


def test_overdue_page(two, office_admin):
    late, early = two
    html = _get(office_admin, reverse("supervision:overdue"))
    assert BADGE in _row(html, late.number)
    assert BADGE not in _row(html, early.number)


def test_task_item_page_and_member_unit_home(two, office_admin, market_user):
    late, early = two
    html = _get(office_admin, reverse("tasks:item", kwargs={"number": ITEM}))
    assert BADGE in _row(html, late.number) and BADGE not in _row(html, early.number)
    html = _get(market_user, reverse("web:home"))
    assert BADGE in _row(html, late.number) and BADGE not in _row(html, early.number)


def test_export_keeps_a_date_and_says_provisional(two, office_admin):
    late, early = two
    client = Client()
    with frozen(date(2027, 1, 15)):
        client.force_login(office_admin)
        response = client.get(reverse("rectification:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[1].value.split("（")[0]: r for r in sheet.iter_rows(min_row=4)}
    deadline, flag = rows["跨年整改"][5], rows["跨年整改"][10]
    assert deadline.value == datetime(2027, 1, 4)  # still a date to sort and filter by
    assert deadline.number_format == 'yyyy-mm-dd"（暂定）"'
    assert (sheet["K3"].value, flag.value) == ("期限暂定", "是")
    assert rows["年内整改"][5].number_format == "yyyy-mm-dd"
    assert rows["年内整改"][10].value == "否"


def test_created_message_says_provisional(office_admin):
    load_programme(items=ITEM)
    client = Client()
    with frozen(date(2026, 12, 6)):
        client.force_login(office_admin)
        response = client.post(
            reverse("rectification:create"),
            {
                "title": "跨年整改",
                "owner_unit": assignment(ITEM, "market-regulation").responsible_unit.pk,
                "source": "self_check",
                "working_days": 20,
            },
            follow=True,
        )
    assert "整改期限 2027-01-04（暂定）" in response.content.decode()
