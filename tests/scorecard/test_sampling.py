"""Sampling indicators (第6、13、24条): batches per 1,000 residents, residue batches, the
evaluation pass rate and surveillance coverage of every stage and format, worked out by hand.

Counting rules (metrics/sampling.py): volume counts surveillance, evaluation and risk-monitoring
batches of market regulation and agriculture (快检 and other departments left out) over the
resident population × 1000; the target is 4 a year (2 for residue batches), pro-rated by months.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from foodsafe.completeness.models import ZeroReport
from foodsafe.scorecard.results import Status
from tests.factories import FoodBusinessFactory, PopulationFactory, SamplingBatchFactory
from tests.factories import TestItemFactory as ItemFactory

from .conftest import DISTRICT, SUB_A, SUB_B


def batch(on: date = date(2021, 6, 1), unit: str = DISTRICT, **fields):
    return SamplingBatchFactory(sampled_on=on, org_unit__code=unit, **fields)


def batches(n: int, on: date = date(2021, 6, 1), unit: str = DISTRICT, **fields) -> None:
    SamplingBatchFactory.create_batch(n, sampled_on=on, org_unit__code=unit, **fields)


def population(persons: int, unit: str = DISTRICT, year: int = 2021) -> None:
    PopulationFactory(org_unit__code=unit, year=year, resident_population=persons)


# -- 抽检量 批次/千人 ------------------------------------------------------------------------


def test_exactly_4_per_thousand_is_met(indicator):
    population(2500)
    batches(10)
    r = indicator("sampling_per_thousand")
    assert r.numerator == 10
    assert r.denominator == 2500
    assert r.value == Decimal("4")  # 10 batches / 2,500 residents × 1000 = 4.0, exactly the target
    assert r.target_value == 4
    assert r.status is Status.MET
    assert r.gap is None


def test_below_4_per_thousand_gap_in_batches(indicator):
    population(2500)
    batches(9)
    r = indicator("sampling_per_thousand")
    assert (r.numerator, r.denominator) == (9, 2500)
    assert r.value == Decimal("3.6")  # 9 / 2,500 × 1000 = 3.6
    assert r.status is Status.NOT_MET
    # 4 per 1,000 of 2,500 residents = 10 batches; 10 − 9 = 1 batch still needed.
    assert r.gap.amount == 1
    assert r.gap.unit_zh == "批次"
    assert "1" in r.gap.text_zh
    assert r.gap.text_zh == "还需抽检 1 批次"
    assert r.responsible_units == ("区市场监管局",)


def test_counted_sampling_types_and_departments(indicator):
    population(1000)
    batch(sampling_type="surveillance", department="market_regulation")  # counts
    batch(sampling_type="evaluation", department="agriculture")  # counts
    batch(sampling_type="risk_monitoring", department="market_regulation")  # counts
    batch(sampling_type="rapid_test", department="market_regulation")  # 快检: left out
    batch(sampling_type="surveillance", department="other")  # other department: left out
    r = indicator("sampling_per_thousand")
    assert r.numerator == 3  # 3 of the 5 batches count
    assert r.value == Decimal("3")  # 3 / 1,000 × 1000
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 4 × 1000 / 1000 − 3 = 1


def test_no_population_row_is_no_data(indicator):
    batches(9)
    population(2500, year=2020)  # a figure for another year does not count
    r = indicator("sampling_per_thousand")
    assert r.numerator == 9
    assert r.denominator is None
    assert r.value is None
    assert r.status is Status.NO_DATA
    assert r.gap is None


def test_population_of_zero_is_no_data(indicator):
    population(0)
    batches(3)
    r = indicator("sampling_per_thousand")
    assert r.value is None
    assert r.status is Status.NO_DATA
    assert r.gap is None


# -- subtree roll-up and population ----------------------------------------------------------


def test_batches_and_population_roll_up_from_subdistricts(indicator):
    batches(3, unit=SUB_A)
    batches(5, unit=SUB_B)
    population(1000, unit=SUB_A)
    population(1500, unit=SUB_B)

    district = indicator("sampling_per_thousand")
    assert district.numerator == 8  # 3 in A + 5 in B
    assert district.denominator == 2500  # no district figure: 1,000 (A) + 1,500 (B)
    assert district.value == Decimal("3.2")  # 8 / 2,500 × 1000 = 3.2

    a = indicator("sampling_per_thousand", org_unit=SUB_A)
    assert (a.numerator, a.denominator) == (3, 1000)
    assert a.value == Decimal("3")  # 3 / 1,000 × 1000

    b = indicator("sampling_per_thousand", org_unit=SUB_B)
    assert (b.numerator, b.denominator) == (5, 1500)
    assert b.value == Decimal("3.33")  # 5 / 1,500 × 1000 = 3.333… → 3.33


def test_district_own_population_figure_wins(indicator):
    batches(3, unit=SUB_A)
    batches(5, unit=SUB_B)
    population(1000, unit=SUB_A)
    population(1500, unit=SUB_B)
    population(2000, unit=DISTRICT)
    r = indicator("sampling_per_thousand")
    assert r.denominator == 2000  # the district's own figure, not 1,000 + 1,500
    assert r.value == Decimal("4")  # 8 / 2,000 × 1000 = 4.0
    assert r.status is Status.MET


def test_district_level_rows_count_at_district_not_in_subdistricts(indicator):
    batches(2, unit=DISTRICT)  # recorded at the district itself
    batches(1, unit=SUB_A)
    population(1000, unit=DISTRICT)
    population(1000, unit=SUB_A)
    assert indicator("sampling_per_thousand").numerator == 3  # 2 + 1
    assert indicator("sampling_per_thousand", org_unit=SUB_A).numerator == 1
    assert indicator("sampling_per_thousand", org_unit=SUB_B).numerator == 0


def test_other_district_is_out_of_scope(indicator):
    batches(4, unit="120102001000")  # 河东区 — shares the city prefix 1201 but not 120101
    population(1000)
    r = indicator("sampling_per_thousand")
    # 和平区 has no batch of any date: its sampling ledger is not loaded — no data, not 0.
    assert (r.numerator, r.status) == (None, Status.NO_DATA)
    batches(1, on=date(2019, 5, 1), unit=SUB_A)  # loaded, but nothing in 2021
    r = indicator("sampling_per_thousand")
    # A batch of 2019 says nothing of 2021: not reported for the period → 无数据 (F9; this
    # read 0/1000 未达标 before).
    assert (r.numerator, r.status, r.note) == (None, Status.NO_DATA, "未上报")
    # The bureau's zero report for 2021 (nothing sampled): a real zero → 0/1000 未达标.
    ZeroReport.objects.create(ledger="sampling", org_unit_id=DISTRICT, period="2021")
    r = indicator("sampling_per_thousand")
    assert (r.numerator, r.denominator, r.status) == (0, 1000, Status.NOT_MET)


# -- period boundaries and pro-rated targets --------------------------------------------------


@pytest.mark.parametrize(
    ("period", "first", "last", "before", "after"),
    [
        ("2021", date(2021, 1, 1), date(2021, 12, 31), date(2020, 12, 31), date(2022, 1, 1)),
        ("2021S1", date(2021, 1, 1), date(2021, 6, 30), date(2020, 12, 31), date(2021, 7, 1)),
        ("2021Q3", date(2021, 7, 1), date(2021, 9, 30), date(2021, 6, 30), date(2021, 10, 1)),
        ("202108", date(2021, 8, 1), date(2021, 8, 31), date(2021, 7, 31), date(2021, 9, 1)),
    ],
)
def test_first_and_last_day_count_day_before_and_after_do_not(
    indicator, period, first, last, before, after
):
    population(1000)
    for day in (first, last, before, after):
        batch(on=day)
    r = indicator("sampling_per_thousand", period=period)
    assert r.numerator == 2  # only the batches on the first and the last day


@pytest.mark.parametrize(
    ("period", "target"),
    [
        ("2021", Decimal("4")),  # 4 a year
        ("2021S1", Decimal("2")),  # 4 × 6/12
        ("2021Q3", Decimal("1")),  # 4 × 3/12
    ],
)
def test_annualised_target_is_pro_rated(indicator, period, target):
    population(1000)
    r = indicator("sampling_per_thousand", period=period)
    assert r.target_value == target
    assert r.target == ">= 4"


def test_monthly_target_is_a_twelfth(indicator):
    population(1000)
    r = indicator("sampling_per_thousand", period="202108")
    assert r.target_value.quantize(Decimal("0.0001")) == Decimal("0.3333")  # 4 × 1/12
    r = indicator("residue_sampling_per_thousand", period="202108")
    assert r.target_value.quantize(Decimal("0.0001")) == Decimal("0.1667")  # 2 × 1/12


def test_quarter_met_against_pro_rated_target(indicator):
    population(10000)
    batches(10, on=date(2021, 8, 1))
    r = indicator("sampling_per_thousand", period="2021Q3")
    assert r.value == Decimal("1")  # 10 / 10,000 × 1000 = 1.0 = 4 × 3/12
    assert r.status is Status.MET


def test_quarter_gap_against_pro_rated_target(indicator):
    population(10000)
    batches(9, on=date(2021, 8, 1))
    r = indicator("sampling_per_thousand", period="2021Q3")
    assert r.value == Decimal("0.9")  # 9 / 10,000 × 1000
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 1 per 1,000 of 10,000 = 10 batches; 10 − 9 = 1


def test_half_year_met_at_2_per_thousand(indicator):
    population(1500)
    batches(3, on=date(2021, 3, 1))
    r = indicator("sampling_per_thousand", period="2021S1")
    assert r.target_value == 2  # 4 × 6/12
    assert r.value == Decimal("2")  # 3 / 1,500 × 1000 = 2.0
    assert r.status is Status.MET


# -- 农兽药残留抽检量 ---------------------------------------------------------------------------


def _residue_fixture():
    pesticide = batch()
    ItemFactory(batch=pesticide, category="pesticide_residue")
    vet = batch(sampling_type="risk_monitoring", department="agriculture")
    ItemFactory(batch=vet, category="vet_drug_residue")
    both = batch()  # two residue items, one batch
    ItemFactory(batch=both, category="pesticide_residue")
    ItemFactory(batch=both, category="vet_drug_residue")
    ItemFactory(batch=both, category="other")
    other_only = batch()
    ItemFactory(batch=other_only, category="other")
    batch()  # no test items
    rapid = batch(sampling_type="rapid_test")  # 快检 is not counted even with a residue item
    ItemFactory(batch=rapid, category="pesticide_residue")
    old = batch(on=date(2020, 12, 31))  # out of period
    ItemFactory(batch=old, category="pesticide_residue")


def test_residue_batches_met(indicator):
    _residue_fixture()
    population(1000)
    r = indicator("residue_sampling_per_thousand")
    assert r.numerator == 3  # pesticide, vet-drug, and the batch with both (once)
    assert r.denominator == 1000
    assert r.value == Decimal("3")  # 3 / 1,000 × 1000 = 3.0 ≥ 2
    assert r.status is Status.MET
    assert r.target_value == 2


def test_residue_batches_not_met(indicator):
    _residue_fixture()
    population(2000)
    r = indicator("residue_sampling_per_thousand")
    assert r.value == Decimal("1.5")  # 3 / 2,000 × 1000
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 2 per 1,000 of 2,000 = 4 batches; 4 − 3 = 1
    assert r.gap.text_zh == "还需针对农药兽药残留抽检 1 批次"
    # All batches of the same fixture: 3 residue + other-only + no items = 5 (快检 and the
    # 2020 batch left out).
    assert indicator("sampling_per_thousand").numerator == 5


def test_residue_reading_without_risk_monitoring_flips(indicator):
    """Whether 风险监测 batches count toward 2 批次/千人 is not confirmed (RULES.md §1.6, §7),
    as for 4 批次/千人: the spec counts them and prints the reading without them beside it.

    1,250 residents; three residue batches: 监督抽检 (市场监管), 评价性抽检 (农业农村) and
    风险监测 (市场监管). Target 2 per 1,000 → 2.5 batches.
    - spec reading (all three types, both departments): 3 / 1,250 × 1000 = 2.4 ≥ 2, 达标;
    - 不计风险监测: 监督 + 评价 = 2 / 1,250 × 1000 = 1.6 < 2, 未达标 → 结论不同;
    - 仅计市场监管部门: 监督 + 风险监测 = 2 → 1.6, 未达标 → 结论不同.
    """
    population(1250)
    for kind, department in [
        ("surveillance", "market_regulation"),
        ("evaluation", "agriculture"),
        ("risk_monitoring", "market_regulation"),
    ]:
        ItemFactory(
            batch=batch(sampling_type=kind, department=department), category="pesticide_residue"
        )
    r = indicator("residue_sampling_per_thousand")
    assert (r.numerator, r.denominator, r.value) == (3, 1250, Decimal("2.4"))
    assert r.status is Status.MET
    readings = {x.code: x for x in r.readings}
    assert list(readings) == ["without_risk_monitoring", "market_regulation_only"]
    without = readings["without_risk_monitoring"]
    assert (without.numerator, without.denominator) == (2, 1250)
    assert without.value == Decimal("1.6")
    assert without.status is Status.NOT_MET and without.flips
    own = readings["market_regulation_only"]
    assert own.value == Decimal("1.6") and own.flips
    assert r.flipped  # the verdict hangs on the reading


def test_residue_reading_flip_shown_in_excel_word_and_json(district, tmp_path):
    """The same three batches as above (2.4 达标; 不计风险监测 1.6 未达标): the Excel row, the
    Word table row and the JSON each carry the other reading with 结论不同 (issue 10 §3)."""
    import docx
    import openpyxl

    from foodsafe.reports.docx import scorecard_to_docx
    from foodsafe.reports.xlsx import scorecard_to_xlsx
    from foodsafe.scorecard.engine import evaluate_scorecard

    from .conftest import narrowed_spec

    population(1250)
    for kind in ("surveillance", "evaluation", "risk_monitoring"):
        ItemFactory(batch=batch(sampling_type=kind), category="pesticide_residue")
    card = evaluate_scorecard(
        spec=narrowed_spec("residue_sampling_per_thousand"), org_unit=DISTRICT, period="2021"
    )
    note = "另一口径（不计风险监测）：1.60 批次/千人，未达标——结论不同"
    ws = openpyxl.load_workbook(scorecard_to_xlsx(card, tmp_path / "s.xlsx"))["指标"]
    (row,) = [
        r for r in ws.iter_rows(min_row=2, values_only=True) if r[3] == card.indicators[0].name
    ]
    assert row[9] == "达标" and note in row[13]
    document = docx.Document(str(scorecard_to_docx(card, tmp_path / "s.docx")))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(note in c for c in cells)
    (data,) = card.to_json()["indicators"]
    other = {r["code"]: r for r in data["readings"]}["without_risk_monitoring"]
    assert (other["numerator"], other["status"], other["flips"]) == (2, "not_met", True)


# -- 评价性抽检合格率 ---------------------------------------------------------------------------


def _evaluation(conforming: int, nonconforming: int, pending: int = 0) -> None:
    batches(conforming, sampling_type="evaluation", conclusion="conforming")
    batches(nonconforming, sampling_type="evaluation", conclusion="nonconforming")
    # Pending results are in neither numerator nor denominator (shown beside the rate).
    batches(pending, sampling_type="evaluation", conclusion="pending")
    # Never counted: batches that are not evaluation sampling.
    batches(2, sampling_type="surveillance", conclusion="nonconforming")


def test_147_of_150_is_exactly_98_and_met(indicator):
    _evaluation(147, 3)
    r = indicator("evaluation_pass_rate")
    assert (r.numerator, r.denominator) == (147, 150)
    assert r.value == Decimal("98")  # 147 / 150 × 100 = 98 exactly
    assert r.status is Status.MET
    assert r.gap is None


def test_146_of_150_not_met_with_gap(indicator):
    _evaluation(146, 4)
    r = indicator("evaluation_pass_rate")
    assert (r.numerator, r.denominator) == (146, 150)
    assert r.value == Decimal("97.33")  # 146 / 150 × 100 = 97.333…
    assert r.status is Status.NOT_MET
    # 98% of 150 = 147 conforming needed; 147 − 146 = 1 over the allowance; 150 − 146 = 4 failed.
    assert r.gap.amount == 1
    assert r.gap.text_zh == "超出允许的不合格 1 批次（共 4 批次不合格）"


def test_evaluation_without_conclusions_is_pending_not_met(indicator):
    # Issue 10 §2: 40 evaluation batches all still 待检. Before: left out, so 0/0 (or, with a
    # district's decided batches, 40/40 = 100 % 达标 while the subdistrict had only pending
    # ones). Now: best case 40/40 = 100 % ≥ 98 %, worst 0/40 = 0 %: the verdict is open, 不完整,
    # never 达标, and the breakdown says 0 合格，0 不合格，40 待检.
    batches(40, sampling_type="evaluation", conclusion="pending")
    batches(3, sampling_type="surveillance")
    r = indicator("evaluation_pass_rate")
    assert (r.numerator, r.denominator, r.pending) == (0, 0, 40)
    assert r.value is None
    assert r.status is Status.INCOMPLETE
    assert r.breakdown_zh == "0 合格，0 不合格，40 待检"


def test_pending_shown_and_not_counted_as_passed(indicator):
    # 38 合格, 2 不合格, 40 待检. Decided: 38/40 = 95 %. Even if all 40 pending pass: 78/80 =
    # 97.5 % < 98 %, so 未达标 whatever they turn out to be.
    _evaluation(38, 2, pending=40)
    r = indicator("evaluation_pass_rate")
    assert (r.numerator, r.denominator, r.pending) == (38, 40, 40)
    assert r.value == Decimal("95")  # 38 / 40 × 100
    assert r.status is Status.NOT_MET
    assert r.breakdown_zh == "38 合格，2 不合格，40 待检"


def test_pending_that_cannot_change_the_verdict(indicator):
    # 490 合格, 0 不合格, 5 待检: worst case 490/495 = 98.99 % ≥ 98 %: met either way.
    _evaluation(490, 0, pending=5)
    r = indicator("evaluation_pass_rate")
    assert r.status is Status.MET
    assert r.value == Decimal("100")


def test_pending_that_could_change_the_verdict(indicator):
    # 147 合格, 3 不合格 (exactly 98 %), 2 待检: best 149/152 = 98.03 % met, worst 147/152 =
    # 96.71 % not: 不完整 (before issue 10 the pending two were dropped and it read 达标).
    _evaluation(147, 3, pending=2)
    r = indicator("evaluation_pass_rate")
    assert r.status is Status.INCOMPLETE
    assert r.value == Decimal("98")


def test_district_with_a_subdistrict_of_only_pending_batches(indicator):
    # Issue 10 §2's case: A街道 has 40 evaluation batches, all 合格; B街道 has 40, all 待检.
    # Before, the pending ones were dropped: the district read 40/40 = 100 % 达标 and B街道
    # 无数据. Now the district's 40 待检 are shown: best (80/80 = 100 %) meets ≥ 98 %, worst
    # (40/80 = 50 %) does not, so 不完整 with 40 合格，0 不合格，40 待检; B街道 alone: best
    # 40/40, worst 0/40, 不完整 too (not 无数据: its ledger was reported, its results are
    # not in); A街道 alone is 40/40 = 100 % 达标.
    batches(40, unit=SUB_A, sampling_type="evaluation", conclusion="conforming")
    batches(40, unit=SUB_B, sampling_type="evaluation", conclusion="pending")
    district = indicator("evaluation_pass_rate")
    assert (district.numerator, district.denominator, district.pending) == (40, 40, 40)
    assert district.value == Decimal("100")
    assert district.status is Status.INCOMPLETE
    assert district.breakdown_zh == "40 合格，0 不合格，40 待检"
    sub_b = indicator("evaluation_pass_rate", org_unit=SUB_B)
    assert (sub_b.numerator, sub_b.denominator, sub_b.pending, sub_b.status) == (
        0,
        0,
        40,
        Status.INCOMPLETE,
    )
    assert indicator("evaluation_pass_rate", org_unit=SUB_A).status is Status.MET


def test_no_evaluation_batch_is_not_applicable_not_unreported(indicator):
    # The sampling ledger is reported (surveillance batches) but no evaluation batch: 不适用.
    batches(3, sampling_type="surveillance")
    assert indicator("evaluation_pass_rate").status is Status.NOT_APPLICABLE
    # A subdistrict with none either, while its district keeps the ledger: 不适用 too.
    assert indicator("evaluation_pass_rate", org_unit=SUB_B).status is Status.NOT_APPLICABLE


def test_sampling_ledger_never_reported_is_no_data(indicator):
    # No sampling row in the county at all and no zero report: 无数据, noted 未上报.
    r = indicator("evaluation_pass_rate")
    assert r.status is Status.NO_DATA
    assert r.note == "未上报"


# -- 监督抽检覆盖率 -----------------------------------------------------------------------------

REQUIRED_CELLS = [
    ("production", "manufacturer"),
    ("production", "small_workshop"),
    ("circulation", "supermarket"),
    ("circulation", "grocery"),
    ("circulation", "produce_market"),
    ("circulation", "wholesale_market"),
    ("catering", "restaurant"),
    ("catering", "small_eatery"),
    ("catering", "school_canteen"),
    ("catering", "central_kitchen"),
    ("online", "ordering_platform"),
]


def plan_reading(r):
    """The other reading of item 6: the fixed 11 cells of the plan (spec ``plan_cells``)."""
    (reading,) = r.readings
    assert reading.code == "plan_cells"
    return reading


def test_surveillance_coverage_plan_cells_not_met(indicator):
    for stage, fmt in REQUIRED_CELLS[:10]:
        batch(stage=stage, business_format=fmt, sampling_type="surveillance")
    batch(stage="catering", business_format="restaurant")  # a second batch in a covered cell
    batch(stage="circulation", business_format="restaurant")  # not a required cell
    batch(stage="online", business_format="ordering_platform", sampling_type="evaluation")
    batch(stage="online", business_format="ordering_platform", on=date(2020, 12, 31))
    r = indicator("surveillance_sampling_coverage")
    # The spec's reading counts the registry's cells: no business registered, no data.
    assert r.status is Status.NO_DATA
    plan = plan_reading(r)
    assert plan.numerator == 10  # 10 distinct required cells; the 11th only has an evaluation
    assert plan.denominator == 11  # batch and a batch of 2020
    assert plan.value == Decimal("90.91")  # 10 / 11 × 100 = 90.909…
    assert plan.status is Status.NOT_MET
    assert not plan.flips  # no verdict on the spec's reading: nothing to flip


def test_surveillance_coverage_plan_cells_met(indicator):
    for stage, fmt in REQUIRED_CELLS:
        batch(stage=stage, business_format=fmt, sampling_type="surveillance", unit=SUB_A)
    plan = plan_reading(indicator("surveillance_sampling_coverage"))
    assert (plan.numerator, plan.denominator) == (11, 11)
    assert plan.value == Decimal("100")  # 11 / 11
    assert plan.status is Status.MET
    assert plan_reading(indicator("surveillance_sampling_coverage", org_unit=SUB_B)).numerator == 0


def _registry() -> None:
    """Businesses of SUB_A: the registry cells are catering|restaurant, circulation|supermarket
    (食品销售 → 流通) and online|ordering_platform (the 业态 decides the 环节); a grocery closed
    in June is not operating at the period's end, and an eatery opens in 2022."""
    business = FoodBusinessFactory
    business(sector="catering", business_format="restaurant", org_unit__code=SUB_A)
    business(sector="sales", business_format="supermarket", org_unit__code=SUB_A)
    business(sector="catering", business_format="ordering_platform", org_unit__code=SUB_A)
    business(
        sector="sales",
        business_format="grocery",
        org_unit__code=SUB_A,
        status="closed",
        closed_on=date(2021, 6, 30),
    )
    business(
        sector="catering",
        business_format="small_eatery",
        org_unit__code=SUB_A,
        opened_on=date(2022, 1, 5),
    )


