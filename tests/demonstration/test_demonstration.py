"""示范引领项目 and 现场检查点位 (issue 17 point 5): applications reviewed by the office, the
approved list for 国食办, sites proposed from the registry and confirmed, with the operator's
latest inspection, grade and open rectifications beside each site."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from foodsafe.demonstration import services
from foodsafe.demonstration.models import DemonstrationProject, FieldCheckSite
from foodsafe.inspections.models import Inspection
from foodsafe.orgunits.models import ResponsibleUnit
from foodsafe.registry.models import FoodBusiness, RiskGrade
from tests.conftest import SUB_A
from tests.tasks.board_data import add_rectification

ON = date(2021, 8, 2)
VALUES = {
    "name": "智慧监管平台",
    "category": "smart",
    "description": "全区餐饮单位明厨亮灶接入",
    "achievements": "接入率 95%",
    "contact_name": "李四",
    "contact_phone": "13912345678",
}


@pytest.fixture
def market(district, market_user):
    return ResponsibleUnit.objects.get(code="market-regulation")


@pytest.fixture
def business(district):
    return FoodBusiness.objects.create(
        registry_number="REG-1", name="示例饭店", licence_number="JY11201010000001",
        sector="catering", business_format="restaurant", org_unit_id=SUB_A, address="和平路1号",
    )  # fmt: skip


def test_apply_return_amend_approve_with_history(market, market_user, office_admin):
    project = services.project_submit(unit=market, values=VALUES, actor=market_user, on=ON)
    assert project.status == "submitted"
    with pytest.raises(services.DemonstrationError, match="退回理由"):
        services.project_review(
            project=project, approve=False, reason=" ", actor=office_admin, on=ON
        )
    services.project_review(
        project=project, approve=False, reason="成效无数据支撑", actor=office_admin, on=ON
    )
    project.refresh_from_db()
    assert (project.status, project.return_reason, project.reviewed_by) == (
        "returned", "成效无数据支撑", office_admin,
    )  # fmt: skip
    services.project_amend(
        project=project, values={**VALUES, "achievements": "接入率 95%（2021年7月统计）"},
        actor=market_user, on=date(2021, 8, 5),
    )  # fmt: skip
    project.refresh_from_db()
    assert (project.status, project.return_reason, project.submitted_on) == (
        "submitted", "", date(2021, 8, 5),
    )  # fmt: skip
    services.project_review(project=project, approve=True, reason="", actor=office_admin, on=ON)
    with pytest.raises(services.DemonstrationError, match="不能修改"):
        services.project_amend(project=project, values=VALUES, actor=market_user, on=ON)
    # submit, return, amend, approve: four history rows, each with its actor
    rows = list(project.history.order_by("history_date").values_list("status", "history_user"))
    assert rows == [
        ("submitted", market_user.pk), ("returned", office_admin.pk),
        ("submitted", market_user.pk), ("approved", office_admin.pk),
    ]  # fmt: skip


def test_a_unit_acts_only_for_itself_and_cannot_review(market, education_user, market_user):
    with pytest.raises(PermissionDenied):
        services.project_submit(unit=market, values=VALUES, actor=education_user, on=ON)
    project = services.project_submit(unit=market, values=VALUES, actor=market_user, on=ON)
    with pytest.raises(PermissionDenied):
        services.project_review(project=project, approve=True, reason="", actor=market_user, on=ON)
    with pytest.raises(services.DemonstrationError, match="联系电话"):
        services.project_submit(
            unit=market, values={**VALUES, "contact_phone": ""}, actor=market_user, on=ON
        )


def test_pages_scope_and_mask(client, market, market_user, education_user, reviewer):
    project = services.project_submit(unit=market, values=VALUES, actor=market_user, on=ON)
    client.force_login(education_user)
    assert client.get(f"/demonstration/projects/{project.pk}/").status_code == 404
    assert "智慧监管平台" not in client.get("/demonstration/projects/").content.decode()
    client.force_login(reviewer)
    page = client.get(f"/demonstration/projects/{project.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page  # PIPL: masked for reviewers
    client.force_login(market_user)
    assert "13912345678" in client.get(f"/demonstration/projects/{project.pk}/").content.decode()


def test_list_search_filters_kept_in_the_pager(client, market, market_user, office_admin):
    for n in range(31):
        services.project_submit(
            unit=market, values={**VALUES, "name": f"项目{n:02d}"}, actor=market_user, on=ON
        )
    services.project_submit(
        unit=market, values={**VALUES, "name": "三小治理", "category": "three_smalls"},
        actor=market_user, on=ON,
    )  # fmt: skip
    client.force_login(office_admin)
    page = client.get("/demonstration/projects/?category=smart&q=项目").content.decode()
    # 31 smart projects named 项目NN, 30 a page: page 1 of 2, the link keeps the filters
    assert "第 1 / 2 页，共 31 条" in page
    assert "category=smart&amp;q=%E9%A1%B9%E7%9B%AE&amp;page=2" in page
    assert "三小治理" not in page
    assert (
        "三小治理" in client.get("/demonstration/projects/?category=three_smalls").content.decode()
    )


def test_export_holds_only_approved_projects(client, market, market_user, office_admin):
    kept = services.project_submit(unit=market, values=VALUES, actor=market_user, on=ON)
    services.project_submit(
        unit=market, values={**VALUES, "name": "未审项目"}, actor=market_user, on=ON
    )
    services.project_review(
        project=kept, approve=True, reason="", actor=office_admin, on=date(2021, 8, 20)
    )
    client.force_login(office_admin)
    response = client.get("/demonstration/projects/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert len(rows) == 1
    assert rows[0][:4] == [1, "智慧监管平台", "区市场监管局", "智慧监管"]
    assert rows[0][7] == "13912345678"  # the office's file for 国食办: the contact in full
    assert rows[0][8].date() == date(2021, 8, 20)


def test_site_shows_latest_inspection_grade_and_open_rectifications(
    client, market, market_user, office_admin, business
):
    Inspection.objects.create(
        inspection_number="JC-1", business=business, inspected_on=date(2021, 3, 1),
        inspection_type="routine", result="compliant",
    )  # fmt: skip
    Inspection.objects.create(
        inspection_number="JC-2", business=business, inspected_on=date(2021, 6, 9),
        inspection_type="routine", result="rectify",
    )  # fmt: skip
    RiskGrade.objects.create(
        business=business, year=2020, level="B", basis="confirmed", decided_on=date(2020, 12, 1)
    )
    RiskGrade.objects.create(
        business=business, year=2021, level="C", basis="confirmed", decided_on=date(2021, 1, 5)
    )
    for n, closed in enumerate([False, False, True]):
        r = add_rectification(market, by=office_admin, deadline=date(2021, 7, 1))
        r.business, r.number = business, f"ZG-S{n}"
        if closed:
            r.state, r.closed_on, r.verified_by = "closed", date(2021, 6, 30), office_admin
        r.save()
    site = services.site_propose(
        unit=market, business=business, address="", reason="示范餐厅", actor=market_user, on=ON
    )
    assert site.address == "和平路1号"  # blank: the registered address
    with pytest.raises(services.DemonstrationError, match="已被推荐"):
        services.site_propose(
            unit=market, business=business, address="x", reason="", actor=office_admin, on=ON
        )
    client.force_login(market_user)
    page = client.get("/demonstration/sites/").content.decode()
    # the latest inspection (06-09, 限期整改), the latest grade (2021: C) and the 2 open of 3
    assert "2021-06-09" in page and "基本符合（限期整改）" in page and "2021-03-01" not in page
    assert "C<span" in page and "（2021）" in page
    assert '<span class="badge not-met">2</span>' in page
    services.site_decide(site=site, confirm=True, reason="", actor=office_admin, on=ON)
    site.refresh_from_db()
    assert (site.status, site.decided_by) == ("confirmed", office_admin)
    assert list(site.history.values_list("status", flat=True).order_by("history_date")) == [
        "proposed", "confirmed",
    ]  # fmt: skip


def test_site_return_needs_reason_and_frees_the_operator(
    market, market_user, office_admin, business
):
    site = services.site_propose(
        unit=market, business=business, address="a", reason="", actor=market_user, on=ON
    )
    with pytest.raises(PermissionDenied):
        services.site_decide(site=site, confirm=True, reason="", actor=market_user, on=ON)
    with pytest.raises(services.DemonstrationError, match="退回理由"):
        services.site_decide(site=site, confirm=False, reason="", actor=office_admin, on=ON)
    services.site_decide(site=site, confirm=False, reason="该店停业装修", actor=office_admin, on=ON)
    again = services.site_propose(
        unit=market, business=business, address="b", reason="", actor=market_user, on=ON
    )
    assert (
        FieldCheckSite.objects.filter(business=business).count() == 2 and again.status == "proposed"
    )


def test_site_form_picks_the_operator_from_the_registry(client, market, market_user, business):
    client.force_login(market_user)
    found = client.get("/demonstration/sites/new/?find=示例饭").content.decode()
    assert f"business={business.pk}" in found
    picked = client.get(f"/demonstration/sites/new/?find=示例饭&business={business.pk}")
    assert 'value="和平路1号"' in picked.content.decode()
    response = client.post(
        "/demonstration/sites/new/",
        {"unit": market.pk, "business": business.pk, "address": "和平路1号", "reason": "r"},
    )
    site = FieldCheckSite.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/sites/{site.pk}/")
    assert DemonstrationProject.objects.count() == 0


def test_a_unit_searches_and_proposes_only_the_operators_it_may_open(
    client, market, market_user, education_user, office_admin, business
):
    """推荐点位 scope (the trust fix): a unit proposes sites among the operators it may open —
    the same rule as the 企业档案 and credit pages (riskgrading.selectors.visible_businesses):
    区市场监管局 every operator (it licenses them all), 区教育局 only school canteens (校园食品安全
    is its work, 实施方案 item 5); the office any operator, for any unit. Before the fix the
    education bureau found, picked and proposed 示例饭店 (a restaurant it has no say over)."""
    canteen = FoodBusiness.objects.create(
        registry_number="REG-2", name="示例小学食堂", licence_number="JY11201010000002",
        sector="catering", business_format="school_canteen", org_unit_id=SUB_A,
        address="和平路2号",
    )  # fmt: skip
    education = ResponsibleUnit.objects.get(code="education")

    client.force_login(education_user)
    found = client.get("/demonstration/sites/new/?find=示例").content.decode()
    assert f'business={canteen.pk}"' in found and "示例小学食堂" in found
    assert f'business={business.pk}"' not in found and "示例饭店" not in found
    # the restaurant's id in the URL picks nothing (its address does not show either)
    picked = client.get(f"/demonstration/sites/new/?business={business.pk}").content.decode()
    assert "和平路1号" not in picked and 'id="site-form"' not in picked
    # a forged POST with the restaurant's id is refused by the form; nothing is stored
    response = client.post(
        "/demonstration/sites/new/",
        {"unit": education.pk, "business": business.pk, "address": "x", "reason": "r"},
    )
    assert response.status_code == 200 and FieldCheckSite.objects.count() == 0
    # and by the service, for any other caller
    with pytest.raises(PermissionDenied):
        services.site_propose(
            unit=education, business=business, address="", reason="", actor=education_user,
            on=ON,
        )  # fmt: skip
    services.site_propose(
        unit=education, business=canteen, address="", reason="", actor=education_user, on=ON
    )

    # 区市场监管局 finds both operators
    client.force_login(market_user)
    found = client.get("/demonstration/sites/new/?find=示例").content.decode()
    assert f'business={business.pk}"' in found and f'business={canteen.pk}"' in found
    # the office may propose the restaurant for the education bureau (it decides the list)
    site = services.site_propose(
        unit=education, business=business, address="", reason="", actor=office_admin, on=ON
    )
    assert site.unit == education


def test_a_unit_with_no_operators_of_its_own_is_told_to_ask_the_office(
    client, django_user_model, business
):
    """区商务局 licenses no operator and answers for no business format here
    (visible_businesses: none), so its search is empty for good: the page says so and points
    to the office, which proposes for any unit."""
    from foodsafe.accounts.models import Profile

    commerce = ResponsibleUnit.objects.create(code="commerce", name="区商务局")
    commerce_user = django_user_model.objects.create_user("commerce_user", password="c-pass-123")
    Profile.objects.create(user=commerce_user, role="member_unit", responsible_unit=commerce)
    client.force_login(commerce_user)
    page = client.get("/demonstration/sites/new/?find=示例").content.decode()
    assert 'id="none-proposable"' in page and "示例饭店" not in page
    assert 'id="business-search"' not in page  # no search that can only find nothing
