"""The year as of every month end in one pass (``scorecard.months``) equals the separate runs.

``evaluate_months`` must give, for every unit, indicator and month end, what
``evaluate_scorecards(period=year, as_of=month_end)`` gives: the whole ``Scorecard`` compared
field for field (numerators, denominators, values, statuses, 无数据 and 未上报, gaps, forecasts,
readings, items with their evidence, vetoes, 数据截至). Checked on a hand-worked district, the
example district and a synthetic district, on the test database (SQLite or PostgreSQL) and on
DuckDB over Parquet; the Spark check is in ``tests/scale/test_spark.py``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from foodsafe.example.generate import generate_example_district
from foodsafe.imports.services import directory_import
from foodsafe.orgunits.models import OrgUnit
from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import VetoFinding
from foodsafe.scorecard.engine import evaluate_scorecards
from foodsafe.scorecard.months import evaluate_months
from foodsafe.scorecard.periods import month_ends
from foodsafe.scorecard.results import Status
from foodsafe.synthetic.parquet import duckdb_backend, export_parquet
from foodsafe.synthetic.services import synthetic_generate
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import (
    CaseFactory,
    IncidentFactory,
    PopulationFactory,
    SamplingBatchFactory,
    SurveyResponseFactory,
)


def assert_same_as_separate_runs(spec, codes, through, backend=None) -> dict:
    """Every month's cards from one pass equal the cards of a separate run as of that day."""
    together = evaluate_months(
        spec=spec, org_units=codes, year=through.year, through=through, backend=backend
    )
    assert list(together) == month_ends(through.year, through)
    for as_of, cards in together.items():
        alone = evaluate_scorecards(
            spec=spec, org_units=codes, period=str(through.year), as_of=as_of, backend=backend
        )
        for one, other in zip(cards, alone, strict=True):
            for a, b in zip(one.indicators, other.indicators, strict=True):
                assert a == b, (as_of, one.org_unit.code, a.code)
            assert one == other, (as_of, one.org_unit.code)
    return together


@pytest.fixture
def hand_worked(district):
    """1,000 residents in each subdistrict (2,000 in the district) and a few rows:

    - sampling (market regulation): surveillance batches on 10 January (A), 10 February (B),
      10 March (A) and one on 31 December 2020 (A: another year); evaluation batches on
      2 April (合格, B) and 3 May (不合格, A);
    - survey answers: 90 points on 20 January (A), 70 on 5 March (B);
    - one case: lead received 5 January (应立案), filed 3 February.
    """
    for code in (SUB_A, SUB_B):
        PopulationFactory(org_unit_id=code, resident_population=1000)
    for code, day, kind, conclusion in (
        (SUB_A, date(2020, 12, 31), "surveillance", "conforming"),
        (SUB_A, date(2021, 1, 10), "surveillance", "conforming"),
        (SUB_B, date(2021, 2, 10), "surveillance", "conforming"),
        (SUB_A, date(2021, 3, 10), "surveillance", "conforming"),
        (SUB_B, date(2021, 4, 2), "evaluation", "conforming"),
        (SUB_A, date(2021, 5, 3), "evaluation", "nonconforming"),
    ):
        SamplingBatchFactory(
            org_unit_id=code,
            sampled_on=day,
            sampling_type=kind,
            conclusion=conclusion,
            department="market_regulation",
        )
    SurveyResponseFactory(
        org_unit_id=SUB_A, responded_on=date(2021, 1, 20), satisfaction_score=Decimal(90)
    )
    SurveyResponseFactory(
        org_unit_id=SUB_B, responded_on=date(2021, 3, 5), satisfaction_score=Decimal(70)
    )
    CaseFactory(
        org_unit_id=SUB_A,
        lead_received_on=date(2021, 1, 5),
        should_file=True,
        filed_on=date(2021, 2, 3),
    )
    return district


