"""Working days on any date (issue 9 point 1): with the clock frozen on 2026-12-06 (the day
the issue was filed; 2027 has no arrangement), 2027-01-15 (inside an unarranged year) and
2028-06-30 (further out), every page of the URL list answers as the permission matrix says
(never a 500) for the office and a member unit; creating a rectification with the default 20
working days, the one-click 生成整改事项, send-reminders, the calendar commands, assess and the
import of a complaint received 2026-12-24 all work; deadlines across 春节 2027 and 国庆 2028
with no arrangement stored are provisional and as counted by hand below.

Statutory holidays used (《全国年节及纪念日放假办法》2024 revision; lunar dates from
lunar-python): 2027 元旦 Fri 1 Jan; 春节 除夕–初三 Fri 5 – Mon 8 Feb. 2028 国庆 Sun 1 – Tue 3
Oct (中秋 is Tue 3 Oct, inside it). No bridging days and no make-up working days are assumed.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from foodsafe.complaints.models import Complaint
from foodsafe.complaints.services import complaint_deadlines_compute
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.rectification.models import Rectification
from foodsafe.workdays.calendar import add_workdays
from foodsafe.workdays.models import HolidayArrangement
from tests.conftest import DISTRICT, SUB_A
from tests.rectification.helpers import frozen
from tests.web.test_permissions import (  # noqa: F401 - fixtures, registered by their names
    RULES,
    _fast_password_hasher,
    outcome,
    sample,
)


@pytest.fixture
def objects(request):
    """The permission matrix's personas and objects (its ``sample`` fixture)."""
    return request.getfixturevalue("sample")


DATES = [date(2026, 12, 6), date(2027, 1, 15), date(2028, 6, 30)]
WALKERS = ("office_admin", "market_user")

#: 20 working days (the default) after each date, statutory holidays only (provisional):
#: - Sun 2026-12-06: Mon 7 – Fri 11 Dec (5), 14–18 (10), 21–25 (15), Mon 28 – Thu 31 (19),
#:   [Fri 1 Jan 2027 元旦], Mon 4 Jan (20) → 2027-01-04.
#: - Fri 2027-01-15: 18–22 Jan (5), 25–29 (10), Mon 1 – Thu 4 Feb (14), [Fri 5 – Mon 8 春节],
#:   Tue 9 – Fri 12 (18), Mon 15 (19), Tue 16 (20) → 2027-02-16.
#: - Fri 2028-06-30: 3–7 Jul (5), 10–14 (10), 17–21 (15), 24–28 (20) → 2028-07-28.
DUE_IN_20 = {
    date(2026, 12, 6): date(2027, 1, 4),
    date(2027, 1, 15): date(2027, 2, 16),
    date(2028, 6, 30): date(2028, 7, 28),
}


