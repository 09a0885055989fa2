"""The handling pages: a unit works only its own complaints; personal data is masked, a
reporter's identity hidden (第三十三条) from everyone but complaint handlers."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from foodsafe.complainthandling import services
from foodsafe.orgunits.models import ResponsibleUnit

from .test_handling import submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(district, office_admin, market_user):
    with time_machine.travel(datetime(2021, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        made = services.complaint_submit(
            submission=submission(is_report=True), submission_key="pages"
        )
    market = ResponsibleUnit.objects.get(code="market-regulation")
    for c in made:
        services.complaint_assign(complaint=c, unit=market, actor=office_admin)
    return made


def test_the_unit_decides_its_complaint_on_the_page(client, pair, market_user):
    complaint, report = pair
    client.force_login(market_user)
    url = reverse("complainthandling:detail", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert "王**" in page and "138****5678" in page and "王小明" not in page
    response = client.post(url, {"action": "decide", "accept": "1", "decided_on": "2021-10-08"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.decision == "accepted"
    assert complaint.closing_due_on == date(2021, 12, 9)  # worked in test_handling
    # Only the office assigns.
    unit = ResponsibleUnit.objects.get(code="market-regulation")
    assert client.post(url, {"action": "assign", "unit": str(unit.pk)}).status_code == 403


def test_reporter_identity_is_hidden_from_the_unit(client, pair, market_user, complaint_handler):
    _complaint, report = pair
    client.force_login(market_user)
    page = client.get(reverse("complainthandling:detail", args=[report.pk])).content.decode()
    assert "举报人信息保密" in page and "王**" not in page and "138****" not in page
    client.force_login(complaint_handler)
    page = client.get(reverse("complainthandling:detail", args=[report.pk])).content.decode()
    assert "王**" in page  # masked, revealable through the audited reveal


def test_another_unit_gets_404(client, pair, education_user):
    client.force_login(education_user)
    response = client.get(reverse("complainthandling:detail", args=[pair[0].pk]))
    assert response.status_code == 404
    listing = client.get(reverse("complainthandling:list") + "?show=all").content.decode()
    assert pair[0].complaint_number not in listing


def test_overdue_filter_lists_late_ones(client, pair, office_admin):
    client.force_login(office_admin)
    with time_machine.travel(datetime(2021, 10, 18, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get(reverse("complainthandling:list") + "?show=overdue").content.decode()
    # The 投诉 was to be accepted by Fri 15 Oct (7 working days across National Day): overdue
    # on Mon 18 Oct. The 举报 waits on its verification instead, 15 working days [M] (report
    # limits): Wed 27 Oct, so it is not overdue yet — and is on Thu 28 Oct.
    assert pair[0].complaint_number in page and pair[1].complaint_number not in page
    with time_machine.travel(datetime(2021, 10, 28, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get(reverse("complainthandling:list") + "?show=overdue").content.decode()
    assert pair[0].complaint_number in page and pair[1].complaint_number in page
    with time_machine.travel(datetime(2021, 10, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get(reverse("complainthandling:list") + "?show=overdue").content.decode()
    assert pair[0].complaint_number not in page
