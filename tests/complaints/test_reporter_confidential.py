"""F25: a reporter's identity (举报人) is confidential (《市场监督管理投诉举报处理暂行办法》
第三十三条; RULES.md §4.1). The office, inspectors and the handling unit see neither the name nor
the phone of a 举报 — not even masked — on the 投诉举报台账, the handling pages or the admin,
nor the number of the 投诉 filed with it (whose masked complainant is the same person). Only
complaint handlers (投诉举报处理人员) see it masked, and reveal it whole through the audited
reveal (tests/complaints/test_personal_data.py)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from foodsafe.complaints.models import Complaint
from foodsafe.complaints.selectors import may_see_reporter, shown_identity
from foodsafe.orgunits.models import ResponsibleUnit
from tests.conftest import SUB_A

pytestmark = pytest.mark.django_db

NAME, PHONE = "欧阳娜娜", "13912345678"
MASKED_NAME, MASKED_PHONE = "欧***", "139****5678"
SECRET = "（举报人信息保密）"


def _record(number: str, kind: str, related: str) -> Complaint:
    return Complaint.objects.create(
        complaint_number=number,
        kind=kind,
        org_unit_id=SUB_A,
        complainant_name=NAME,
        complainant_phone=PHONE,
        received_on=date(2021, 3, 1),
        acceptance_due_on=date(2021, 3, 10),
        related_number=related,
        handling_unit=ResponsibleUnit.objects.get(code="market-regulation"),
    )


@pytest.fixture
def pair(district, market_user):
    """One submission that is both (第七条): a 投诉 and a 举报 by the same person."""
    return (
        _record("TS20210301-PAIRAAAA", "complaint", "JB20210301-PAIRBBBB"),
        _record("JB20210301-PAIRBBBB", "report", "TS20210301-PAIRAAAA"),
    )


def _page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _no_identity(text: str) -> None:
    for value in (NAME, PHONE, MASKED_NAME, MASKED_PHONE):
        assert value not in text, value


@pytest.mark.parametrize("persona", ["inspector", "office_admin"])
def test_the_ledger_list_hides_the_reporter(pair, persona, request):
    user = request.getfixturevalue(persona)
    text = _page(user, reverse("complaints:list") + "?kind=report")
    assert "JB20210301-PAIRBBBB" in text and SECRET in text
    _no_identity(text)
    # The 投诉 of the same person is still shown masked: mediation needs the complainant.
    text = _page(user, reverse("complaints:list") + "?kind=complaint")
    assert MASKED_NAME in text and MASKED_PHONE in text


def test_the_handling_pages_hide_the_reporter_and_the_link(pair, office_admin, market_user):
    complaint, report = pair
    for user in (office_admin, market_user):
        text = _page(user, reverse("complainthandling:detail", args=[report.pk]))
        assert SECRET in text
        _no_identity(text)
        assert complaint.complaint_number not in text  # would lead to the masked identity
        text = _page(user, reverse("complainthandling:detail", args=[complaint.pk]))
        assert MASKED_NAME in text and report.complaint_number not in text
        listing = _page(user, reverse("complainthandling:list") + "?show=reports")
        assert report.complaint_number in listing and SECRET in listing
        _no_identity(listing)


def test_a_complaint_handler_sees_it_masked_with_the_link(pair, complaint_handler):
    complaint, report = pair
    text = _page(complaint_handler, reverse("complainthandling:detail", args=[report.pk]))
    assert MASKED_NAME in text and MASKED_PHONE in text and NAME not in text
    assert complaint.complaint_number in text
    text = _page(complaint_handler, reverse("complaints:list") + "?kind=report")
    assert MASKED_NAME in text and SECRET not in text
    assert may_see_reporter(complaint_handler, report)
    assert shown_identity(complaint_handler, report) == (MASKED_NAME, MASKED_PHONE)


def test_the_admin_hides_the_reporter(pair):
    report = pair[1]
    root = get_user_model().objects.create_superuser("root", password="root-pass-123")
    for url in (
        reverse("admin:complaints_complaint_changelist") + "?kind__exact=report",
        reverse("admin:complaints_complaint_change", args=[report.pk]),
    ):
        text = _page(root, url)
        assert SECRET in text
        _no_identity(text)


def test_the_rule_itself(pair, inspector, office_admin, market_user):
    complaint, report = pair
    for user in (inspector, office_admin, market_user):
        assert not may_see_reporter(user, report)
        assert shown_identity(user, report) == (SECRET, "—")
        assert shown_identity(user, complaint) == (MASKED_NAME, MASKED_PHONE)
