"""The credit pages as users use them: scoping, the office's runs and decisions, the public
export (no personal data, the 公示日期), and the link from the operator file (企业档案)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from foodsafe.credit.models import CreditGrade, CreditPublication
from foodsafe.credit.refresh import credit_files_refresh
from tests.conftest import SUB_A
from tests.factories import CaseFactory, ComplaintFactory, FoodBusinessFactory, InspectionFactory


@pytest.fixture
def operators(district):
    restaurant = FoodBusinessFactory(
        name="示例餐馆", uscc="91120101MA05000011", licence_number="JY1", org_unit_id=SUB_A,
        opened_on=date(2019, 1, 1),
    )  # fmt: skip
    InspectionFactory(business=restaurant, inspected_on=date(2021, 5, 1), result="noncompliant")
    CaseFactory(
        business=restaurant,
        org_unit=district,
        filed_on=date(2021, 3, 5),
        closed_on=date(2021, 4, 1),
        penalty_amount=Decimal("3000"),
        individual_penalty=True,
    )
    ComplaintFactory(
        business=restaurant,
        org_unit=district,
        complainant_name="张三",
        complainant_phone="13800000000",
        decision="accepted",
        decided_on=date(2021, 3, 2),
    )
    canteen = FoodBusinessFactory(name="示例学校食堂", business_format="school_canteen")
    credit_files_refresh()
    return restaurant, canteen


@pytest.mark.django_db
def test_office_classes_the_month_and_overrides(client, office_admin, operators):
    restaurant, _ = operators
    client.force_login(office_admin)
    r = client.post(reverse("credit:run"), {"action": "assess", "month": "202110"})
    assert r.status_code == 302
    # noncompliant 8 + 处罚到人 20 + accepted complaint 1 = 29 → C (≤ 29).
    g = CreditGrade.objects.get(business=restaurant, month=date(2021, 10, 1))
    assert (g.level, g.score) == ("C", 29)
    page = client.get(reverse("credit:index"), {"month": "202110"}).content.decode()
    assert "示例餐馆" in page and "29" in page and "[I]" in page
    r = client.post(reverse("credit:override", args=[g.pk]), {"level": "D", "reason": "屡查屡犯"})
    g.refresh_from_db()
    assert (g.level, g.status, g.override_reason) == ("D", "overridden", "屡查屡犯")
    file_page = client.get(reverse("credit:file", args=[restaurant.pk])).content.decode()
    assert "屡查屡犯" in file_page and "91120101MA05000011" in file_page
    # Personal data of the complainant never reaches the file.
    assert "张三" not in file_page and "13800000000" not in file_page
    operator_page = client.get(reverse("riskgrading:operator", args=[restaurant.pk]))
    assert reverse("credit:file", args=[restaurant.pk]) in operator_page.content.decode()


@pytest.mark.django_db
def test_page_opens_on_the_latest_month_with_classes(client, office_admin, operators):
    """Today is Mon 7 Dec 2026 and the only classes are October 2021's (as in the demo).
    Before: the page opened on December 2026 ("无数据：本月尚未分类") and its drop-down held the
    last 36 months (2024-01 … 2026-12) only, so October 2021 could not be chosen."""
    client.force_login(office_admin)
    with time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        client.post(reverse("credit:run"), {"action": "assess", "month": "202110"})
        page = client.get(reverse("credit:index")).content.decode()
        assert "2021年10月企业信用风险分类" in page and 'id="month-defaulted"' in page
        assert "本月尚未分类" not in page and "示例餐馆" in page
        # Offered: the month with classes and this month, newest first; nothing else.
        options = re.findall(r'<option value="(\d{6})"( selected)?>', page)
        assert options == [("202612", ""), ("202110", " selected")]
        # This month asked for is still there, with its 无数据 (nothing classed yet).
        page = client.get(reverse("credit:index"), {"month": "202612"}).content.decode()
        assert "本月尚未分类" in page and 'id="month-defaulted"' not in page


@pytest.mark.django_db
def test_a_member_unit_sees_only_its_own(client, education_user, operators):
    restaurant, canteen = operators
    client.force_login(education_user)
    # 区教育局 sees school canteens only: the restaurant's file is 404, the canteen's is there.
    assert client.get(reverse("credit:file", args=[restaurant.pk])).status_code == 404
    assert client.get(reverse("credit:file", args=[canteen.pk])).status_code == 200
    assert client.post(reverse("credit:run"), {"action": "assess"}).status_code == 403


@pytest.mark.django_db
def test_public_export(client, office_admin, operators):
    from openpyxl import load_workbook

    restaurant, _ = operators
    client.force_login(office_admin)
    client.post(reverse("credit:run"), {"action": "publish", "month": "202110"})
    # Public records of the restaurant: licence, inspection, case (3); the canteen has none.
    assert CreditPublication.objects.count() == 3
    r = client.get(reverse("credit:export"))
    sheet = load_workbook(io.BytesIO(r.content))["信用信息公示"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {row[4] for row in rows} == {"行政许可", "监督检查结果", "行政处罚"}
    case = next(row for row in rows if row[4] == "行政处罚")
    assert "3,000.00" in case[7] and "2021-04-01" in case[7]
    assert all(row[8] for row in rows)  # each with its 公示日期
    flat = " ".join(str(v) for row in rows for v in row)
    assert "张三" not in flat and "处罚到人" not in flat


@pytest.mark.django_db
def test_command_refreshes_classes_and_exports(operators, office_admin, tmp_path):
    from django.core.management import call_command

    out = io.StringIO()
    target = tmp_path / "public.xlsx"
    call_command(
        "credit", "--refresh", "--assess", "202110", "--confirm", "--as", "office_admin",
        "--export", str(target), stdout=out,
    )  # fmt: skip
    text = out.getvalue()
    # Two operators: the restaurant (29 points → C) and the canteen (nothing → B).
    assert "2 家经营者" in text and "A 0，B 1，C 1，D 0" in text and "已确认 2 家" in text
    assert target.stat().st_size > 0
    assert set(CreditGrade.objects.values_list("status", flat=True)) == {"confirmed"}
