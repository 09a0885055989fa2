"""Issue 11 §4, fourth step: the four issue-19 metrics that built a relation per month, in
their forms on main before (a relation free of the as-of date now), compared day by day with
the new forms on rows built for their corner cases; hand-worked days for the smalls; the
reading "a plan is its code within its unit". Helpers are those of ``test_running_forms``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import ibis
import pytest

from foodsafe.orgunits.models import subtree_prefix
from foodsafe.scorecard.backend import django_backend
from foodsafe.scorecard.context import Measure, MetricContext
from foodsafe.scorecard.metrics import emergency, operators, surveillance
from foodsafe.scorecard.periods import parse_period
from foodsafe.scorecard.registry import Fraction
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.factories import (
    FoodBusinessFactory,
    InspectionFactory,
    PlanRevisionFactory,
    SentinelInstitutionFactory,
    SentinelReportFactory,
    SystemCertificateFactory,
)

from .test_running_forms import PERIOD, all_numbers, both, numbers


# -- the four issue-19 metrics that ran per month, before (issue 11 §4, fourth step) ---------------
def old_small_operator_rectification_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """As on main before: the latest problem and the latest fix up to the day, compared."""
    formats = list(options.get("business_formats", operators.THREE_SMALLS))
    i = ctx.table("inspection")
    found = i.filter(ctx.in_period(i.inspected_on), i.result.isin(operators.PROBLEM_RESULTS))
    last_problem = found.group_by(_lp_key=found.business_id).aggregate(
        last_problem_on=found.inspected_on.max()
    )
    fixed = i.filter(
        i.inspection_type == "follow_up",
        i.result == "compliant",
        i.inspected_on <= ibis.date(ctx.as_of),
    )
    last_fix = fixed.group_by(_lf_key=fixed.business_id).aggregate(
        last_fix_on=fixed.inspected_on.max()
    )
    b = ctx.relation("business")
    with_problem = b.join(last_problem, b.id == last_problem._lp_key).select(
        *b.columns, "last_problem_on"
    )
    joined = with_problem.left_join(last_fix, with_problem.id == last_fix._lf_key)
    r = joined.select(*with_problem.columns, "last_fix_on")
    required = r.business_format.isin(formats)
    closed = r.last_fix_on.notnull() & (r.last_fix_on > r.last_problem_on)
    return Fraction(Measure(r, where=required & closed), Measure(r, where=required))


def old_management_system_certification_rate(
    ctx: MetricContext, options: dict[str, Any]
) -> Fraction:
    schemes = list(options.get("schemes", ["gmp", "haccp"]))
    on = ibis.date(ctx.period_to_date)
    c = ctx.table("system_certificate")
    valid = c.filter(c.scheme.isin(schemes), c.issued_on <= on, c.valid_until >= on)
    b = ctx.with_first(
        ctx.relation("business"), "id", valid, "business_id", "issued_on", "certified_since"
    )
    required = (
        ctx.operating_on(b, ctx.period_to_date)
        & (b.sector == "production")
        & (b.above_designated_size | b.infant_formula)
    )
    return Fraction(
        Measure(b, where=required & b.certified_since.notnull()), Measure(b, where=required)
    )


def old_sentinel_monthly_reporting_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    months = surveillance._months_due(ctx, int(options.get("report_by_day", 10)))
    if not months:
        return Fraction(0, 0)
    first, last = months[0][0], surveillance._next_month(months[-1][0]) - timedelta(days=1)
    r = ctx.table("sentinel_report")
    on_time = None
    for month, deadline in months:
        this = (r.month == ibis.date(month)) & (r.reported_on <= ibis.date(deadline))
        on_time = this if on_time is None else on_time | this
    due = r.filter(on_time)
    counts = due.group_by(_inst=due.institution_id).aggregate(months_reported=due.month.nunique())
    s0 = ctx.relation("sentinel_institution")
    joined = s0.left_join(counts, s0.id == counts._inst)
    s = joined.select(*s0.columns, "months_reported")
    designated = (s.designated_on.isnull() | (s.designated_on <= ibis.date(first))) & (
        s.withdrawn_on.isnull() | (s.withdrawn_on > ibis.date(last))
    )
    every_month = s.months_reported.notnull() & (s.months_reported >= len(months))
    return Fraction(Measure(s, where=designated & every_month), Measure(s, where=designated))


def old_emergency_plan_current(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    years = int(options.get("max_years", 3))
    on = ctx.period_to_date
    t = ctx.relation("plan_revision")
    issued = t.revised_on <= ibis.date(on)
    recent = issued & (t.revised_on > ibis.date(emergency._years_before(on, years)))
    return Fraction(
        Measure(t, reduce="nunique", column="plan_code", where=recent),
        Measure(t, reduce="nunique", column="plan_code", where=issued),
    )


@pytest.fixture
def fourth_step(district):
    """Rows for the four metrics, chosen for their turns (each line says what it tests).

    Three smalls (A unless said): 1 problem 1 Mar, fixed 20 Mar, problem again 10 Jun with a
    same-day follow-up (not after it), fixed 1 Jul; 2 (B) problem 1 Feb, never fixed; 3
    problem 20 Dec 2020 (before the year), fixed 5 Jan; 4 two problems on 5 May, a routine
    compliant visit on 6 May and a follow-up 基本符合 on 7 May (neither closes), fixed 9 Sep;
    a restaurant (not a small) with a problem 1 Apr fixed 10 Apr.
    Producers: p1 GMP to 31 May then HACCP from 1 Jul (a gap in June); p2 infant formula,
    HACCP from 1 Feb and an ISO 22000 (not a counted scheme); p3 above size, none; p4 closes
    1 Aug, certified; p5 below size, certified (not required).
    Sentinels (A unless said): full year; missed July (B); designated 1 Mar (out all year);
    withdrawn 1 Oct; withdrawn 1 Jun 2020; withdrawn 15 Jan 2022; no report at all (B);
    February reported on 11 Mar (late).
    Plans: D revised 2017-03-01 and 2019-01-01; A 2018-12-31; N 2022-03-01 (not yet issued);
    F 2020-02-29 (a leap day, with the one-year reading: current to 28 Feb 2021).
    """

    def inspect(business, day, result, kind="routine"):
        InspectionFactory(business=business, inspected_on=day, result=result, inspection_type=kind)

    d = date
    s1 = FoodBusinessFactory(business_format="small_eatery", org_unit_id=SUB_A)
    inspect(s1, d(2021, 3, 1), "rectify")
    inspect(s1, d(2021, 3, 20), "compliant", "follow_up")
    inspect(s1, d(2021, 6, 10), "noncompliant")
    inspect(s1, d(2021, 6, 10), "compliant", "follow_up")
    inspect(s1, d(2021, 7, 1), "compliant", "follow_up")
    s2 = FoodBusinessFactory(business_format="food_stall", org_unit_id=SUB_B)
    inspect(s2, d(2021, 2, 1), "rectify")
    s3 = FoodBusinessFactory(business_format="small_workshop", org_unit_id=SUB_A)
    inspect(s3, d(2020, 12, 20), "rectify")
    inspect(s3, d(2021, 1, 5), "compliant", "follow_up")
    s4 = FoodBusinessFactory(business_format="small_eatery", org_unit_id=SUB_A)
    inspect(s4, d(2021, 5, 5), "rectify")
    inspect(s4, d(2021, 5, 5), "noncompliant")
    inspect(s4, d(2021, 5, 6), "compliant")
    inspect(s4, d(2021, 5, 7), "rectify", "follow_up")
    inspect(s4, d(2021, 9, 9), "compliant", "follow_up")
    r1 = FoodBusinessFactory(business_format="restaurant", org_unit_id=SUB_A)
    inspect(r1, d(2021, 4, 1), "rectify")
    inspect(r1, d(2021, 4, 10), "compliant", "follow_up")

    def producer(unit=SUB_A, **kwargs):
        fields = {"business_format": "manufacturer", "sector": "production"}
        return FoodBusinessFactory(org_unit_id=unit, **{**fields, **kwargs})

    p1 = producer(above_designated_size=True)
    SystemCertificateFactory(
        business=p1, scheme="gmp", issued_on=d(2019, 1, 1), valid_until=d(2021, 5, 31)
    )
    SystemCertificateFactory(
        business=p1, scheme="haccp", issued_on=d(2021, 7, 1), valid_until=d(2024, 6, 30)
    )
    p2 = producer(SUB_B, above_designated_size=False, infant_formula=True)
    SystemCertificateFactory(business=p2, scheme="haccp", issued_on=d(2021, 2, 1))
    SystemCertificateFactory(business=p2, scheme="iso22000", issued_on=d(2020, 1, 1))
    producer(above_designated_size=True)
    p4 = producer(above_designated_size=True, closed_on=d(2021, 8, 1), status="closed")
    SystemCertificateFactory(business=p4, scheme="gmp")
    p5 = producer(above_designated_size=False)
    SystemCertificateFactory(business=p5, scheme="gmp")

    def sentinel(unit=SUB_A, months=range(1, 13), **kwargs):
        institution = SentinelInstitutionFactory(org_unit_id=unit, **kwargs)
        for m in months:
            SentinelReportFactory(
                institution=institution,
                month=d(2021, m, 1),
                reported_on=d(2021 + (m == 12), m % 12 + 1, 5),
            )
        return institution

    sentinel()
    sentinel(SUB_B, [m for m in range(1, 13) if m != 7])
    sentinel(SUB_B, range(3, 13), designated_on=d(2021, 3, 1))
    sentinel(months=range(1, 10), withdrawn_on=d(2021, 10, 1))
    sentinel(months=[], withdrawn_on=d(2020, 6, 1))
    sentinel(withdrawn_on=d(2022, 1, 15))
    sentinel(SUB_B, months=[])
    late = sentinel(months=[1, *range(3, 13)])
    SentinelReportFactory(institution=late, month=d(2021, 2, 1), reported_on=d(2021, 3, 11))

    for unit, code, day in (
        (DISTRICT, "D", d(2017, 3, 1)),
        (DISTRICT, "D", d(2019, 1, 1)),
        (SUB_A, "A", d(2018, 12, 31)),
        (SUB_A, "N", d(2022, 3, 1)),
        (SUB_B, "F", d(2020, 2, 29)),
    ):
        PlanRevisionFactory(org_unit_id=unit, plan_code=code, revised_on=day)
    return district


FOURTH_STEP = [
    (operators.small_operator_rectification_rate, old_small_operator_rectification_rate,
     [{}, {"business_formats": ["small_eatery"]}]),
    (operators.management_system_certification_rate, old_management_system_certification_rate,
     [{}, {"schemes": ["haccp"]}]),
    (surveillance.sentinel_monthly_reporting_rate, old_sentinel_monthly_reporting_rate,
     [{}, {"report_by_day": 5}]),
    (emergency.emergency_plan_current, old_emergency_plan_current,
     [{}, {"max_years": 1}]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("new", "old", "readings"), FOURTH_STEP, ids=[new.__name__ for new, _, _ in FOURTH_STEP]
)
def test_fourth_step_every_few_days_as_before(fourth_step, new, old, readings):
    """The new forms (relations free of the as-of date) give the old forms' numbers on every
    sixth day of 2021 and around it, for the year and for a quarter, in the
    district and in each subdistrict, under two readings each."""
    prefixes = [subtree_prefix(code) for code in (DISTRICT, SUB_A, SUB_B)]
    compared = 0
    counted = Decimal(0)
    for period in (PERIOD, parse_period("2021Q3")):
        day = date(2020, 12, 30)
        while day <= date(2022, 1, 20):
            for options in readings:
                ctx = MetricContext(backend=django_backend(), period=period, as_of=day)
                got = all_numbers(new(ctx, dict(options)), ctx, prefixes)
                assert got == all_numbers(old(ctx, dict(options)), ctx, prefixes), (
                    str(period),
                    day,
                    options,
                )
                counted += sum(n[0] or 0 for n in got)
                compared += 1
            day += timedelta(days=6)
    assert compared > 200 and counted > 0


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # (closed, with problems) in the district. 3 Jan: only 3 (its 2020 problem is not in
        # the year, so it is not counted at all): nothing.
        (date(2021, 1, 3), (0, 0)),
        # 1 Feb: 2's problem. 1 Mar: 1's too. 20 Mar: 1 fixed.
        (date(2021, 2, 1), (0, 1)),
        (date(2021, 3, 1), (0, 2)),
        (date(2021, 3, 20), (1, 2)),
        # 5 May: 4's two problems (one business); 6 and 7 May close nothing.
        (date(2021, 5, 7), (1, 3)),
        # 10 Jun: 1 has a new problem; the same-day follow-up is not after it: open again.
        (date(2021, 6, 10), (0, 3)),
        # 1 Jul: 1 fixed again. 9 Sep: 4 fixed.
        (date(2021, 7, 1), (1, 3)),
        (date(2021, 9, 9), (2, 3)),
    ],
)
def test_smalls_rectification_hand_worked(fourth_step, day, expected):
    got = both(
        operators.small_operator_rectification_rate,
        old_small_operator_rectification_rate,
        {},
        day,
        subtree_prefix(DISTRICT),
    )
    assert got[0] == got[1] == tuple(Decimal(v) for v in expected)


def test_a_plan_is_its_code_within_its_unit(district):
    """Two units' plans with one code are two plans (the new form's reading; the old one
    counted the distinct codes of the subtree, so it saw one plan, current through A's)."""
    PlanRevisionFactory(org_unit_id=SUB_A, plan_code="S", revised_on=date(2020, 5, 1))
    PlanRevisionFactory(org_unit_id=SUB_B, plan_code="S", revised_on=date(2016, 1, 1))
    ctx = MetricContext(backend=django_backend(), period=PERIOD, as_of=date(2021, 12, 31))
    fraction = emergency.emergency_plan_current(ctx, {})
    # In the district: A's S (2020, within 3 years) current, B's S (2016) not: 1 of 2.
    assert numbers(fraction, ctx, subtree_prefix(DISTRICT)) == (Decimal(1), Decimal(2))
    assert numbers(fraction, ctx, subtree_prefix(SUB_B)) == (Decimal(0), Decimal(1))
