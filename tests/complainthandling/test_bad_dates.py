"""Dates that cannot be: a decision dated before the complaint was received, or a year no
calendar holds. Refused with a message saying why; nothing saved; never a 500."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from foodsafe.complainthandling import services
from foodsafe.complainthandling.services import HandlingError
from foodsafe.complaints.models import Complaint, Decision

from .test_pages import pair  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
NOON = datetime(2021, 10, 12, 12, tzinfo=ZoneInfo("Asia/Shanghai"))


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_a_decision_before_receipt_is_refused_on_the_page(pair, market_user):  # noqa: F811
    complaint = pair[0]  # received Thu 30 Sep 2021
    client = Client(raise_request_exception=False)
    client.force_login(market_user)
    url = reverse("complainthandling:detail", args=[complaint.pk])
    with time_machine.travel(NOON, tick=False):
        response = client.post(
            url, {"action": "decide", "accept": "1", "decided_on": "2021-09-29"}, follow=True
        )
    assert response.status_code == 200
    said = _messages(response)
    assert "决定日期 2021-09-29 早于登记（收到）日期 2021-09-30" in said
    assert "受理决定不能早于收到投诉之日" in said
    complaint.refresh_from_db()
    assert complaint.decision == Decision.PENDING and complaint.decided_on is None


def test_a_refusal_before_receipt_is_refused_too(pair, office_admin):  # noqa: F811
    complaint = pair[0]
    with pytest.raises(HandlingError, match="早于登记"):
        services.complaint_decide(
            complaint=complaint,
            accept=False,
            decided_on=date(2021, 1, 1),
            ground="missing",
            actor=office_admin,
        )
    stored = Complaint.objects.get(pk=complaint.pk)
    assert stored.decision == Decision.PENDING and stored.closed_on is None


def test_a_decision_on_the_day_of_receipt_is_taken(pair, office_admin):  # noqa: F811
    complaint = services.complaint_decide(
        complaint=pair[0], accept=True, decided_on=date(2021, 9, 30), actor=office_admin
    )
    assert complaint.decision == Decision.ACCEPTED


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2101-01-01", "2021-02-30"])
def test_a_date_outside_the_calendar_is_a_form_error(pair, market_user, day):  # noqa: F811
    complaint = pair[0]
    client = Client(raise_request_exception=False)
    client.force_login(market_user)
    url = reverse("complainthandling:detail", args=[complaint.pk])
    response = client.post(url, {"action": "decide", "accept": "1", "decided_on": day}, follow=True)
    assert response.status_code == 200
    said = _messages(response)
    assert "决定日期:" in said
    assert "超出范围：年份应在 2000 至 2100 之间" in said or "有效的日期" in said
    complaint.refresh_from_db()
    assert complaint.decision == Decision.PENDING