def test_surveillance_coverage_against_registry_cells(indicator):
    _registry()
    batch(stage="catering", business_format="restaurant", unit=SUB_A)
    batch(stage="circulation", business_format="supermarket", unit=SUB_A)
    batch(stage="circulation", business_format="grocery", unit=SUB_A)  # no operating grocery
    batch(stage="online", business_format="ordering_platform", sampling_type="evaluation")
    r = indicator("surveillance_sampling_coverage")
    # Registry cells: 3. Surveilled among them: restaurant, supermarket = 2 (the platform only
    # had an evaluation batch; grocery is not a registry cell). 2 / 3 × 100 = 66.67.
    assert (r.numerator, r.denominator) == (2, 3)
    assert r.value == Decimal("66.67")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 3 − 2
    # The plan's 11 cells: restaurant, supermarket, grocery = 3 / 11 × 100 = 27.27; both fail.
    plan = plan_reading(r)
    assert (plan.numerator, plan.denominator) == (3, 11)
    assert plan.value == Decimal("27.27")
    assert not plan.flips


def test_registry_reading_met_while_plan_reading_fails_flips(indicator):
    _registry()
    for stage, fmt in [
        ("catering", "restaurant"),
        ("circulation", "supermarket"),
        ("online", "ordering_platform"),
    ]:
        batch(stage=stage, business_format=fmt, unit=SUB_A)
    r = indicator("surveillance_sampling_coverage")
    assert (r.numerator, r.denominator) == (3, 3)  # every cell the district has: met
    assert r.status is Status.MET
    plan = plan_reading(r)
    assert (plan.numerator, plan.denominator) == (3, 11)  # 3 of the plan's 11 cells: not met
    assert plan.status is Status.NOT_MET
    assert plan.flips and r.flipped  # the verdict hangs on the reading