def test_hand_worked_running_totals(hand_worked):
    spec = programme_spec()
    through = date(2021, 6, 15)
    months = assert_same_as_separate_runs(spec, [DISTRICT, SUB_A, SUB_B], through)
    assert list(months) == [
        date(2021, 1, 31), date(2021, 2, 28), date(2021, 3, 31),
        date(2021, 4, 30), date(2021, 5, 31), date(2021, 6, 15),
    ]  # fmt: skip

    def series(code: str, unit: int = 0) -> list:
        return [cards[unit].indicator(code) for cards in months.values()]

    # Batches per 1,000 residents, year to date: the 2020 batch never counts; January 1,
    # February 2, March 3, April 4 (the evaluation batch counts as sampling too), May and June 5.
    sampling = series("sampling_per_thousand")
    assert [r.numerator for r in sampling] == [1, 2, 3, 4, 5, 5]
    assert {r.denominator for r in sampling} == {2000}
    assert [r.value for r in sampling] == [
        Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2"), Decimal("2.5"),
        Decimal("2.5"),
    ]  # fmt: skip
    # Subdistrict A alone (1,000 residents): January 1, March 2, May 3 batches.
    assert [r.numerator for r in series("sampling_per_thousand", 1)] == [1, 1, 2, 2, 3, 3]
    assert all(r.status is Status.NOT_MET for r in sampling)  # target 4 a year
    # Satisfaction, the mean score so far: 90 until the 70 of March; 80 meets ≥ 80.
    satisfaction = series("satisfaction_score")
    assert [(r.numerator, r.denominator) for r in satisfaction] == [(90, 1)] * 2 + [(160, 2)] * 4
    assert [r.value for r in satisfaction] == [Decimal(90)] * 2 + [Decimal(80)] * 4
    # One, then two answers: far below the spec's min_valid_sample 385 (RULES-supervision.md
    # §3.3 [I]), so the values are for reference and no month has a verdict — the sample's n
    # is a running total like the rest.
    assert [r.note for r in satisfaction] == ["有效样本 1 份，少于 385 份，不作判定"] * 2 + [
        "有效样本 2 份，少于 385 份，不作判定"
    ] * 4
    assert {r.status for r in satisfaction} == {Status.NO_DATA}
    # Evaluation pass rate: no evaluation batch until April (the sampling ledger is there, so
    # 不适用, not 无数据); April 1 of 1 = 100 % met; May 1 of 2 = 50 % not met.
    passing = series("evaluation_pass_rate")
    assert [r.status for r in passing] == [Status.NOT_APPLICABLE] * 3 + [
        Status.MET,
        Status.NOT_MET,
        Status.NOT_MET,
    ]
    assert [r.value for r in passing][3:] == [Decimal(100), Decimal(50), Decimal(50)]
    # Case filing: the lead of 5 January is filed on 3 February: 0 of 1 in January, then 1 of 1.
    filing = series("case_filing_rate")
    assert [(r.numerator, r.denominator) for r in filing] == [(0, 1)] + [(1, 1)] * 5
    assert [r.status for r in filing] == [Status.NOT_MET] + [Status.MET] * 5
    # No complaint row at all and no zero report: 无数据 (未上报) every month, never 0 %.
    complaints = series("complaint_on_time_rate")
    assert {(r.status, r.value, r.note) for r in complaints} == {(Status.NO_DATA, None, "未上报")}


def test_january_alone_and_a_year_not_begun(hand_worked):
    spec = programme_spec()
    assert_same_as_separate_runs(spec, [DISTRICT], date(2021, 1, 1))
    assert (
        evaluate_months(spec=spec, org_units=[DISTRICT], year=2022, through=date(2021, 12, 31))
        == {}
    )


def test_last_only_units_are_left_out_of_earlier_months(hand_worked):
    months = evaluate_months(
        spec=programme_spec(),
        org_units=[DISTRICT, SUB_A, SUB_B],
        year=2021,
        through=date(2021, 3, 10),
        last_only=[SUB_A, SUB_B],
    )
    assert [[c.org_unit.code for c in cards] for cards in months.values()] == [
        [DISTRICT],
        [DISTRICT],
        [DISTRICT, SUB_A, SUB_B],
    ]


def test_example_district_every_month(db, tmp_path):
    out = tmp_path / "example"
    generate_example_district(out=out, population=35_000, seed=2021)
    directory_import(directory=out)
    spec = programme_spec()
    codes = [DISTRICT, *OrgUnit.objects.filter(parent_id=DISTRICT).values_list("code", flat=True)]
    months = assert_same_as_separate_runs(spec, codes, date(2021, 12, 31))
    top = months[date(2021, 12, 31)][0]
    assert any(i.numerator for i in top.indicators)  # real data, not all zeros


@pytest.fixture
def synthetic(db):
    """A synthetic district with an incident, an office finding (vetoed for one unit)."""
    report = synthetic_generate(population=30_000, seed=3)
    units = list(OrgUnit.objects.filter(code__startswith=report.code[:6]).order_by("level", "code"))
    IncidentFactory(org_unit=units[1], severity="II", occurred_on=date(2021, 3, 1))
    spec = programme_spec()
    finding = next(v.code for v in spec.vetoes if v.rule == "finding")
    VetoFinding.objects.create(
        programme_code=spec.programme.code, veto_code=finding, org_unit=units[2], year=2021,
        vetoed=True, basis="认定",
    )  # fmt: skip
    return report, spec, [u.code for u in units[:4]]


def test_synthetic_district_every_month(synthetic):
    _, spec, codes = synthetic
    months = assert_same_as_separate_runs(spec, codes, date(2021, 12, 31))
    vetoes = {v.code: v.status.value for v in months[date(2021, 12, 31)][2].vetoes}
    assert vetoes["veto_leadership"] == "vetoed"


def test_synthetic_district_on_duckdb(synthetic, tmp_path):
    report, spec, codes = synthetic
    export_parquet(directory=tmp_path, prefix=report.code[:6])
    backend = duckdb_backend(tmp_path)
    on_duckdb = assert_same_as_separate_runs(spec, codes, date(2021, 8, 20), backend=backend)
    on_db = evaluate_months(spec=spec, org_units=codes, year=2021, through=date(2021, 8, 20))
    for as_of, cards in on_db.items():
        assert [
            [(i.code, i.numerator, i.denominator, i.status) for i in c.indicators] for c in cards
        ] == [
            [(i.code, i.numerator, i.denominator, i.status) for i in c.indicators]
            for c in on_duckdb[as_of]
        ], as_of
