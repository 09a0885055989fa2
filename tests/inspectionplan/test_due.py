"""Due dates, one hand-worked case per rule (the reasoning is in each test).

Rules (foodsafe/inspectionplan/specs/plan-2021.yaml with the 2016 grading spec's frequencies
A ≥ 1, B ≥ 1, C ≥ 2, D ≥ 3 a year → every 12, 12, 6, 4 months; 第二十二条 full checklist every
24 months; 重点监督检查 every 6 months).
"""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.inspectionplan.due import (
    OperatorFacts,
    add_months,
    baseline_order_key,
    due_for,
    frequency_months,
)
from foodsafe.inspectionplan.in_force import plan_spec
from foodsafe.inspectionplan.selectors import Area, dues, operator_facts, split_names
from foodsafe.registry.models import RiskGrade
from tests.conftest import DISTRICT, SUB_A
from tests.factories import FoodBusinessFactory, InspectionFactory

ON = date(2021, 10, 1)
MONTHS_2016 = {"A": 12, "B": 12, "C": 6, "D": 4}


def facts(**kw) -> OperatorFacts:
    base = dict(
        business_id=1,
        registry_number="R1",
        name="示例",
        org_unit_code=SUB_A,
        sector="catering",
        business_format="restaurant",
        opened_on=date(2015, 1, 1),
        grade="B",
        grade_source="test",
        last_counted=None,
        last_full=None,
    )
    base.update(kw)
    return OperatorFacts(**base)


def test_add_months_clamps_to_month_end():
    # 31 May + 6 months is "31 November", which does not exist → 30 November.
    assert add_months(date(2021, 5, 31), 6) == date(2021, 11, 30)
    # 31 August + 6 → February 2022 has 28 days.
    assert add_months(date(2021, 8, 31), 6) == date(2022, 2, 28)
    assert add_months(date(2021, 12, 15), 1) == date(2022, 1, 15)


def test_months_from_the_grading_spec_frequencies():
    # 2016: A min 1 → 12 months; B min 1 → 12; C min 2 → 6; D min 3 → 4.
    spec = plan_spec()
    assert frequency_months(spec, {"A": 1, "B": 1, "C": 2, "D": 3}) == MONTHS_2016


def test_months_from_the_2022_draft_table():
    # The 2022 draft: A once in 2 years → 24 months; B 12; C 6; D 4.
    spec = plan_spec()
    draft = spec.model_copy(
        update={"frequency": spec.frequency.model_copy(update={"table": "draft-2022"})}
    )
    assert frequency_months(draft, {"A": 1, "B": 1, "C": 2, "D": 3}) == {
        "A": 24,
        "B": 12,
        "C": 6,
        "D": 4,
    }


def test_grade_frequency_rule():
    # Grade C, last counted inspection 2021-03-31: 6 months later is 2021-09-30.
    # Last full checklist 2020-05-10: + 24 months = 2022-05-10, later. So due 2021-09-30,
    # by the frequency rule, and overdue on 2021-10-01.
    due = due_for(
        plan_spec(),
        MONTHS_2016,
        facts(grade="C", last_counted=date(2021, 3, 31), last_full=date(2020, 5, 10)),
        ON,
    )
    assert due.due_on == date(2021, 9, 30)
    assert due.reason.rule == "frequency"
    assert "C 级每 6 个月" in due.reason.text and "2021-03-31" in due.reason.text
    assert due.overdue(ON)


def test_two_year_full_checklist_rule():
    # Grade A, counted 2021-02-15 → next by frequency 2022-02-15. But the last full-checklist
    # inspection was 2019-12-01: + 24 months = 2021-12-01, earlier → due 2021-12-01 (第二十二条).
    due = due_for(
        plan_spec(),
        MONTHS_2016,
        facts(grade="A", last_counted=date(2021, 2, 15), last_full=date(2019, 12, 1)),
        ON,
    )
    assert due.due_on == date(2021, 12, 1)
    assert due.reason.rule == "full_checklist"
    assert "第二十二条" in due.reason.text
    assert not due.overdue(ON)


def test_key_supervision_rule_for_a_central_kitchen():
    # A grade-B central kitchen inspected 2021-05-31: B gives 2022-05-31, but a central
    # kitchen is 重点监督检查 (every 6 months) → 2021-11-30 (no 31 November).
    due = due_for(
        plan_spec(),
        MONTHS_2016,
        facts(
            grade="B",
            business_format="central_kitchen",
            last_counted=date(2021, 5, 31),
            last_full=date(2021, 5, 31),
        ),
        ON,
    )
    assert due.key_categories == ("中央厨房",)
    assert due.due_on == date(2021, 11, 30)
    assert due.reason.rule == "key"


