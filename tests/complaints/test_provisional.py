"""The complaints ledger page shows each complaint's deadlines, with 暂定 on a provisional one
(issue 9 point 1).

- Received Thu 2026-12-24: acceptance within 7 working days (投诉举报处理暂行办法 第十四条):
  Fri 25 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5), [Fri 1 Jan 2027 元旦, statutory],
  Mon 4 (6), Tue 5 Jan (7) → 2027-01-05, 暂定 (2027 has no arrangement).
- Received Mon 2026-11-02: Tue 3 … Fri 6 (4), Mon 9 (5), Tue 10 (6), Wed 11 (7) → 2026-11-11,
  not provisional (2026 is arranged).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from foodsafe.complaints.models import Complaint
from foodsafe.complaints.services import complaint_save
from tests.conftest import SUB_A
from tests.rectification.helpers import frozen

pytestmark = pytest.mark.django_db
BADGE = 'class="badge provisional"'


def _row(html: str, number: str) -> str:
    start = html.index(number)
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def test_the_list_marks_the_provisional_deadline(district, office_admin):
    saved = {}
    for number, received in (("TS-DEC", date(2026, 12, 24)), ("TS-NOV", date(2026, 11, 2))):
        saved[number] = complaint_save(
            complaint=Complaint(
                complaint_number=number, kind="complaint", org_unit_id=SUB_A, received_on=received
            ),
            actor=office_admin,
        )
    assert (saved["TS-DEC"].acceptance_due_on, saved["TS-DEC"].deadline_provisional) == (
        date(2027, 1, 5),
        True,
    )
    assert (saved["TS-NOV"].acceptance_due_on, saved["TS-NOV"].deadline_provisional) == (
        date(2026, 11, 11),
        False,
    )
    client = Client()
    with frozen(date(2026, 12, 24)):
        client.force_login(office_admin)
        html = client.get(reverse("complaints:list")).content.decode()
    december = _row(html, "TS-DEC")
    assert "2027-01-05" in december and december.count(BADGE) == 1  # no closing deadline yet
    november = _row(html, "TS-NOV")
    assert "2026-11-11" in november and BADGE not in november
