"""School metrics (校园食品安全): term-start inspections and bright kitchens."""

from __future__ import annotations

from datetime import date
from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


def _term_windows(ctx: MetricContext, options: dict[str, Any]) -> list[tuple[date, date]]:
    """Term-start windows (spring, autumn) whose first day falls in the period."""
    windows = []
    for key, default in (
        ("spring_window", ("02-01", "03-31")),
        ("autumn_window", ("08-15", "09-30")),
    ):
        first, last = options.get(key, default)
        for year in range(ctx.period.start.year, ctx.period.end.year + 1):
            start = date.fromisoformat(f"{year}-{first}")
            end = date.fromisoformat(f"{year}-{last}")
            if ctx.period.start <= start <= ctx.period.end:
                windows.append((start, end))
    return windows


@metric(
    "term_start_inspection_coverage",
    factor=100,
    numerator_unit_zh="家次",
    numerator_unit_en="canteen-terms",
    ledger="canteen",
    as_of_literal=True,
)
def term_start_inspection_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Coverage of spring and autumn term-start school inspections (春秋两季开学检查覆盖率), %.

    Rule: 实施方案 第5条 "校园食品安全春秋两季开学检查覆盖率达到100%".
    For every term whose inspection window (``options["spring_window"]``,
    ``options["autumn_window"]``, as MM-DD pairs) starts in the period: denominator + the school
    canteens operating at the window's end; numerator + those with a term-start inspection
    (开学检查) dated in the window (up to the as-of date). A period with no window has no data;
    nor has one without any inspection dated in it in the county (the inspection ledger not
    reported for the period) and no zero report of inspections: 无数据, not 0/N.
    """
    windows = _term_windows(ctx, options)
    if not windows:
        return Fraction(0, 0)
    c = _term_start_inspected(ctx, windows)
    numerator, denominator = [], []
    for k, (_, end) in enumerate(windows):
        operating = ctx.operating_on(c, end)
        # A term-start inspection dated in the window up to the as-of date ⟺ the window's
        # first one is on or before the as-of date.
        inspected = c[f"term_start_{k}"] <= ibis.date(ctx.as_of)
        numerator.append(Measure(c, where=operating & inspected))
        denominator.append(Measure(c, where=operating))
    return Fraction(
        numerator,
        denominator,
        reported=ctx.inspections_reported(),
        reported_ledger="inspections",
    )


def _term_start_inspected(ctx: MetricContext, windows: list[tuple[date, date]]) -> Any:
    """School canteens with ``term_start_<k>``: the day of their first term-start inspection
    (开学检查) in the k-th window (NULL for none)."""

    def build() -> Any:
        c = ctx.canteens()
        i = ctx.table("inspection")
        for k, (start, end) in enumerate(windows):
            in_window = i.filter(
                i.inspection_type == "term_start",
                i.inspected_on.between(ibis.date(start), ibis.date(end)),
            )
            c = ctx.with_first(
                c, "business_id", in_window, "business_id", "inspected_on", f"term_start_{k}"
            )
        return c

    return ctx.derived(f"canteens_term_start:{windows}", build, same_every_as_of=True)


@metric(
    "bright_kitchen_coverage",
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="canteens",
    ledger="canteen",
    as_of_literal=True,
)
def bright_kitchen_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Coverage of "Internet + bright kitchen" in school canteens (互联网+明厨亮灶覆盖率), %.

    Rule: 实施方案 第29条 "学校食堂'互联网+明厨亮灶'覆盖率达到100%".
    Denominator: school canteens operating on the period's last day. Numerator: those live with
    互联网+明厨亮灶 on or before that day (or the as-of date, if earlier).

    Data for the period [I] (RULES.md §0 #13 and §6 give the 100 % target only): the canteen
    ledger has no date of its own, and its go-live dates only say when a kitchen went live, so
    a 2021 ledger read 0/N 未达标 for 2015 (before any kitchen went live: a verdict from
    absence) and carried its two kitchens still without into 2026. The period's evidence is
    rows of its own: an inspection dated in the period of one of
    ``options["evidence_formats"]`` (default: school canteens) in the county — the canteens
    seen operating then, 明厨亮灶 being checked on site. None and no zero report of the
    inspection ledger: 无数据 (未上报).
    """
    c = ctx.canteens()
    operating = ctx.operating_on(c, ctx.end)
    live = ctx.done_by_as_of(c.bright_kitchen_on) & (c.bright_kitchen_on <= ibis.date(ctx.end))
    return Fraction(
        Measure(c, where=operating & live),
        Measure(c, where=operating),
        reported=ctx.inspections_of_formats_reported(
            options.get("evidence_formats", ("school_canteen",))
        ),
        reported_ledger="inspections",
    )