@pytest.mark.parametrize(
    ("sector", "grade", "key"),
    [
        ("production", "C", ("风险等级为 C、D 级的食品生产者",)),  # C producer: key
        ("sales", "C", ()),  # a C seller is not (only D operators are)
        ("sales", "D", ("风险等级为 D 级的食品经营者",)),
        ("production", "B", ()),
    ],
)
def test_key_categories_follow_article_22(sector, grade, key):
    due = due_for(
        plan_spec(),
        MONTHS_2016,
        facts(sector=sector, business_format="supermarket", grade=grade),
        ON,
    )
    assert due.key_categories == key


def test_ungraded_operator_never_inspected_counts_from_opening():
    # No grade, opened 2021-03-15, never inspected: ungraded rule 12 months → 2022-03-15;
    # full checklist 24 months → 2023-03-15. Due 2022-03-15.
    due = due_for(plan_spec(), MONTHS_2016, facts(grade="", opened_on=date(2021, 3, 15)), ON)
    assert due.due_on == date(2022, 3, 15)
    assert due.reason.rule == "ungraded"
    assert "自开业 2021-03-15 起算" in due.reason.text


def test_no_history_and_no_opening_date_is_due_at_once():
    due = due_for(plan_spec(), MONTHS_2016, facts(opened_on=None), ON)
    assert due.due_on == ON
    assert "即为到期" in due.reason.text


def test_baseline_order_grade_then_longest_since_last():
    # D before C before B; among two B's the one inspected longer ago comes first; never
    # inspected (no last date) comes before both.
    spec = plan_spec()
    d = due_for(
        spec, MONTHS_2016, facts(registry_number="D", grade="D", last_counted=date(2021, 9, 1)), ON
    )
    b_old = due_for(
        spec, MONTHS_2016, facts(registry_number="B1", last_counted=date(2020, 1, 1)), ON
    )
    b_new = due_for(
        spec, MONTHS_2016, facts(registry_number="B2", last_counted=date(2021, 1, 1)), ON
    )
    b_never = due_for(spec, MONTHS_2016, facts(registry_number="B3"), ON)
    ordered = sorted([b_new, b_old, d, b_never], key=lambda x: baseline_order_key(x, ON))
    assert [x.facts.registry_number for x in ordered] == ["D", "B3", "B1", "B2"]


def test_split_names():
    assert split_names("张三、李四") == ("张三", "李四")
    assert split_names("张三，李四 王五") == ("张三", "李四", "王五")
    assert split_names("") == ()


def test_facts_from_the_ledgers(district):
    """The grade in force is the latest RiskGrade up to the year (not the registry field);
    complaint inspections do not count as visits; a not-full inspection is not a full
    checklist; inspections after the history date are not seen; closed operators are out."""
    business = FoodBusinessFactory(org_unit_id=SUB_A, risk_level="A", opened_on=date(2010, 1, 1))
    RiskGrade.objects.create(
        business=business, year=2021, level="C", basis="assessment", decided_on=date(2021, 3, 1)
    )
    InspectionFactory(business=business, inspected_on=date(2021, 1, 10), inspectors="张三、李四")
    InspectionFactory(
        business=business,
        inspected_on=date(2021, 4, 2),
        inspection_type="special",
        full_checklist=False,
        inspectors="王五、赵六",
    )
    InspectionFactory(
        business=business,
        inspected_on=date(2021, 6, 1),
        inspection_type="complaint",
        full_checklist=False,
    )
    InspectionFactory(business=business, inspected_on=date(2021, 10, 5))  # after `until`
    FoodBusinessFactory(org_unit_id=SUB_A, status="closed", closed_on=date(2021, 5, 1))
    spec = plan_spec()
    [f] = operator_facts(spec=spec, area=Area(everywhere=True), on=ON, until=date(2021, 9, 30))
    assert f.grade == "C" and f.grade_source == "2021 年风险等级记录"
    assert f.last_counted == date(2021, 4, 2)  # the special inspection; the complaint one is not
    assert f.last_full == date(2021, 1, 10)  # neither later one was a full checklist
    # The last inspection of any type up to 2021-09-30 is the complaint one of 2021-06-01
    # (factory default inspectors ""), so nobody is barred by name.
    assert f.last_inspectors == ()
    # C every 6 months from 2021-04-02 → 2021-10-02.
    [due] = dues(spec=spec, area=Area(everywhere=True), on=ON, until=date(2021, 9, 30))
    assert due.due_on == date(2021, 10, 2)


def test_area_of_a_member_unit(district):
    FoodBusinessFactory(org_unit_id=SUB_A)
    spec = plan_spec()
    assert len(operator_facts(spec=spec, area=Area(everywhere=False, codes=(SUB_A,)), on=ON)) == 1
    assert (
        operator_facts(spec=spec, area=Area(everywhere=False, codes=("120101002000",)), on=ON) == []
    )
    assert (
        len(operator_facts(spec=spec, area=Area(everywhere=False, codes=(DISTRICT,)), on=ON)) == 1
    )
