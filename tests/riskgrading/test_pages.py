"""Risk grading pages as the office and an inspector would use them: grade the year, confirm
with an override, export, record a checklist, read the operator file; scoping by role."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from foodsafe.inspections.models import Finding, Inspection
from foodsafe.registry.models import RiskGrade
from foodsafe.riskgrading.models import Checklist, Grading
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

from .helpers import national

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_2022():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def shops(district):
    return {
        "restaurant": FoodBusinessFactory(
            name="示例餐馆", business_format="restaurant", org_unit_id=SUB_A
        ),
        "canteen": FoodBusinessFactory(
            name="示例学校食堂", business_format="school_canteen", org_unit_id=SUB_A, risk_level="B"
        ),
    }


def answers_all_yes(sector: str, **overrides: str) -> dict[str, str]:
    checklist = national().checklist_for(sector)
    assert checklist is not None
    data = {f"a-{i.code}": "yes" for i in checklist.items}
    data.update(overrides)
    return data


def test_office_grades_confirms_with_override_and_exports(shops, office_admin):
    """No grading yet → 无数据; 评定: neither shop has static factors or a checklist, so neither
    is scored (the national scheme does not presume): the restaurant, with no recorded grade, is
    待评定; the canteen keeps the B the registry records. The office overrides the canteen to C
    with a reason on the operator file; the export has it."""
    office = client_for(office_admin)
    index = reverse("riskgrading:index")
    page = office.get(index, {"year": 2021}).content.decode()
    assert "无数据：本年度尚未评定" in page
    assert "[M] 风险等级分值区间" in page  # the scheme's readings are said on the page
    r = office.post(reverse("riskgrading:run"), {"action": "assess", "year": 2021})
    assert r.status_code == 302
    page = office.get(index, {"year": 2021}).content.decode()
    assert "示例学校食堂" in page and "评定完成：2 家经营者" in page
    assert "[I] 缺少评定数据时的推定" in page  # the reading taken is said
    counts = page[page.index('id="grade-counts"') : page.index("</ul>", page.index("grade-counts"))]
    assert "沿用登记等级 <strong>1</strong>" in counts and "待评定 <strong>1</strong>" in counts
    pending = office.get(index, {"year": 2021, "grade": "pending"}).content.decode()
    assert "示例餐馆" in pending and "示例学校食堂" not in pending
    grading = Grading.objects.get(business=shops["canteen"], year=2021)
    url = reverse("riskgrading:confirm", args=[grading.pk])
    office.post(url, {"part": "grade", "grade": "C", "reason": ""})
    assert RiskGrade.objects.count() == 0  # an override without a reason is refused
    office.post(url, {"part": "grade", "grade": "C", "reason": "供餐人数超过 500 人"})
    assert RiskGrade.objects.get(business=shops["canteen"], year=2021).level == "C"
    file = office.get(reverse("riskgrading:operator", args=[shops["canteen"].pk])).content
    text = file.decode()
    assert "缺少静态风险因素记录、检查要点记录（动态风险因素），未计分" in text
    assert "沿用登记等级" in text and "供餐人数超过 500 人" in text
    assert "按业态推定" not in text
    r = office.get(reverse("riskgrading:export"), {"year": 2021})
    sheet = openpyxl.load_workbook(io.BytesIO(r.content))["风险等级确定表"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    canteen = next(r for r in rows if r["企业名称"] == "示例学校食堂")
    assert canteen["风险等级（按分值）"] in (None, "") and canteen["风险等级（确认）"] == "C"
    assert canteen["风险等级得分"] is None  # no score, not 0
    assert canteen["改定理由"] == "供餐人数超过 500 人"


def test_inspector_records_a_checklist(shops, inspector):
    """Catering checklist: 6.1 (key, 6 points) and 4.1 (4) 不符合 → dynamic 10, one key item →
    不符合. The inspection is a row of the inspections ledger with two findings."""
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    assert c.get(url).status_code == 200
    data = answers_all_yes(
        "catering",
        **{"a-6.1": "no", "n-6.1": "冷库内发现过期原料", "a-4.1": "no", "n-4.1": "后厨积水"},
    )
    data.update(
        inspected_on="2022-01-08",
        inspection_type="routine",
        inspector_1="张检查",
        badge_1="12010001",
        inspector_2="李检查",
        badge_2="12010002",
        signed_by="",
        refused="1",
        refusal_note="负责人拒绝签字，两名检查人员在场见证",
    )
    r = c.post(url, data)
    assert r.status_code == 302
    inspection = Inspection.objects.get(business=shops["restaurant"])
    assert (inspection.result, inspection.full_checklist) == ("noncompliant", True)
    checklist = Checklist.objects.get(inspection=inspection)
    assert (checklist.dynamic_score, checklist.key_failed, checklist.refused) == (10, 1, True)
    assert Finding.objects.filter(inspection=inspection).count() == 2
    assert checklist.history.latest().history_user == inspector
    page = c.get(reverse("riskgrading:operator", args=[shops["restaurant"].pk])).content.decode()
    assert "冷库内发现过期原料" in page and "负责人拒绝签字" in page


def test_checklist_errors_keep_the_answers(shops, inspector):
    c = client_for(inspector)
    url = reverse("riskgrading:checklist", args=[shops["restaurant"].pk])
    data = answers_all_yes("catering", **{"a-6.1": "no"})
    data.pop("a-1.1")
    data.update(
        inspected_on="2022-01-08",
        inspection_type="routine",
        inspector_1="张检查",
        badge_1="1",
        inspector_2="",
        badge_2="",
        signed_by="王店长",
    )
    r = c.post(url, data)
    assert r.status_code == 400
    page = r.content.decode()
    assert "以下检查项未作结论：1.1" in page
    assert "检查项 6.1 不符合，须写明问题" in page
    assert "须由两名检查人员实施" in page
    assert 'value="王店长"' in page
    assert not Inspection.objects.exists()


def test_operator_file_is_scoped(shops, education_user, market_user, outsider):
    """区教育局 sees school canteens only; 区市场监管局 every operator; no role nothing."""
    edu = client_for(education_user)
    assert edu.get(reverse("riskgrading:operator", args=[shops["canteen"].pk])).status_code == 200
    assert (
        edu.get(reverse("riskgrading:operator", args=[shops["restaurant"].pk])).status_code == 404
    )
    market = client_for(market_user)
    assert (
        market.get(reverse("riskgrading:operator", args=[shops["restaurant"].pk])).status_code
        == 200
    )
    assert (
        client_for(outsider)
        .get(reverse("riskgrading:operator", args=[shops["canteen"].pk]))
        .status_code
        == 404
    )