def test_monthly_target_compared_exactly(indicator):
    # 2 a year pro-rated to a month is 2/12 = 1/6 per 1,000 — not a finite decimal. 2 residue
    # batches for 12,000 residents in August: 2 / 12,000 × 1000 = 1/6 exactly: met, no gap.
    population(12000)
    for _ in range(2):
        ItemFactory(batch=batch(on=date(2021, 8, 10)), category="vet_drug_residue")
    r = indicator("residue_sampling_per_thousand", period="202108")
    assert (r.numerator, r.denominator) == (2, 12000)
    assert r.value == Decimal("0.17")  # 0.1666… shown to 2 places
    assert r.status is Status.MET
    assert r.gap is None
    # The same for volume: 4 a year → 1/3 per 1,000 a month; 4 batches / 12,000 × 1000 = 1/3.
    batches(2, on=date(2021, 8, 31))
    r = indicator("sampling_per_thousand", period="202108")
    assert r.numerator == 4
    assert r.status is Status.MET


# -- item 6 monitoring: results published on time, failures disposed of within 90 days -------


def test_results_published_within_30_days(indicator):
    reported = date(2021, 6, 1)
    batch(reported_on=reported, published_on=date(2021, 7, 1))  # day 30: in time
    batch(reported_on=reported, published_on=date(2021, 7, 2))  # day 31: late
    batch(reported_on=reported)  # never published: late from 2 July
    batch(
        reported_on=reported, published_on=date(2021, 6, 5), sampling_type="evaluation"
    )  # not counted
    batch(reported_on=reported, conclusion="pending")  # no conclusion: not counted
    r = indicator("sampling_results_published_on_time")
    assert (r.numerator, r.denominator) == (1, 3)
    assert r.value == Decimal("33.33")  # 1 / 3


