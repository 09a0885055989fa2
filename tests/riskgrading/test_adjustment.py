"""The year-end adjustment (第二十七条–第三十条), one operator per rule, worked by hand.

Every operator below is a school canteen with no static record and no checklist unless said,
graded under the scheme with presumption switched on (``helpers.presuming``: the national scheme
does not presume, see test_no_presumption.py) so that each has a base grade without more set-up:
tier Ⅳ → static 32, dynamic 0 → 32 → B (30 < 32 ≤ 45). Opened 2020-06-01, so the three clean
years rule (open since 2019-01-01) cannot apply to them; the clean-years operator opened in 2015.
One up case → C; two or more → D (up_max_steps 2); a down case → A.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from foodsafe.registry.models import RiskGrade
from foodsafe.riskgrading.adjustment import adjustments_propose
from foodsafe.riskgrading.grading import gradings_assess
from foodsafe.riskgrading.models import Grading
from foodsafe.riskgrading.services import adjustment_fact_record, grading_confirm
from tests.conftest import SUB_A
from tests.factories import CaseFactory, FoodBusinessFactory, SamplingBatchFactory

from .helpers import national, presuming, record_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _after_2021():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


@pytest.fixture
def spec():
    return presuming(national())


def canteen(name, opened=date(2020, 6, 1)):
    return FoodBusinessFactory(
        name=name,
        sector="catering",
        business_format="school_canteen",
        org_unit_id=SUB_A,
        opened_on=opened,
    )


def fact(b, kind, on=date(2021, 5, 1), **kw):
    return adjustment_fact_record(
        business=b, kind=kind, occurred_on=on, description=f"{kind} 情况", actor=None, **kw
    )


def run(spec, office_admin):
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    adjustments_propose(spec=spec, year=2021, actor=office_admin)
    return {
        g.business.name: g for g in Grading.objects.filter(year=2021).select_related("business")
    }


def test_each_rule(district, office_admin, spec):
    b = {}
    # 第二十八条（一）: a case closed 2021-05-10 with a ¥5,000 fine → up one → C. A case closed
    # in 2020 and a 2021 case with no penalty do not count.
    b["penalty"] = canteen("penalty")
    CaseFactory(
        business=b["penalty"],
        org_unit_id=SUB_A,
        closed_on=date(2021, 5, 10),
        filed_on=date(2021, 3, 2),
        penalty_amount=Decimal(5000),
        case_number="AJ-1",
    )
    b["old_case"] = canteen("old_case")
    CaseFactory(
        business=b["old_case"],
        org_unit_id=SUB_A,
        closed_on=date(2020, 11, 1),
        lead_received_on=date(2020, 3, 1),
        filed_on=date(2020, 3, 2),
        penalty_amount=Decimal(5000),
    )
    CaseFactory(
        business=b["old_case"],
        org_unit_id=SUB_A,
        closed_on=date(2021, 11, 1),
        filed_on=date(2021, 3, 2),
        penalty_amount=Decimal(0),
    )
    # （二）: a surveillance batch concluded 不合格 in 2021 → C; a risk-monitoring one does not
    # count (the spec's sampling_types).
    b["sampling"] = canteen("sampling")
    SamplingBatchFactory(
        business=b["sampling"],
        org_unit_id=SUB_A,
        conclusion="nonconforming",
        sampled_on=date(2021, 7, 1),
        sample_number="DC-FAIL",
    )
    b["monitoring"] = canteen("monitoring")
    SamplingBatchFactory(
        business=b["monitoring"],
        org_unit_id=SUB_A,
        conclusion="nonconforming",
        sampling_type="risk_monitoring",
        sampled_on=date(2021, 7, 1),
    )
    # （三）（四）（五）（七）: recorded facts of 2021 → C; one of 2020 does not count.
    for kind in ("bad_social_impact", "incident", "recall_failure", "other_up"):
        b[kind] = canteen(kind)
        fact(b[kind], kind)
    b["old_incident"] = canteen("old_incident")
    fact(b["old_incident"], "incident", on=date(2020, 12, 31))
    # （六）: obstruction marked on a 2021 checklist with nothing failed (dynamic 0, still B)
    b["obstruction"] = canteen("obstruction")
    record_checklist(b["obstruction"], obstructed=True, on=date(2021, 4, 1))
    # two cases (penalty + failed batch) → up two → D
    b["two_ups"] = canteen("two_ups")
    CaseFactory(
        business=b["two_ups"],
        org_unit_id=SUB_A,
        closed_on=date(2021, 6, 1),
        filed_on=date(2021, 3, 2),
        penalty_amount=Decimal(2000),
    )
    SamplingBatchFactory(
        business=b["two_ups"],
        org_unit_id=SUB_A,
        conclusion="nonconforming",
        sampled_on=date(2021, 8, 1),
    )
    # 第三十条（一）: open since 2015, nothing in 2019–2021 → down one → A
    b["clean"] = canteen("clean", opened=date(2015, 1, 1))
    # a 2020 failed batch breaks the three clean years (and 2020 is not the adjusted year)
    b["dirty_2020"] = canteen("dirty_2020", opened=date(2015, 1, 1))
    SamplingBatchFactory(
        business=b["dirty_2020"],
        org_unit_id=SUB_A,
        conclusion="nonconforming",
        sampled_on=date(2020, 8, 1),
    )
    # （二）: HACCP issued 2020, valid to 2023 → A; one that expired 2021-06-30 → no change
    b["haccp"] = canteen("haccp")
    fact(b["haccp"], "certification", on=date(2020, 1, 1), valid_until=date(2023, 12, 31))
    b["expired"] = canteen("expired")
    fact(b["expired"], "certification", on=date(2018, 1, 1), valid_until=date(2021, 6, 30))
    # （三）（四）
    b["award"] = canteen("award")
    fact(b["award"], "quality_award")
    b["other_down"] = canteen("other_down")
    fact(b["other_down"], "other_down")
    # up wins over down (the scheme's reading): penalty and HACCP → C
    b["both"] = canteen("both")
    fact(b["both"], "certification", on=date(2020, 1, 1))
    fact(b["both"], "incident")
    # 第二十九条: nothing → no change
    b["nothing"] = canteen("nothing")

    got = run(spec, office_admin)
    expected = {
        "penalty": ("up", "C"),
        "old_case": ("keep", "B"),
        "sampling": ("up", "C"),
        "monitoring": ("keep", "B"),
        "bad_social_impact": ("up", "C"),
        "incident": ("up", "C"),
        "recall_failure": ("up", "C"),
        "other_up": ("up", "C"),
        "old_incident": ("keep", "B"),
        "obstruction": ("up", "C"),
        "two_ups": ("up", "D"),
        "clean": ("down", "A"),
        "dirty_2020": ("keep", "B"),
        "haccp": ("down", "A"),
        "expired": ("keep", "B"),
        "award": ("down", "A"),
        "other_down": ("down", "A"),
        "both": ("up", "C"),
        "nothing": ("keep", "B"),
    }
    assert all(got[name].score_grade == "B" for name in expected)
    assert {
        name: (got[name].suggestion, got[name].proposed_next_grade) for name in expected
    } == expected
    # the reasons name the ledger rows
    assert got["penalty"].up_cases[0]["article"] == "第二十八条第（一）项"
    assert (
        "案件 AJ-1（2021-05-10 办结，罚没款 5000.00 元）" in got["penalty"].up_cases[0]["reasons"]
    )
    assert "抽样单 DC-FAIL" in got["sampling"].up_cases[0]["reasons"][0]
    assert "记录拒绝、逃避、阻挠检查" in got["obstruction"].up_cases[0]["reasons"][0]
    assert got["clean"].down_cases[0]["reasons"] == ["2019–2021 年连续 3 年无第二十八条所列情形"]
    assert [c["code"] for c in got["two_ups"].up_cases] == ["penalty", "failed_sampling"]


def test_three_ups_stop_at_two_grades_and_d_stays_d(district, office_admin, spec):
    """Three cases would be three grades; up_max_steps caps it at two: B → D. A grocery (A by
    score: tier Ⅰ, 8) with three cases also moves two grades: A → C."""
    x = canteen("x")
    for kind in ("incident", "recall_failure", "other_up"):
        fact(x, kind)
    g = FoodBusinessFactory(
        name="grocery",
        sector="sales",
        business_format="grocery",
        org_unit_id=SUB_A,
        opened_on=date(2020, 6, 1),
    )
    for kind in ("incident", "recall_failure", "other_up"):
        fact(g, kind)
    got = run(spec, office_admin)
    assert got["x"].proposed_next_grade == "D"
    assert (got["grocery"].score_grade, got["grocery"].proposed_next_grade) == ("A", "C")


def test_the_confirmed_grade_is_the_one_adjusted_and_next_year_is_recorded(
    district, office_admin, spec
):
    """The office overrode the 2021 grade to C; an incident moves C (not the score grade B) up
    to D. Confirming writes 2022's grade into the registry ledger as an adjustment."""
    x = canteen("x")
    fact(x, "incident")
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    grading_confirm(
        grading=Grading.objects.get(business=x), grade="C", reason="复核", actor=office_admin
    )
    adjustments_propose(spec=spec, year=2021, actor=office_admin)
    g = Grading.objects.get(business=x)
    assert (g.score_grade, g.grade, g.proposed_next_grade) == ("B", "C", "D")
    grading_confirm(grading=g, part="next", actor=office_admin)
    grade = RiskGrade.objects.get(business=x, year=2022)
    assert (grade.level, grade.basis) == ("D", "adjustment")
    assert g.history.latest().history_user == office_admin
