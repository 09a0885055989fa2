"""Emergency response (应急处置, 实施方案 第14条): the emergency plan kept current, and drills."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


def _years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (28 Feb for 29 Feb)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@metric(
    "emergency_plan_current",
    factor=100,
    numerator_unit_zh="项",
    numerator_unit_en="plans",
    ledger="plan_revision",
)
def emergency_plan_current(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of the emergency plans revised within the configured interval (应急预案及时修订率),
    %.

    Rule: 实施方案 第14条 "及时修订食品安全事故应急预案"; "及时" is configuration:
    ``options["max_years"]`` (the spec's reading). Denominator: plans (``plan_code`` within
    its org unit) of the subtree with a revision issued by the period's last day (or the as-of
    date). Numerator:
    those with a revision issued in the ``max_years`` years up to that day. No revision row at
    all in the county, or none in the ``max_years`` years to the period's end (2026 with a
    register kept to 2021), and no zero report: 无数据, not 0/N.
    """
    years = int(options.get("max_years", 3))
    on = ctx.period_to_date
    t = ctx.derived("plan_revisions_next", lambda: _with_next(ctx), same_every_as_of=True)
    # A plan's latest revision by the day is its row issued by then whose next revision is
    # not: one row per plan, so plans are counted as rows (a count, which a year of month ends
    # runs as one query of this relation; a distinct count of codes was one query per month).
    latest = (t.revised_on <= ibis.date(on)) & (
        t.next_revised_on.isnull() | (t.next_revised_on > ibis.date(on))
    )
    recent = latest & (t.revised_on > ibis.date(_years_before(on, years)))
    # Reported for the period: a revision in the county in the window to the period's end.
    since = _years_before(ctx.end, years)
    r = ctx.relation("plan_revision")
    window = (r.revised_on > ibis.date(since)) & (r.revised_on <= ibis.date(ctx.end))
    return Fraction(
        Measure(t, where=recent),
        Measure(t, where=latest),
        reported=ctx.rows_between(r, window, key=f"plan_revision:{since}"),
    )


def _with_next(ctx: MetricContext) -> Any:
    """The plan revisions with ``next_revised_on``: the next revision of the same plan
    (``plan_code``) of the same org unit, NULL for the latest. A plan is its code within its
    unit: two units' plans that share a code are two plans."""
    t = ctx.relation("plan_revision")
    after = ibis.window(group_by=[t.plan_code, t.org_unit_code], order_by=t.revised_on)
    return t.mutate(next_revised_on=t.revised_on.lead().over(after))


@metric(
    "emergency_drills_held",
    factor=1,
    numerator_unit_zh="次",
    numerator_unit_en="drills",
    ledger="drill",
    as_of_literal=True,
)
def emergency_drills_held(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Food-safety emergency drills held in the district government's or the office's name
    (以区政府或区食药安办名义开展的食品安全实战应急演练), a count.

    Rule: 实施方案 第14条 "以区政府或区食药安办名义开展食品安全实战应急演练". Numerator: drills
    dated in the period (up to the as-of date) in the subtree whose 组织名义 is one of
    ``options["organisers"]`` (default 区政府, 区食药安办) and whose form is one of
    ``options["kinds"]`` (default 实战演练). Denominator: the org units of level
    ``options["held_by_level"]`` (default 3, 县区级) in the subtree — 1 for a district, so the
    value is the district's count. A drill in the district's name is the district's act: a
    subdistrict's subtree has no such unit, denominator 0, and no verdict (the spec's
    ``empty: not_applicable`` makes it 不适用, as a subdistrict without its own emergency plan
    is 无数据 for ``emergency_plan_current``), not 0 次 未达标. A city's subtree counts its
    districts: drills per district. No drill row at all in the county, or none dated in the
    period, and no zero report: 无数据, not 0 项 未达标.
    """
    organisers = list(options.get("organisers", ["government", "office"]))
    kinds = list(options.get("kinds", ["live"]))
    t = ctx.relation("drill")
    counted = ctx.in_period(t.held_on) & t.organiser.isin(organisers) & t.kind.isin(kinds)
    return Fraction(
        Measure(t, where=counted),
        Measure(_units(ctx), where=_units(ctx).level == int(options.get("held_by_level", 3))),
        reported=ctx.rows_between(t, ctx.dated_in(t.held_on), key="drill"),
    )


def _units(ctx: MetricContext) -> Any:
    """The org units as a relation, each row in its own subtree (``unit_code`` = its code)."""
    return ctx.derived(
        "orgunits",
        lambda: ctx.table("orgunit").mutate(unit_code=ctx.table("orgunit").code),
        same_every_as_of=True,
    )
