"""The working-day calendar: arranged years from the stored days, other years from the statutory
holidays (暂定), and loading a year's arrangement recomputing stored deadlines.

Years and facts used (worked out by hand):
- 2021 (seeded from chinese-calendar, 国办发明电〔2020〕27号): 1–7 Oct off, Sat 9 Oct worked.
- 2027 and 2028 have no arrangement (the seed ends with 2026). Statutory holidays
  (《全国年节及纪念日放假办法》2024 revision, lunar dates from lunar-python):
  2027 春节 正月初一 = Sat 2027-02-06, so 除夕–初三 = Fri 5 – Mon 8 Feb; 国庆 Fri 1 – Sun 3 Oct;
  2028 春节 正月初一 = Wed 2028-01-26, so Tue 25 – Fri 28 Jan; 国庆 Sun 1 – Tue 3 Oct (中秋,
  Tue 3 Oct, falls inside it).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from foodsafe.complaints.models import Complaint, Decision
from foodsafe.complaints.services import complaint_save
from foodsafe.rectification.services import rectification_create
from foodsafe.workdays import registry
from foodsafe.workdays.calendar import add_workdays, is_workday, workdays_between
from foodsafe.workdays.models import CalendarRevision, HolidayArrangement, SpecialDay
from foodsafe.workdays.services import ArrangedDay, ArrangementSource, arrangement_load
from foodsafe.workdays.statutory import statutory_holidays
from tests.conftest import SUB_A
from tests.rectification.helpers import frozen, unit

pytestmark = pytest.mark.django_db

H, W = "holiday", "workday"


def test_statutory_holidays_2028_from_the_lunar_calendar():
    days = statutory_holidays(2028)
    assert [d for d, n in sorted(days.items()) if n == "春节"] == [
        date(2028, 1, 25),
        date(2028, 1, 26),
        date(2028, 1, 27),
        date(2028, 1, 28),
    ]
    assert days[date(2028, 4, 4)] == "清明节"  # 清明 solar term, 4 April 2028
    assert days[date(2028, 5, 28)] == "端午节"  # 五月初五
    # 中秋 (八月十五) is 3 October 2028: inside 国庆, so 12 days rather than 13.
    assert len(days) == 12


def test_seeded_year_is_arranged_with_make_up_days():
    assert HolidayArrangement.objects.filter(year__in=[2004, 2021, 2026]).count() == 3
    saturday = is_workday(date(2021, 10, 9))
    assert saturday and not saturday.provisional
    assert not is_workday(date(2021, 10, 4))
    # Thu 30 Sep + 7: Fri 8 (1), Sat 9 (2, make-up), Mon 11 – Fri 15 (3–7).
    assert add_workdays(date(2021, 9, 30), 7).date == date(2021, 10, 15)


def test_spring_festival_2028_without_arrangement_is_provisional():
    # Fri 2028-01-21 + 7: Mon 24 (1); Tue 25 – Fri 28 春节; Mon 31 (2), Tue 1 Feb (3),
    # Wed 2 (4), Thu 3 (5), Fri 4 (6), Mon 7 (7). No make-up Saturday is assumed.
    deadline = add_workdays(date(2028, 1, 21), 7)
    assert deadline.date == date(2028, 2, 7)
    assert deadline.provisional
    assert deadline.revision == CalendarRevision.objects.order_by("-version").first().version


def test_national_day_2027_without_arrangement_is_provisional():
    # Thu 2027-09-30 + 3: Fri 1 – Sun 3 Oct 国庆; Mon 4 (1), Tue 5 (2), Wed 6 (3).
    deadline = add_workdays(date(2027, 9, 30), 3)
    assert (deadline.date, deadline.provisional) == (date(2027, 10, 6), True)
    # Spanning 2026 → 2027: provisional because 2027 was counted.
    count = workdays_between(date(2026, 12, 30), date(2027, 1, 4))
    # Thu 31 Dec (1); Fri 1 Jan 元旦; Mon 4 (2).
    assert (count.days, count.provisional) == (2, True)
    assert not workdays_between(date(2026, 12, 1), date(2026, 12, 4)).provisional


# A made-up 2027 arrangement for the tests (the real notice is not out on 2026-12-06):
# 春节 Fri 5 – Thu 11 Feb off, Sat 13 Feb worked (make-up), 国庆 Fri 1 – Thu 7 Oct off,
# Sat 9 Oct worked.
ARRANGEMENT_2027 = [
    *(ArrangedDay(date(2027, 2, d), H, "春节") for d in range(5, 12)),
    ArrangedDay(date(2027, 2, 13), W, "春节"),
    *(ArrangedDay(date(2027, 10, d), H, "国庆节") for d in range(1, 8)),
    ArrangedDay(date(2027, 10, 9), W, "国庆节"),
    ArrangedDay(date(2027, 1, 1), H, "元旦"),
]
SOURCE = ArrangementSource(
    title="国务院办公厅关于2027年部分节假日安排的通知（测试）", number="国办发明电〔2026〕X号"
)


def _complaint(number: str, received_on: date) -> Complaint:
    from tests.factories import OrgUnitFactory

    OrgUnitFactory(code=SUB_A, name="A街道（测试）")
    return Complaint(
        complaint_number=number, kind="complaint", org_unit_id=SUB_A, received_on=received_on
    )


def test_loading_an_arrangement_recomputes_deadlines_and_clears_provisional(office_admin):
    with frozen(date(2027, 2, 1)):
        # Mon 2027-02-01 + 10, statutory only: Tue 2 (1), Wed 3 (2), Thu 4 (3); Fri 5 – Mon 8
        # off; Tue 9 (4), Wed 10 (5), Thu 11 (6), Fri 12 (7), Mon 15 (8), Tue 16 (9), Wed 17 (10).
        rect = rectification_create(
            title="测试", owner_unit=unit("health"), source="self_check", working_days=10,
            actor=office_admin,
        )  # fmt: skip
        complaint = complaint_save(
            complaint=_complaint("C-2027", date(2027, 2, 1)), actor=office_admin
        )
    assert (rect.deadline, rect.deadline_provisional) == (date(2027, 2, 17), True)
    # Complaint +7: Tue 2, Wed 3, Thu 4, Tue 9, Wed 10, Thu 11, Fri 12.
    assert (complaint.acceptance_due_on, complaint.deadline_provisional) == (
        date(2027, 2, 12),
        True,
    )
    before = CalendarRevision.objects.order_by("-version").first().version

    result = arrangement_load(year=2027, days=ARRANGEMENT_2027, source=SOURCE, actor=office_admin)

    rect.refresh_from_db()
    complaint.refresh_from_db()
    # With the arrangement: Tue 2 (1), Wed 3 (2), Thu 4 (3); Fri 5 – Thu 11 off; Fri 12 (4),
    # Sat 13 make-up (5), Mon 15 (6), Tue 16 (7), Wed 17 (8), Thu 18 (9), Fri 19 (10).
    assert (rect.deadline, rect.deadline_provisional) == (date(2027, 2, 19), False)
    # Complaint: Tue 2, Wed 3, Thu 4, Fri 12, Sat 13, Mon 15, Tue 16 (7).
    assert (complaint.acceptance_due_on, complaint.deadline_provisional) == (
        date(2027, 2, 16),
        False,
    )
    assert result.revision == before + 1
    assert rect.deadline_calendar_revision == complaint.deadline_calendar_revision == before + 1
    assert (result.recomputed, result.changed) == (2, 2)
    assert (result.holidays, result.workdays) == (15, 2)
    # Audited: the revision says who and what; the rows' history names the actor.
    revision = CalendarRevision.objects.get(version=result.revision)
    assert revision.changed_by == office_admin and "2027" in revision.summary
    assert rect.history.first().history_user == office_admin
    assert HolidayArrangement.objects.get(year=2027).history.first().history_user == office_admin


def test_an_arranged_year_honours_make_up_saturdays(office_admin):
    arrangement_load(year=2027, days=ARRANGEMENT_2027, source=SOURCE, actor=office_admin)
    assert is_workday(date(2027, 10, 9))  # Saturday, make-up
    assert not is_workday(date(2027, 10, 6))  # Wednesday, holiday
    # Thu 30 Sep + 3: 1–7 Oct off; Fri 8 (1), Sat 9 (2), Mon 11 (3).
    deadline = add_workdays(date(2027, 9, 30), 3)
    assert (deadline.date, deadline.provisional) == (date(2027, 10, 11), False)


def test_loading_is_all_or_nothing(office_admin):
    def broken(*, calendar, year, actor):
        raise RuntimeError("holder failed")

    registry.register_deadline_holder("zz-broken", broken)
    try:
        with pytest.raises(RuntimeError):
            arrangement_load(year=2027, days=ARRANGEMENT_2027, source=SOURCE, actor=office_admin)
    finally:
        registry._holders.pop("zz-broken")
    assert not HolidayArrangement.objects.filter(year=2027).exists()
    assert not SpecialDay.objects.filter(date__year=2027).exists()
    assert add_workdays(date(2027, 9, 30), 3).provisional


def test_bad_days_are_refused_with_the_day_named(office_admin):
    with pytest.raises(ValidationError) as excinfo:
        arrangement_load(
            year=2027,
            days=[ArrangedDay(date(2027, 2, 8), W), ArrangedDay(date(2028, 1, 1), H)],
            source=SOURCE,
            actor=office_admin,
        )
    text = " ".join(excinfo.value.messages)
    assert "2027-02-08" in text and "周六或周日" in text
    assert "2028-01-01" in text and "不在 2027 年内" in text


def test_reloading_a_year_replaces_its_days(office_admin):
    arrangement_load(year=2027, days=ARRANGEMENT_2027, source=SOURCE, actor=office_admin)
    arrangement_load(
        year=2027,
        days=[ArrangedDay(date(2027, 1, 1), H, "元旦")],
        source=SOURCE,
        actor=office_admin,
    )
    assert SpecialDay.objects.filter(date__year=2027).count() == 1
    assert is_workday(date(2027, 10, 8))  # Friday: no longer a holiday


def test_complaint_save_recomputes_on_change(office_admin):
    complaint = complaint_save(complaint=_complaint("C-1", date(2021, 9, 30)), actor=office_admin)
    # Thu 30 Sep 2021 + 7 → Fri 15 Oct (see test_seeded_year_is_arranged_with_make_up_days).
    assert complaint.acceptance_due_on == date(2021, 10, 15)
    complaint.received_on = date(2021, 9, 24)
    complaint.decision = Decision.ACCEPTED
    complaint.decided_on = date(2021, 9, 28)
    complaint_save(complaint=complaint, actor=office_admin)
    complaint.refresh_from_db()
    # Fri 24 Sep + 7: Sun 26 (make-up), Mon 27 … Thu 30, Fri 8 Oct, Sat 9 Oct (7); closing
    # Tue 28 Sep + 45 = Mon 6 Dec 2021 (tests/complaints/test_deadlines.py).
    assert complaint.acceptance_due_on == date(2021, 10, 9)
    assert complaint.closing_due_on == date(2021, 12, 6)
    assert complaint.deadline_provisional is False
