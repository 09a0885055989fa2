"""Grades worked out by hand from the national 2016 tables (foodsafe/riskgrading/specs/
national-2016.yaml, RULES.md §2.3, RULES-supervision.md §1): one operator per sector, new
operators, operators with no static record; confirmation and override; the Excel 确定表."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
import time_machine

from foodsafe.registry.models import RiskGrade
from foodsafe.riskgrading.exports import grading_table_xlsx
from foodsafe.riskgrading.grading import gradings_assess
from foodsafe.riskgrading.models import Grading, GradingRun
from foodsafe.riskgrading.services import (
    GradingError,
    checklist_record,
    grading_confirm,
    gradings_confirm_all,
    static_factors_record,
)

from .helpers import business, graded, national, presuming, record_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture
def spec():
    return national()


@pytest.fixture(autouse=True)
def _after_2021():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


def test_sales_supermarket(district, office_admin, spec):
    """食品销售 (supermarket), static on the sales table (RULES.md §2.3):
    floor area 1,500 m² → 1001–2000 band → 2.5; pre-packaged ambient 3,000 → 2001–5000 → 1.2;
    chilled 250 → 101–300 → 3; frozen 80 → ≤100 → 1; bulk items not given → 0 each (缺项得 0
    分); suppliers 120 → 101–200 → 4. Static = 2.5 + 1.2 + 3 + 1 + 4 = 11.7.
    Dynamic (sales checklist): 不符合 on 3.1 (1, key), 6.3 (5, key), 4.1 (4), 6.1 (5, key),
    6.2 (5, key), 6.5 (4, key), 5.1 (4, key) → 1+5+4+5+5+4+4 = 28; six key items failed →
    不符合. Total 11.7 + 28 = 39.7 → 30 < 39.7 ≤ 45 → B."""
    b = business(sector="sales", business_format="supermarket")
    static_factors_record(
        business=b,
        spec=spec,
        table="sales",
        values={
            "floor_area": 1500,
            "packaged_ambient": 3000,
            "packaged_chilled": 250,
            "packaged_frozen": 80,
            "suppliers": 120,
        },
        actor=office_admin,
    )
    c = record_checklist(b, failed=("3.1", "6.3", "4.1", "6.1", "6.2", "6.5", "5.1"))
    assert c.dynamic_score == 28 and c.key_failed == 6 and c.general_failed == 1
    assert c.inspection.result == "noncompliant"
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(b)
    assert (g.static_score, g.dynamic_score, g.total_score) == (
        Decimal("11.7"),
        Decimal(28),
        Decimal("39.7"),
    )
    assert g.score_grade == "B" and g.basis == "scored" and g.checklist == c
    # every input kept: table, each factor's points, the checklist used
    factors = g.inputs["static"]["factors"]
    assert factors["floor_area"] == [1500, "2.5"] and "bulk_chilled" not in factors  # not given
    assert g.inputs["checklist"]["inspection_number"] == c.inspection.inspection_number
    assert g.inputs["scheme"] == "national-2016@1"


def test_catering_school_canteen(district, office_admin, spec):
    """餐饮服务 (school canteen) → the 单位食堂 table: 400 diners a meal → 301–500 → 7; hot
    food 45 items → 31–100 → 3.5; cold food 5 → 1–10 → 3; perishable ingredients → 3; drinks 0
    → 0. Static = 7 + 3.5 + 3 + 3 = 16.5.
    Dynamic (catering checklist): 6.1 (6), 6.2 (5), 6.3 (5), 7.1 (5), 8.1 (5), 4.1 (4),
    5.2 (3), 10.1 (3), 2.1 (2) → 38. Total 54.5 → 45 < 54.5 ≤ 60 → C."""
    b = business(sector="catering", business_format="school_canteen")
    static_factors_record(
        business=b,
        spec=spec,
        table="canteen",
        values={"diners": 400, "hot_food": 45, "cold_food": 5, "perishable": True, "drinks": 0},
        actor=office_admin,
    )
    record_checklist(b, failed=("6.1", "6.2", "6.3", "7.1", "8.1", "4.1", "5.2", "10.1", "2.1"))
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(b)
    assert (g.static_score, g.dynamic_score, g.total_score) == (
        Decimal("16.5"),
        Decimal(38),
        Decimal("54.5"),
    )
    assert g.score_grade == "C"


def test_production_health_food_on_the_band_edge(district, office_admin, spec):
    """食品生产 (health food, 保健食品生产者 table, 就高不就低): main materials 药食同源 (6) and
    提取物 (13) → 13; compound formula 5; an easily adulterated function 10; unsuitable for
    children only 3; ambient storage 3. Static = 13 + 5 + 10 + 3 + 3 = 34.
    Dynamic (production checklist): 3.2 (6), 4.1 (6), 4.2 (5), 5.1 (5), 7.1 (4) → 26.
    Total 60: C's upper bound is inclusive (45 < 60 ≤ 60), so C, not D."""
    b = business(sector="production", business_format="manufacturer")
    static_factors_record(
        business=b,
        spec=spec,
        table="health_food",
        values={
            "main_material": ["food_medicine", "extract"],
            "formula": "compound",
            "function": "easily_adulterated",
            "unsuitable": "children",
            "storage": "ambient",
        },
        actor=office_admin,
    )
    record_checklist(b, failed=("3.2", "4.1", "4.2", "5.1", "7.1"))
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(b)
    assert (g.static_score, g.dynamic_score, g.total_score) == (34, 26, 60)
    assert g.score_grade == "C"