def test_unpublished_inside_the_limit_is_not_yet_counted(indicator):
    batch(reported_on=date(2021, 12, 20))  # due 19 Jan 2022: open on 31 Dec
    batch(reported_on=date(2021, 6, 1), published_on=date(2021, 6, 2))
    r = indicator("sampling_results_published_on_time")
    assert (r.numerator, r.denominator) == (1, 1)
    assert r.aside["open_in_time"] == 1


def test_no_reported_batch_is_no_data(indicator):
    batch()
    r = indicator("sampling_results_published_on_time")
    assert r.denominator == 0 and r.value is None


def test_failures_disposed_within_90_days(indicator):
    reported = date(2021, 3, 1)
    bad = {"conclusion": "nonconforming", "reported_on": reported, "on": date(2021, 2, 20)}
    batch(**bad, disposal_completed_on=date(2021, 5, 30))  # 1 Mar + 90 days = 30 May: in time
    batch(**bad, disposal_completed_on=date(2021, 5, 31))  # day 91: late
    batch(**bad)  # not disposed: late from 31 May
    batch(reported_on=reported, on=date(2021, 2, 20))  # conforming: not in the cohort
    r = indicator("nonconforming_disposed_on_time")
    assert (r.numerator, r.denominator) == (1, 3)
    # As of 30 May only the first is known (done in time); the others are still inside.
    r = indicator("nonconforming_disposed_on_time", as_of=date(2021, 5, 30))
    assert (r.numerator, r.denominator) == (1, 1)
    assert r.aside["open_in_time"] == 2
