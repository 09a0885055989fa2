"""Complaint deadlines in Chinese working days, checked against the 2021 calendar by hand.

2021 calendar facts used below (国务院办公厅关于2021年部分节假日安排的通知):
- Spring Festival: Thu 11 – Wed 17 Feb off; Sun 7 Feb and Sat 20 Feb were working days.
- National Day: Fri 1 – Thu 7 Oct off; Sat 9 Oct was a working day (Sun 26 Sep too).
"""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.complaints.models import Decision
from foodsafe.complaints.services import complaint_deadlines
from foodsafe.workdays.calendar import add_workdays, is_workday

pytestmark = pytest.mark.django_db


def add_working_days(start: date, days: int) -> date:
    return add_workdays(start, days).date


def is_working_day(day: date) -> bool:
    return bool(is_workday(day))


def test_make_up_working_days_count():
    assert is_working_day(date(2021, 10, 9))  # Saturday, make-up working day
    assert is_working_day(date(2021, 2, 7))  # Sunday, make-up working day
    assert is_working_day(date(2021, 2, 20))  # Saturday, make-up working day
    assert not is_working_day(date(2021, 10, 4))  # Monday, National Day holiday
    assert not is_working_day(date(2021, 2, 15))  # Monday, Spring Festival


def test_acceptance_across_national_day():
    # Received Thu 30 Sep. 1–7 Oct off. Working days: Fri 8 (1), Sat 9 (2), Mon 11 – Fri 15
    # (3–7).
    due, closing = complaint_deadlines(
        received_on=date(2021, 9, 30), decision=Decision.PENDING, decided_on=None
    )
    assert due == date(2021, 10, 15)
    assert closing is None


def test_acceptance_across_spring_festival():
    # Received Fri 5 Feb. Sun 7 (1), Mon 8 (2), Tue 9 (3), Wed 10 (4); 11–17 off;
    # Thu 18 (5), Fri 19 (6), Sat 20 (7).
    assert add_working_days(date(2021, 2, 5), 7) == date(2021, 2, 20)
    # Received on the eve: Wed 10 Feb → Thu 18 (1) … Sat 20 (3), Mon 22 (4) … Thu 25 (7).
    assert add_working_days(date(2021, 2, 10), 7) == date(2021, 2, 25)


def test_mediation_closing_across_national_day():
    # Accepted Tue 28 Sep: Wed 29 (1), Thu 30 (2); 1–7 Oct off; Fri 8 (3), Sat 9 (4),
    # 11–15 Oct (5–9), 18–22 (10–14), 25–29 (15–19), 1–5 Nov (20–24), 8–12 (25–29),
    # 15–19 (30–34), 22–26 (35–39), 29 Nov – 3 Dec (40–44), Mon 6 Dec (45).
    due, closing = complaint_deadlines(
        received_on=date(2021, 9, 24),
        decision=Decision.ACCEPTED,
        decided_on=date(2021, 9, 28),
    )
    # Received Fri 24 Sep: Sun 26 (1, make-up day), Mon 27 (2), Tue 28 (3), Wed 29 (4),
    # Thu 30 (5), Fri 8 Oct (6), Sat 9 Oct (7).
    assert due == date(2021, 10, 9)
    assert closing == date(2021, 12, 6)


def test_suspended_working_days_extend_closing():
    # 45 + 10 = 55 working days: after Mon 6 Dec (45): 7–10 Dec (46–49), 13–17 (50–54),
    # Mon 20 Dec (55).
    _, closing = complaint_deadlines(
        received_on=date(2021, 9, 24),
        decision=Decision.ACCEPTED,
        decided_on=date(2021, 9, 28),
        suspended_working_days=10,
    )
    assert closing == date(2021, 12, 20)


def test_refused_has_no_closing_deadline():
    due, closing = complaint_deadlines(
        received_on=date(2021, 3, 1), decision=Decision.REFUSED, decided_on=date(2021, 3, 3)
    )
    # Mon 1 Mar: Tue 2 (1) … Fri 5 (4), Mon 8 (5), Tue 9 (6), Wed 10 (7).
    assert due == date(2021, 3, 10)
    assert closing is None


def test_start_on_a_holiday():
    # Received Sat 2 Oct (holiday): Fri 8 (1), Sat 9 (2), 11–15 Oct (3–7).
    assert add_working_days(date(2021, 10, 2), 7) == date(2021, 10, 15)
    # One working day after a holiday start is the first working day after it.
    assert add_working_days(date(2021, 10, 2), 1) == date(2021, 10, 8)


def test_zero_days_is_the_start():
    assert add_working_days(date(2021, 10, 2), 0) == date(2021, 10, 2)
    assert add_working_days(date(2021, 9, 30), 0) == date(2021, 9, 30)


def test_negative_days_rejected():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2021, 9, 30), -1)


def test_accepted_without_decision_date_rejected():
    with pytest.raises(ValueError, match="decided_on"):
        complaint_deadlines(
            received_on=date(2021, 3, 1), decision=Decision.ACCEPTED, decided_on=None
        )


def test_year_without_arrangement_is_provisional_not_an_error():
    # 2099 has no arrangement: counted from weekends and the statutory holidays, 暂定.
    # Mon 2099-03-02: Tue 3 (1) … Fri 6 (4), Mon 9 (5), Tue 10 (6), Wed 11 (7).
    deadline = add_workdays(date(2099, 3, 2), 7)
    assert deadline.date == date(2099, 3, 11)
    assert deadline.provisional
    # 2021 is arranged (seeded from chinese-calendar): not provisional.
    assert not add_workdays(date(2021, 3, 1), 7).provisional
