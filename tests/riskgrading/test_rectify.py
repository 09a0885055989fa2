"""Rectifications on the operator file (issue 12 point 4): what an inspection found at an
operator goes on the rectification ledger linked to the operator and the inspection, and the
operator file lists its open and closed rectifications.

Days worked by hand: an inspection on Sat 2022-01-08 with 10 working days: the day itself is
not counted; Mon 10 … Fri 14 are 1–5, Mon 17 … Fri 21 are 6–10 → due 2022-01-21 (no holiday
between; the Spring Festival starts 31 January)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from foodsafe.inspections.models import Finding, Inspection
from foodsafe.rectification.models import Rectification, Source, State
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory, InspectionFactory

from .helpers import national

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_2022():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


@pytest.fixture
def shop(district, market_user):  # market_user: the unit 区市场监管局 exists
    return FoodBusinessFactory(name="示例餐馆", business_format="restaurant", org_unit_id=SUB_A)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def checklist_form(failed: dict[str, str], **extra) -> dict:
    checklist = national().checklist_for("catering")
    assert checklist is not None
    data = {f"a-{i.code}": "yes" for i in checklist.items}
    for code, note in failed.items():
        data[f"a-{code}"], data[f"n-{code}"] = "no", note
    data.update(
        inspected_on="2022-01-08",
        inspection_type="routine",
        inspector_1="张检查",
        badge_1="12010001",
        inspector_2="李检查",
        badge_2="12010002",
        signed_by="王店长",
        rectify_days="10",
    )
    data.update(extra)
    return data


def test_checklist_failures_become_a_rectification_of_the_operator(shop, inspector, office_admin):
    """Two items fail (6.1, 4.1) with 10 working days: one rectification, source 监督检查, owned
    by 区市场监管局, naming the operator and the inspection, created on the inspection's date
    and due 2022-01-21, its description the two failed items with their notes. The operator
    file lists it as open with the deadline; the office gets a link to the ledger, an inspector
    (who may not open the ledger) only the row."""
    c = client_for(inspector)
    r = c.post(
        reverse("riskgrading:checklist", args=[shop.pk]),
        checklist_form({"6.1": "冷库内发现过期原料", "4.1": "后厨积水"}),
    )
    assert r.status_code == 302
    inspection = Inspection.objects.get(business=shop)
    rect = Rectification.objects.get()
    assert (rect.business, rect.inspection, rect.source) == (shop, inspection, Source.INSPECTION)
    assert rect.owner_unit.code == "market-regulation"
    assert (rect.created_on, rect.deadline, rect.state) == (
        date(2022, 1, 8),
        date(2022, 1, 21),
        State.OPEN,
    )
    assert rect.title == f"示例餐馆：监督检查 {inspection.inspection_number} 发现 2 项问题"
    lines = rect.description.splitlines()
    assert len(lines) == 2 and "后厨积水" in lines[0] and "冷库内发现过期原料" in lines[1]
    assert rect.created_by == inspector and rect.history.latest().history_user == inspector
    assert rect.events.get().to_state == State.OPEN

    url = reverse("riskgrading:operator", args=[shop.pk])
    page = c.get(url).content.decode()
    assert rect.number in page and "待整改" in page and "2022-01-21" in page
    assert reverse("rectification:detail", args=[rect.pk]) not in page
    # the inspection has its rectification: no second button for it
    assert reverse("riskgrading:rectify", args=[inspection.pk]) not in page
    office_page = client_for(office_admin).get(url).content.decode()
    assert reverse("rectification:detail", args=[rect.pk]) in office_page
    detail = client_for(office_admin).get(reverse("rectification:detail", args=[rect.pk]))
    assert "示例餐馆" in detail.content.decode() and inspection.inspection_number in (
        detail.content.decode()
    )


def test_no_rectification_without_failures_or_days(shop, inspector):
    """All items 符合 → none; failures with the period left blank → none (not ordered)."""
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shop.pk])
    assert c.post(url, checklist_form({})).status_code == 302
    assert c.post(url, checklist_form({"4.1": "后厨积水"}, rectify_days="")).status_code == 302
    assert Inspection.objects.count() == 2 and not Rectification.objects.exists()


def test_bad_period_refuses_the_checklist(shop, inspector):
    c = client_for(inspector)
    r = c.post(
        reverse("riskgrading:checklist", args=[shop.pk]),
        checklist_form({"4.1": "后厨积水"}, rectify_days="abc"),
    )
    assert r.status_code == 400
    assert "整改期限应为 1 至 250 个工作日" in r.content.decode()
    assert not Inspection.objects.exists() and not Rectification.objects.exists()


def test_an_imported_inspection_is_put_right_from_the_operator_file(
    shop, inspector, reviewer, education_user
):
    """An inspection from the ledger import with one finding: the file offers 责令整改 to an
    inspector; the rectification names the finding; a second time is refused; a reviewer and
    区教育局 (roles that may not record inspections) get 403, as on the checklist page."""
    inspection = InspectionFactory(business=shop, inspected_on=date(2022, 1, 8))
    Finding.objects.create(inspection=inspection, description="从业人员健康证过期")
    c = client_for(inspector)
    file_url = reverse("riskgrading:operator", args=[shop.pk])
    url = reverse("riskgrading:rectify", args=[inspection.pk])
    assert url in c.get(file_url).content.decode()
    assert client_for(reviewer).post(url, {"working_days": "10"}).status_code == 403
    assert client_for(education_user).post(url, {"working_days": "10"}).status_code == 403
    r = c.post(url, {"working_days": "10"}, follow=True)
    rect = Rectification.objects.get()
    assert (rect.business, rect.inspection, rect.deadline) == (shop, inspection, date(2022, 1, 21))
    assert rect.description == "从业人员健康证过期"
    assert f"已登记整改事项 {rect.number}，整改期限 2022-01-21" in r.content.decode()
    r = c.post(url, {"working_days": "10"}, follow=True)
    assert "已登记整改事项。" in r.content.decode() and Rectification.objects.count() == 1


def test_open_overdue_and_closed_on_the_file(shop, inspector, office_admin):
    """Seen on 2022-01-24 (after the 21st): the open one is 已逾期; a closed one is listed
    after it as 已销号 with its closing date."""
    c = client_for(inspector)
    c.post(
        reverse("riskgrading:checklist", args=[shop.pk]),
        checklist_form({"4.1": "后厨积水"}),
    )
    first = Rectification.objects.get()
    second_inspection = InspectionFactory(business=shop, inspected_on=date(2022, 1, 9))
    Finding.objects.create(inspection=second_inspection, description="标签不全")
    c.post(reverse("riskgrading:rectify", args=[second_inspection.pk]), {"working_days": "5"})
    second = Rectification.objects.exclude(pk=first.pk).get()
    Rectification.objects.filter(pk=second.pk).update(
        state=State.CLOSED, closed_on=date(2022, 1, 14), verified_by=office_admin
    )
    with time_machine.travel(date(2022, 1, 24), tick=False):
        page = (
            client_for(inspector)
            .get(reverse("riskgrading:operator", args=[shop.pk]))
            .content.decode()
        )
    section = page[page.index('id="rectifications"') :]
    assert section.index(first.number) < section.index(second.number)
    assert "已逾期" in section[: section.index(second.number)]
    assert "已销号" in section and "2022-01-14" in section