def test_new_operator_from_static_alone(district, office_admin, spec):
    """第二十四条: a flour mill opened 2021-03-01 with no checklist is graded from its static
    score alone: category 0101 小麦粉 → 13.5; dynamic counted as 0 (the scheme's reading) →
    13.5 → A, basis 新开办."""
    b = business(sector="production", business_format="manufacturer", opened_on=date(2021, 3, 1))
    static_factors_record(
        business=b,
        spec=spec,
        table="production",
        values={"food_category": ["0101"]},
        actor=office_admin,
    )
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(b)
    assert (g.static_score, g.dynamic_score, g.score_grade) == (Decimal("13.5"), 0, "A")
    assert g.basis == "new_operator" and g.checklist is None
    assert g.inputs["dynamic_assumed"] == "0"


def test_presumption_takes_the_format_tier(district, office_admin, spec):
    """Only with the scheme's presumption switched on (``presuming``; the national scheme does
    not presume): no static-factor record → the registry format's tier (format_defaults, [I]). A
    restaurant is tier Ⅲ → 24; with a clean checklist (dynamic 0) → 24 → A. A grocery (tier Ⅰ →
    8) opened in 2015 with no checklist → 8 → A, basis 无检查要点记录. A central kitchen (Ⅳ → 32)
    with no checklist → 32 → B. Each says it is presumed."""
    restaurant = business(sector="catering", business_format="restaurant")
    record_checklist(restaurant)
    grocery = business(sector="sales", business_format="grocery")
    kitchen = business(sector="catering", business_format="central_kitchen")
    gradings_assess(spec=presuming(spec), year=2021, actor=office_admin)
    assert graded(restaurant).inputs["presumed"] == ["static"]
    assert graded(grocery).inputs["presumed"] == ["static", "dynamic"]
    assert (graded(restaurant).total_score, graded(restaurant).score_grade) == (24, "A")
    assert graded(restaurant).inputs["static"]["tier"] == "III"
    assert "按业态推定" in graded(restaurant).inputs["static_note"]
    assert (graded(grocery).total_score, graded(grocery).basis) == (8, "no_checklist")
    assert (graded(kitchen).total_score, graded(kitchen).score_grade) == (32, "B")


def test_latest_checklist_counts_and_closed_operators_are_not_graded(district, office_admin, spec):
    """The dynamic score is the latest checklist's: a restaurant failed 6.1 (6) in March and
    passed everything in October → dynamic 0. A business closed in 2020 is not graded."""
    b = business(sector="catering", business_format="restaurant")
    static_factors_record(
        business=b, spec=spec, table="catering", values={"floor_area": 600}, actor=office_admin
    )
    record_checklist(b, failed=("6.1",), on=date(2021, 3, 1))
    october = record_checklist(b, on=date(2021, 10, 1))
    closed = business(status="closed", closed_on=date(2020, 5, 1))
    run = gradings_assess(spec=spec, year=2021, actor=office_admin)
    assert graded(b).checklist == october and graded(b).dynamic_score == 0
    assert not Grading.objects.filter(business=closed).exists()
    assert (run.kind, run.rows, run.actor, run.scheme_sha256) == (
        "assessment",
        1,
        office_admin,
        spec.sha256,
    )


