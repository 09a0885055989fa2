"""Dates typed into forms (new-user test): a year before 2000 or a day after today where only
a past day makes sense is a form error naming the field, not a record that moves a past
period's figures or a deadline computed from year 1. Today is frozen at 2026-12-07 (Beijing).

Bounds (``foodsafe.lib.params``): 2000-01-01 (``YEAR_MIN``) to today for a day something
happened (a listing, a checklist, a publication, a meeting held, a task done); 2000 to 2100
for a day ahead (a deadline, a survey's field period)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from foodsafe.credit.models import CreditEntry
from foodsafe.inforeports.forms import BulletinForm, ScheduleForm
from foodsafe.workplan.forms import MeetingForm, MilestoneForm
from tests.conftest import DISTRICT
from tests.factories import FoodBusinessFactory

TODAY = datetime(2026, 12, 7, 9, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.mark.parametrize(
    ("listed_on", "message"),
    [
        (
            "1999-12-31",
            "列入日期“1999-12-31”无效：应为日期（如 2021-09-30），年份在 2000 至 2100 之间。",
        ),
        ("2026-12-08", "列入日期 2026-12-08 晚于今天（2026-12-07）：应填已发生的日期。"),
    ],
)
def test_credit_listing_date_out_of_bounds_is_refused(client, office_admin, listed_on, message):
    business = FoodBusinessFactory(org_unit__code=DISTRICT)
    client.force_login(office_admin)
    response = client.post(
        reverse("credit:listing", args=[business.pk]),
        {"listed_on": listed_on, "decision_number": "津和市监信〔2021〕1号", "reason": "x"},
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    assert not CreditEntry.objects.filter(business=business).exists()


def test_credit_removal_date_is_checked_too(client, office_admin):
    business = FoodBusinessFactory(org_unit__code=DISTRICT)
    client.force_login(office_admin)
    response = client.post(
        reverse("credit:listing", args=[business.pk]),
        {"listed_on": "2021-09-20", "removed_on": "0021-09-20", "decision_number": "X1"},
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "移出日期“0021-09-20”无效：应为日期（如 2021-09-30），年份在 2000 至 2100 之间。"
    ]


def test_sampling_publication_date_names_the_field(client, office_admin, district):
    client.force_login(office_admin)
    url = "/sampling-plan/publication/record/"
    for raw, text in [
        ("1999-12-31", "公开日期“1999-12-31”无效"),
        ("2027-01-01", "公开日期 2027-01-01 晚于今天（2026-12-07）"),
    ]:
        response = client.post(
            url, {"org": DISTRICT, "month": "2021-09", "kind": "results", "published_on": raw}
        )
        assert response.status_code == 400
        assert text in response.content.decode()


def test_forms_of_past_days_refuse_the_future_and_the_1990s():
    meeting = {"kind": "deployment", "title": "部署会", "place": "区政府", "chair": "区长"}
    form = MeetingForm({**meeting, "held_on": "2026-12-08"})
    assert not form.is_valid()
    assert form.errors["held_on"] == [
        "日期 2026-12-08 晚于今天（2026-12-07）：此处应填已发生的日期。"
    ]
    form = MeetingForm({**meeting, "held_on": "1999-06-01"})
    assert form.errors["held_on"] == ["日期 1999-06-01 超出范围：年份应在 2000 至 2100 之间。"]
    assert MeetingForm({**meeting, "held_on": "2026-12-07"}).is_valid()
    bulletin = BulletinForm({"issued_on": "2026-12-31"})
    assert "issued_on" in bulletin.errors


def test_forms_of_days_ahead_take_the_future_to_2100():
    # A milestone or a reporting schedule lies ahead: 2027 is fine, 1999 and 2101 are not.
    assert MilestoneForm({"title": "节点", "due_on": "2027-03-31"}).is_valid()
    form = MilestoneForm({"title": "节点", "due_on": "1999-03-31"})
    assert form.errors["due_on"] == ["日期 1999-03-31 超出范围：年份应在 2000 至 2100 之间。"]
    schedule = {"name": "月报", "frequency": "monthly", "due_workday": 5}
    assert ScheduleForm({**schedule, "starts_on": "2027-01-01"}).is_valid()
    assert "starts_on" in ScheduleForm({**schedule, "starts_on": "2101-01-01"}).errors
