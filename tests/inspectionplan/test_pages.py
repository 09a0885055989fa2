"""The pages: the office makes a plan from the page and sees its draw; scope by role; the
files come back readable."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from django.test import Client
from django.urls import reverse

from foodsafe.inspectionplan.models import InspectionPlan
from foodsafe.inspectionplan.services import inspector_account_link
from tests.conftest import DISTRICT

from .conftest import frozen


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_office_makes_a_plan_and_an_inspector_sees_only_their_items(
    small_district, office_admin, inspector, education_user
):
    office = client_for(office_admin)
    response = office.post(
        reverse("inspectionplan:create"), {"org": DISTRICT, "period": "2021Q4", "seed": "42"}
    )
    plan = InspectionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "inspectionplan:detail", args=[plan.pk]
    )
    page = office.get(reverse("inspectionplan:detail", args=[plan.pk])).content.decode()
    assert 'id="seed">42<' in page
    assert "结果一致" in page  # the re-run of the stored draw matches
    assert "示例丙级餐馆" in page and "示例丁级中央厨房" in page
    # The 检查计划表 as Excel: title with the seed, one row per item in order.
    body = office.get(reverse("inspectionplan:export", args=[plan.pk])).content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert "随机种子 42" in sheet["A1"].value
    assert [sheet.cell(row=r, column=3).value for r in (4, 5)] == ["D-1", "C-1"]
    # A second plan for the same unit and period is refused with the reason.
    again = office.post(
        reverse("inspectionplan:create"), {"org": DISTRICT, "period": "2021Q4"}, follow=True
    )
    assert "已有计划" in again.content.decode()
    # 区教育局 plans nowhere: the plan is a 404, the form refused.
    edu = client_for(education_user)
    assert edu.get(reverse("inspectionplan:detail", args=[plan.pk])).status_code == 404
    assert (
        edu.post(
            reverse("inspectionplan:create"), {"org": DISTRICT, "period": "202110"}
        ).status_code
        == 403
    )
    # An inspector linked to a roster entry sees their own items only.
    c_item = plan.items.get(business=small_district.c_op)
    mine = c_item.inspectors.first()
    inspector_account_link(user=inspector, staff=mine, actor=office_admin)
    insp = client_for(inspector)
    page = insp.get(reverse("inspectionplan:detail", args=[plan.pk])).content.decode()
    own = set(plan.items.filter(inspectors=mine).values_list("business__name", flat=True))
    assert "示例丙级餐馆" in page
    for item in plan.items.exclude(inspectors=mine):
        assert item.business.name not in page
    assert own
    assert insp.get(reverse("inspectionplan:publication", args=[plan.pk])).status_code == 403


def test_due_page_and_export(small_district, office_admin, market_user):
    # On 2021-11-02: the C operator (due 2021-10-20) is 13 days overdue; the D operator is
    # due 2021-12-15, not this month; the B's 2022-06-01.
    with frozen(date(2021, 11, 2)):
        page = client_for(market_user).get(reverse("inspectionplan:due")).content.decode()
        body = client_for(office_admin).get(reverse("inspectionplan:due_export")).content
    assert 'id="overdue-count">1<' in page and 'id="month-count">0<' in page
    assert "示例丙级餐馆" in page and "逾期 13 天" in page
    book = openpyxl.load_workbook(io.BytesIO(body))
    overdue = book["逾期未检"]
    assert overdue.cell(row=4, column=2).value == "C-1"
    assert overdue.cell(row=4, column=9).value == 13


def test_publication_page_records_the_date(small_district, office_admin):
    from foodsafe.inspectionplan.in_force import plan_spec
    from foodsafe.inspectionplan.services import plan_create
    from tests.factories import InspectionFactory

    plan = plan_create(
        spec=plan_spec(), org_code=DISTRICT, period_code="2021Q4", actor=office_admin, seed=5
    )
    drawn = plan.items.get(source="random")
    InspectionFactory(
        business=drawn.business, inspected_on=date(2021, 11, 3), inspectors="检查员3、检查员4"
    )
    office = client_for(office_admin)
    url = reverse("inspectionplan:publication", args=[plan.pk])
    with frozen(date(2021, 11, 25)):
        page = office.get(url).content.decode()
        assert "2021-12-01" in page and "待公开" in page
        assert "检查员3" not in page  # no inspector names on the public list
        office.post(url, {"item": [drawn.pk], "published_on": "2021-11-25"})
        page = office.get(url).content.decode()
        body = office.get(reverse("inspectionplan:publication_export", args=[plan.pk])).content
    assert "已按期公开" in page
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert [c.value for c in sheet[3]] == ["序号", "被检查单位名称", "检查日期", "检查结果"]
    assert sheet.cell(row=4, column=2).value == drawn.business.name


def test_due_page_date_field(small_district, market_user):
    """The page's date field (?on=): seen on 2021-11-02 but computed as of 2021-12-20, the C
    operator (due 2021-10-20) is 61 days overdue (11 + 30 + 20) and the D operator (due
    2021-12-15) 5 days; the B's 2022-06-01 is neither. A value that is not a date is said on
    the page (400) and today is used: back to one overdue."""
    client = client_for(market_user)
    url = reverse("inspectionplan:due")
    with frozen(date(2021, 11, 2)):
        page = client.get(url, {"on": "2021-12-20"}).content.decode()
        bad = client.get(url, {"on": "2021-13-01"})
    assert 'id="due-on" value="2021-12-20"' in page
    assert 'id="overdue-count">2<' in page and 'id="month-count">0<' in page
    assert "逾期 61 天" in page and "逾期 5 天" in page
    assert "按 2021-12-20 的情况计算" in page
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "截至日期 2021-13-01 无效" in text and 'id="overdue-count">1<' in text
    assert 'id="due-on" value="2021-11-02"' in text