def test_confirm_override_and_audit(district, office_admin, spec):
    """Confirming writes the grade in force into the registry's grade ledger; an override needs
    a reason; every change has a history row naming the office user. (Presumption on: the
    kitchen's grade is its tier's, Ⅳ → 32 → B.)"""
    b = business(sector="catering", business_format="central_kitchen")  # 32 → B
    gradings_assess(spec=presuming(spec), year=2021, actor=office_admin)
    g = graded(b)
    with pytest.raises(GradingError, match="须填写改定理由"):
        grading_confirm(grading=g, grade="C", actor=office_admin)
    grading_confirm(grading=g, actor=office_admin)
    grade = RiskGrade.objects.get(business=b, year=2021)
    assert (grade.level, grade.basis) == ("B", "assessment")
    grading_confirm(grading=g, grade="C", reason="集体用餐配送规模扩大", actor=office_admin)
    grade.refresh_from_db()
    b.refresh_from_db()
    assert (grade.level, grade.basis, b.risk_level) == ("C", "override", "C")
    g.refresh_from_db()
    assert (g.grade, g.grade_reason, g.score_grade) == ("C", "集体用餐配送规模扩大", "B")
    history = list(g.history.order_by("history_date"))
    # created by the grading run (no grade yet), confirmed B, overridden to C
    assert [(h.history_type, h.grade) for h in history] == [("+", ""), ("~", "B"), ("~", "C")]
    assert all(h.history_user == office_admin for h in history)
    assert grade.history.latest().history_user == office_admin
    with pytest.raises(GradingError, match="尚未进行年度调整"):
        grading_confirm(grading=g, part="next", actor=office_admin)


def test_confirm_all_and_the_excel_table(district, office_admin, spec):
    """Confirming a year at once: each grading's grade = its score grade, one registry row each,
    history rows by the office user; the 确定表 workbook has one row per operator. (Presumption
    on: grades from the format tiers.)"""
    a = business(sector="sales", business_format="grocery", name="示例食杂店")  # 8 → A
    d = business(sector="catering", business_format="school_canteen", name="示例食堂")  # 32 → B
    gradings_assess(spec=presuming(spec), year=2021, actor=office_admin)
    run = gradings_confirm_all(spec=spec, year=2021, part="grade", actor=office_admin)
    assert run.rows == 2
    assert dict(RiskGrade.objects.values_list("business__name", "level")) == {
        "示例食杂店": "A",
        "示例食堂": "B",
    }
    assert graded(d).history.latest().history_user == office_admin
    assert graded(d).history.latest().grade == "B"
    created = RiskGrade.history.filter(history_type="+")
    assert created.count() == 2 and {h.history_user for h in created} == {office_admin}
    a.refresh_from_db()
    assert a.risk_level == "A"
    assert a.history.latest().risk_level == "A" and a.history.latest().history_user == office_admin
    gradings = (
        Grading.objects.filter(year=2021).select_related("business").order_by("business__name")
    )
    book = openpyxl.load_workbook(io.BytesIO(grading_table_xlsx(spec, 2021, gradings)))
    sheet = book["风险等级确定表"]
    header = [c.value for c in sheet[1]]
    rows = [
        dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)
    ]
    assert [r["企业名称"] for r in rows] == ["示例食堂", "示例食杂店"]
    assert rows[0]["静态风险因素量化风险分值"] == 32 and rows[0]["风险等级（确认）"] == "B"
    assert "采用的口径 [M]：风险等级分值区间" in [c.value for c in book["说明"]["A"]]
    assert GradingRun.objects.filter(kind="confirm").count() == 1


def test_checklist_refuses_one_inspector_and_a_missing_signature(district, spec):
    b = business(sector="sales", business_format="grocery")
    checklist = spec.checklist_for("sales")
    assert checklist is not None
    answers = {i.code: {"answer": "yes"} for i in checklist.items[1:]}
    answers["3.1"] = {"answer": "no", "note": ""}
    with pytest.raises(GradingError) as exc:
        checklist_record(
            business=b,
            spec=spec,
            inspected_on=date(2021, 6, 1),
            inspection_type="routine",
            answers=answers,
            inspectors=(("张检查", "JC-001"), ("张检查", "JC-001")),
            signed_by="",
            refused=False,
            refusal_note="",
            obstructed=False,
            actor=None,
        )
    text = " ".join(exc.value.messages)
    assert "1.1" in text  # not answered
    assert "检查项 3.1 不符合，须写明问题" in text
    assert "不能是同一人" in text
    assert "须由被检查单位负责人签字" in text
