"""No grade without the data a grade needs (无数据不下结论), worked by hand.

A grade is static + dynamic (RULES-supervision.md §1.1, JD16 steps 1–2; RULES.md §2.2). The
static score needs the operator's static-factor record (静态风险因素); the dynamic score needs a
checklist (监督检查要点记录), except for a new operator (第二十四条: "可以按照静态风险分值确定").
Without them the national scheme does not presume a grade (``presumption``, [I]): the operator
keeps the grade recorded for it (the registry's 风险等级, the unit's own earlier grading) or, with
none, is 待评定 with the missing data named. Presuming (the format's tier for the static score,
dynamic counted 0 for an older operator with no checklist) is an explicit setting, and its
grades say they are presumed; a recorded grade is never replaced by a presumed one.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from foodsafe.registry.models import RiskGrade
from foodsafe.riskgrading.adjustment import adjustments_propose
from foodsafe.riskgrading.grading import gradings_assess
from foodsafe.riskgrading.models import Grading
from foodsafe.riskgrading.selectors import year_summary
from foodsafe.riskgrading.services import (
    GradingError,
    grading_confirm,
    gradings_confirm_all,
    static_factors_record,
)

from .helpers import business, graded, national, presuming, record_checklist

pytestmark = pytest.mark.django_db

STATIC = "静态风险因素记录"
DYNAMIC = "检查要点记录（动态风险因素）"


@pytest.fixture(autouse=True)
def _after_2021():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


def test_national_scheme_does_not_presume():
    """The shipped scheme takes the reading "do not presume" and lists it among its readings."""
    spec = national()
    assert not spec.presumption.static_from_format
    assert not spec.presumption.dynamic_without_checklist
    assert any(name == "缺少评定数据时的推定" for name, _, _ in spec.open_parts())


def test_recorded_d_without_checklist_keeps_d(district, office_admin):
    """A central kitchen recorded D in the registry (the ledger's 风险等级), opened 2015, with
    neither static factors nor a checklist. Before, it was presumed tier Ⅳ (32) + dynamic 0 =
    32 → B, and confirming wrote B over the D. Now there is no score: the grading keeps D
    (basis 沿用登记等级, both missing records named), confirming writes D for 2021 into the
    grade ledger (basis recorded), and the registry's risk_level stays D."""
    spec = national()
    d = business(sector="catering", business_format="central_kitchen", risk_level="D")
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(d)
    assert (g.basis, g.score_grade, g.proposal) == ("recorded", "", "D")
    assert (g.static_score, g.dynamic_score, g.total_score) == (None, None, None)
    assert g.inputs["missing"] == [STATIC, DYNAMIC]
    assert g.inputs["recorded_grade"] == "D" and not g.presumed
    run = gradings_confirm_all(spec=spec, year=2021, part="grade", actor=office_admin)
    assert run.rows == 1
    ledger = RiskGrade.objects.get(business=d, year=2021)
    assert (ledger.level, ledger.basis) == ("D", "recorded")
    d.refresh_from_db()
    g.refresh_from_db()
    assert (d.risk_level, g.grade) == ("D", "D")
    # Assessing again (the grade is now in the ledger for 2021) keeps D and the confirmation.
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g.refresh_from_db()
    assert (g.basis, g.proposal, g.grade) == ("recorded", "D", "D")


def test_no_grade_and_no_checklist_is_pending(district, office_admin):
    """A grocery opened 2015 with no recorded grade and no data: 待评定, nothing confirmed,
    no grade-ledger row (so the scorecard counts it as not graded), and the year's summary
    counts it apart from the graded ones. Confirming it alone needs a grade and a reason."""
    spec = national()
    b = business(sector="sales", business_format="grocery")
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(b)
    assert (g.basis, g.score_grade, g.proposal, g.total_score) == ("pending", "", "", None)
    assert g.inputs["missing"] == [STATIC, DYNAMIC]
    run = gradings_confirm_all(spec=spec, year=2021, part="grade", actor=office_admin)
    assert run.rows == 0
    assert not RiskGrade.objects.filter(business=b).exists()
    g.refresh_from_db()
    assert g.grade == ""
    summary = year_summary(2021)
    assert (summary.operators, summary.by_grade, summary.recorded, summary.pending) == (
        1,
        {"A": 0, "B": 0, "C": 0, "D": 0},
        0,
        1,
    )
    with pytest.raises(GradingError, match="待评定"):
        grading_confirm(grading=g, actor=office_admin)
    with pytest.raises(GradingError, match="须填写改定理由"):
        grading_confirm(grading=g, grade="B", actor=office_admin)
    # The year-end adjustment has no base grade for it and proposes nothing.
    adjustments_propose(spec=spec, year=2021, actor=office_admin)
    g.refresh_from_db()
    assert (g.suggestion, g.proposed_next_grade) == ("", "")


def test_half_the_data_is_not_a_grade(district, office_admin):
    """A restaurant with a clean checklist but no static record: its static score is unknown,
    so no grade (before: tier Ⅲ 24 + 0 → A). An older flour mill with a static record (0101 →
    13.5) and no checklist: its dynamic score is unknown (before: 13.5 + 0 → A). A flour mill
    opened in 2021 with the same record is a new operator and is graded from the static score
    alone (第二十四条, [P]): 13.5 → A."""
    spec = national()
    restaurant = business(sector="catering", business_format="restaurant", risk_level="B")
    record_checklist(restaurant)
    old_mill = business(sector="production", business_format="manufacturer")
    new_mill = business(
        sector="production", business_format="manufacturer", opened_on=date(2021, 3, 1)
    )
    for mill in (old_mill, new_mill):
        static_factors_record(
            business=mill,
            spec=spec,
            table="production",
            values={"food_category": ["0101"]},
            actor=office_admin,
        )
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    assert (graded(restaurant).basis, graded(restaurant).proposal) == ("recorded", "B")
    assert graded(restaurant).inputs["missing"] == [STATIC]
    assert (graded(old_mill).basis, graded(old_mill).inputs["missing"]) == ("pending", [DYNAMIC])
    # what is known is kept: the static score it would have had
    assert graded(old_mill).inputs["static"]["points"] == "13.5"
    assert (graded(new_mill).basis, graded(new_mill).score_grade) == ("new_operator", "A")


def test_presuming_is_explicit_labelled_and_never_replaces_a_recorded_grade(district, office_admin):
    """With presumption switched on in the scheme: a grocery (tier Ⅰ → 8, dynamic 0) with no
    recorded grade is presumed A, and the grading says it is presumed; a central kitchen
    recorded D keeps D (its presumed 32 → B is not used)."""
    spec = presuming(national())
    grocery = business(sector="sales", business_format="grocery")
    kitchen = business(sector="catering", business_format="central_kitchen", risk_level="D")
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    g = graded(grocery)
    assert (g.basis, g.total_score, g.score_grade) == ("no_checklist", 8, "A")
    assert g.presumed and g.inputs["presumed"] == ["static", "dynamic"]
    assert (graded(kitchen).basis, graded(kitchen).proposal) == ("recorded", "D")
    gradings_confirm_all(spec=spec, year=2021, part="grade", actor=office_admin)
    assert dict(RiskGrade.objects.values_list("business_id", "level")) == {
        grocery.pk: "A",
        kitchen.pk: "D",
    }


def test_a_run_covers_operators_closed_during_the_year(district, office_admin):
    """Operators open at any time of the year are graded: one closed on 2021-09-15 (recorded
    B) is graded for 2021, one closed on 2020-05-01 is not."""
    spec = national()
    autumn = business(risk_level="B", status="closed", closed_on=date(2021, 9, 15))
    old = business(risk_level="C", status="closed", closed_on=date(2020, 5, 1))
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    assert graded(autumn).proposal == "B"
    assert not Grading.objects.filter(business=old).exists()
