"""Search, filters and pages on the list pages that lacked them (issue 17 "Pages people
expect"): 投诉举报台账, 投诉举报办理, 导入日志, 公示, 检查计划. The filters stay in the URL and
in the pager's links; no search reaches masked personal data."""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.complaints.models import Complaint
from foodsafe.imports.models import ImportLog
from foodsafe.notices.models import Notice
from tests.conftest import SUB_A


def _complaint(n: int, *, kind: str = "complaint", name: str = "王某", closed: bool = False):
    return Complaint.objects.create(
        complaint_number=f"TS-{n:04d}", kind=kind, org_unit_id=SUB_A, complainant_name=name,
        complainant_phone="13800000000", received_on=date(2021, 3, 1),
        acceptance_due_on=date(2021, 3, 10), closed_on=date(2021, 3, 5) if closed else None,
    )  # fmt: skip


@pytest.fixture
def complaints(district):
    for n in range(105):
        _complaint(n)
    _complaint(900, kind="report", name="李秘密", closed=True)


def test_complaints_search_filter_and_pages(client, office_admin, complaints):
    client.force_login(office_admin)
    # 105 complaints and 1 report, 100 a page: the complaints fill 2 pages, the link keeps them
    page = client.get("/complaints/?kind=complaint").content.decode()
    assert "第 1 / 2 页，共 105 条" in page and "kind=complaint&amp;page=2" in page
    assert "TS-0900" not in page
    only = client.get("/complaints/?state=closed").content.decode()
    assert "TS-0900" in only and "TS-0001" not in only
    assert "TS-0042" in client.get("/complaints/?q=TS-0042").content.decode()
    # the complainant's name is masked on the list, so it is not searchable either
    assert "TS-0900" not in client.get("/complaints/?q=李秘密").content.decode()


def test_complaint_handling_search_keeps_the_tab(client, office_admin, complaints):
    client.force_login(office_admin)
    page = client.get("/complaint-handling/?show=all&q=TS-0900").content.decode()
    assert "TS-0900" in page and "TS-0001" not in page
    assert 'href="?show=open&amp;q=TS-0900"' in page  # the tabs keep the search


def test_import_log_search_and_ledger_filter(client, office_admin, market_user):
    for n in range(3):
        ImportLog.objects.create(
            ledger="sampling", file_name=f"抽检{n}.xlsx", sha256="0" * 64, imported_by=market_user
        )
    ImportLog.objects.create(
        ledger="complaints", file_name="投诉.xlsx", sha256="1" * 64, imported_by=office_admin
    )
    client.force_login(office_admin)
    page = client.get("/imports/log/?ledger=complaints").content.decode()
    assert "投诉.xlsx" in page and "抽检0.xlsx" not in page
    page = client.get("/imports/log/?q=抽检1").content.decode()
    assert "抽检1.xlsx" in page and "抽检2.xlsx" not in page
    # an unknown ledger is ignored (the whole log), not an error
    assert "投诉.xlsx" in client.get("/imports/log/?ledger=nope").content.decode()


def test_notices_search_and_pages(client, office_admin):
    for n in range(31):
        Notice.objects.create(title=f"公示{n:02d}", body="b", created_by=office_admin)
    Notice.objects.create(title="自评报告公示", body="b", created_by=office_admin)
    client.force_login(office_admin)
    page = client.get("/notices/?q=公示").content.decode()
    assert "第 1 / 2 页，共 32 条" in page and "q=%E5%85%AC%E7%A4%BA&amp;page=2" in page
    page = client.get("/notices/?q=自评").content.decode()
    assert "自评报告公示" in page and "公示00" not in page


def test_inspection_plans_search(client, district, office_admin):
    from django.urls import reverse

    from foodsafe.inspectionplan.in_force import plan_spec
    from foodsafe.inspectionplan.services import plan_create
    from tests.conftest import DISTRICT

    q3, q4 = (
        plan_create(spec=plan_spec(), org_code=DISTRICT, period_code=p, actor=None, seed=1)
        for p in ("2021Q3", "2021Q4")
    )
    link = {p: f'href="{reverse("inspectionplan:detail", args=[p.pk])}"' for p in (q3, q4)}
    client.force_login(office_admin)
    page = client.get("/inspection-plan/plans/?q=2021Q3").content.decode()
    assert link[q3] in page and link[q4] not in page
    page = client.get("/inspection-plan/plans/").content.decode()
    assert link[q3] in page and link[q4] in page


def test_credit_classes_search_keeps_month_and_level(client, district, office_admin):
    from foodsafe.credit.models import CreditGrade
    from foodsafe.registry.models import FoodBusiness

    for n, level in enumerate("BBC"):
        business = FoodBusiness.objects.create(
            registry_number=f"REG-C{n}", name=f"信用测试{n}号店", sector="catering",
            business_format="restaurant", org_unit_id=SUB_A,
        )  # fmt: skip
        CreditGrade.objects.create(
            business=business, month=date(2021, 10, 1), computed=level, score=0,
            spec_label="t", level=level,
        )  # fmt: skip
    client.force_login(office_admin)
    page = client.get("/credit/?month=202110&level=B&q=1号").content.decode()
    assert "信用测试1号店" in page and "信用测试0号店" not in page
    # the level links keep the search; the search form keeps month and level
    assert "level=C&amp;q=1%E5%8F%B7" in page
    assert '<input type="hidden" name="level" value="B">' in page
    assert "信用测试2号店" not in page  # level C


def test_overdue_search_and_its_export(client, district, office_admin, market_user, education_user):
    import io
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import openpyxl
    import time_machine

    from foodsafe.orgunits.models import ResponsibleUnit
    from tests.tasks.board_data import add_rectification

    market = ResponsibleUnit.objects.get(code="market-regulation")
    education = ResponsibleUnit.objects.get(code="education")
    add_rectification(market, by=office_admin, deadline=date(2021, 9, 1), title="冷链追溯台账缺失")
    add_rectification(
        education, by=office_admin, deadline=date(2021, 9, 1), title="食堂陪餐记录不全"
    )
    client.force_login(office_admin)
    with time_machine.travel(datetime(2021, 10, 15, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        page = client.get("/supervision/overdue/?q=区教育局").content.decode()
        assert "食堂陪餐记录不全" in page and "冷链追溯台账缺失" not in page
        assert "/supervision/overdue/export.xlsx?q=%E5%8C%BA%E6%95%99%E8%82%B2%E5%B1%80" in page
        body = client.get("/supervision/overdue/export.xlsx?q=冷链").content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4) if row[0].value]
    assert [r[3] for r in rows] == ["冷链追溯台账缺失"]
    assert "搜索：冷链" in sheet["A2"].value