@pytest.mark.parametrize("day", DATES, ids=str)
def test_every_page_answers_on(day, objects):
    market = ResponsibleUnit.objects.get(code="market-regulation")
    problems = []
    with frozen(day):
        office = Client()
        office.force_login(objects.users["office_admin"])
        # 登记问题 through the page with the default 20 working days.
        response = office.post(
            reverse("rectification:create"),
            {"title": "当日登记", "owner_unit": market.pk, "source": "self_check",
             "working_days": 20},
        )  # fmt: skip
        assert response.status_code == 302, response.content.decode()[:2000]
        created = Rectification.objects.get(title="当日登记")
        assert (created.created_on, created.deadline, created.deadline_provisional) == (
            day,
            DUE_IN_20[day],
            True,
        )
        extra = [
            reverse("rectification:detail", args=[created.pk]),
            reverse("supervision:calendar_year", args=[day.year]),
            reverse("supervision:calendar_year", args=[day.year + 1]),
            reverse("supervision:calendar_template", args=[day.year + 1]),
        ]
        for persona in WALKERS:
            client = Client()
            client.force_login(objects.users[persona])  # logged in on the day: no stale session
            for name, rule in sorted(RULES.items()):
                url = reverse(name, kwargs=rule.kwargs(objects) if rule.kwargs else None)
                send = client.post if rule.method == "post" else client.get
                got = outcome(send(url, rule.data))
                if got != rule.expected[persona]:
                    problems.append(
                        f"{persona} {name} {url}: {got}, expected {rule.expected[persona]}"
                    )
            for url in extra:
                status = client.get(url).status_code
                expected = 200 if persona == "office_admin" else 403
                if url.startswith("/rectifications/"):
                    expected = 200  # 区市场监管局's own item
                if status != expected:
                    problems.append(f"{persona} {url}: {status}, expected {expected}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def one_click_engine(objects, monkeypatch):
    """The sample scorecard (4 indicators not met) for any period, as the rectification page
    tests fake it; the button's view evaluates the scorecard again itself."""
    from foodsafe.reports.sample import sample_scorecard
    from foodsafe.scorecard import engine

    def evaluate(*, spec, org_units, period, **_kw):
        return [
            sample_scorecard(org_code=c, is_example=False, period=str(period)) for c in org_units
        ]

    monkeypatch.setattr(engine, "evaluate_scorecards", evaluate)


@pytest.mark.parametrize("day", DATES, ids=str)
def test_one_click_from_a_failed_indicator_on(day, objects, one_click_engine):
    client = Client()
    with frozen(day):
        client.force_login(objects.users["office_admin"])
        response = client.post(
            reverse("rectification:from_indicator"),
            {"org_code": DISTRICT, "period": str(day.year),
             "indicator": "residue_sampling_per_thousand"},
        )  # fmt: skip
    assert response.status_code == 302
    made = Rectification.objects.get(source="scorecard")
    assert response["Location"] == reverse("rectification:detail", args=[made.pk])
    assert (made.created_on, made.deadline, made.deadline_provisional) == (
        day,
        DUE_IN_20[day],
        True,
    )


@pytest.mark.parametrize("day", DATES, ids=str)
def test_commands_that_take_dates_run_on(day, objects, tmp_path, settings, monkeypatch):
    settings.VAR_DIR = tmp_path  # send-reminders' lock file on SQLite
    office = objects.users["office_admin"]
    with frozen(day):
        out = io.StringIO()
        # The sample's rectification of 区市场监管局 was due 2021-08-20: overdue on every date.
        call_command("send-reminders", stdout=out)
        if day.weekday() < 5:
            assert objects.rectification.number in out.getvalue()
        else:  # Sun 2026-12-06: nothing is sent on a day off; Monday's run sends it
            assert "不是工作日" in out.getvalue()
            monday = io.StringIO()
            call_command("send-reminders", "--on", "2026-12-07", stdout=monday)
            assert objects.rectification.number in monday.getvalue()

        # A complaint received Thu 2026-12-24, imported on the day: accepted within 7 working
        # days: Fri 25, Mon 28 – Thu 31 (5), [Fri 1 Jan 2027 元旦], Mon 4 (6), Tue 5 Jan (7).
        path = tmp_path / "complaints.csv"
        path.write_text(
            "投诉举报编号,类型,区划代码,登记日期,受理决定,决定日期,办结日期\n"
            f"TS-1224,投诉,{SUB_A},2026-12-24,,,\n",
            encoding="utf-8",
        )
        # Imported on 2026-12-24 itself when the frozen day is before it: a received day after
        # today is refused (new-user test, dates bounded to today).
        with frozen(max(day, date(2026, 12, 24))):
            call_command("import", "complaints", str(path), stdout=io.StringIO())
        complaint = Complaint.objects.get(complaint_number="TS-1224")
        assert (complaint.acceptance_due_on, complaint.deadline_provisional) == (
            date(2027, 1, 5),
            True,
        )

        # Next year's template, loaded as it comes (statutory days only), then calendar-seed.
        template = tmp_path / "next.xlsx"
        call_command("calendar-template", str(day.year + 1), "-o", str(template), stdout=out)
        call_command("calendar-load", str(template), "--user", office.get_username(), stdout=out)
        assert HolidayArrangement.objects.filter(year=day.year + 1).exists()
        call_command("calendar-seed", stdout=out)
        # 2004–2026 are stored (seeded by the migration, or now if a flush removed them).
        assert "共载入" in out.getvalue()
        assert HolidayArrangement.objects.filter(year__in=[2004, 2026]).count() == 2
        complaint.refresh_from_db()
        # On 2026-12-06 the load was 2027's: the same date, no longer provisional. On the
        # other days 2027 is still unarranged: unchanged and provisional.
        assert complaint.acceptance_due_on == date(2027, 1, 5)
        assert complaint.deadline_provisional is (day.year + 1 != 2027)

        monkeypatch.undo()  # the real engine: assess evaluates the (nearly empty) ledgers
        call_command(
            "assess", "--org", DISTRICT, "--period", str(day.year), "--format", "json",
            stdout=io.StringIO(),
        )  # fmt: skip


@pytest.mark.django_db
def test_spring_festival_2027_and_national_day_2028_without_an_arrangement():
    assert not HolidayArrangement.objects.filter(year__in=[2027, 2028]).exists()
    # A complaint received Tue 2027-02-02: Wed 3 (1), Thu 4 (2), [Fri 5 – Mon 8 春节], Tue 9
    # (3), Wed 10 (4), Thu 11 (5), Fri 12 (6), Mon 15 Feb (7) → 2027-02-15, provisional.
    deadlines = complaint_deadlines_compute(
        received_on=date(2027, 2, 2), decision="pending", decided_on=None
    )
    assert (deadlines.acceptance_due_on, deadlines.provisional) == (date(2027, 2, 15), True)
    # Fri 2028-09-29 + 5: [Sat 30 Sep; Sun 1 – Tue 3 Oct 国庆, 中秋 on the 3rd], Wed 4 (1),
    # Thu 5 (2), Fri 6 (3), Mon 9 (4), Tue 10 Oct (5) → 2028-10-10, provisional (the real
    # arrangement will likely add bridging days: 暂定 says so).
    deadline = add_workdays(date(2028, 9, 29), 5)
    assert (deadline.date, deadline.provisional) == (date(2028, 10, 10), True)
