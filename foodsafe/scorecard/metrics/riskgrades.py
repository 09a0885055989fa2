"""Risk grading metrics (风险分级管理, 实施方案 第5条): coverage of grades and inspection
frequency by grade. They read the registry's grade ledger (``registry_riskgrade``), which the
office's confirmations write; a scope with no grade row at all has no data (无数据)."""

from __future__ import annotations

import math
from typing import Any

import ibis
from django.utils.translation import gettext_noop
from ibis.expr.types import Table

from ..context import UNIT_COLUMN, Measure, MetricContext
from ..registry import Fraction, metric

#: Inspections a year by grade when the indicator gives none (2016 办法, RULES.md §2.2 [S]:
#: A ≥1, B 1–2, C 2–3, D 3–4; the lower bound counts).
DEFAULT_MIN_PER_YEAR = {"A": 1, "B": 1, "C": 2, "D": 3}

#: Why graded_inspection_frequency has no verdict in a period where no operator is due
#: (the pro-rated minimum is 0 for every grade present): the year decides (h-newuser3 N1).
NONE_DUE = gettext_noop("本期无应检对象（期间短于检查周期，按年度判定）")


def _graded(ctx: MetricContext) -> Table:
    """Operating businesses of the subtree with the grade in force for the period's year."""
    g = ctx.table("risk_grade")
    b = ctx.table("business")
    year = ctx.end.year
    graded = g.filter(g.year == year).select(business_id=g.business_id, level=g.level)
    return b.join(graded, b.id == graded.business_id).select(
        business_id=b.id,
        level=graded.level,
        opened_on=b.opened_on,
        closed_on=b.closed_on,
        status=b.status,
        **{UNIT_COLUMN: b.org_unit_code},
    )


@metric(
    "risk_grading_coverage",
    # Reads the period's end only (a year's grades, businesses operating at its end): the same
    # expressions as of any day of the period (``months.py`` builds it once).
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="risk_grade",
)
def risk_grading_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of operating food businesses with a confirmed risk grade for the period's year, %.

    Rule: 实施方案 第5条 "对食品生产经营者全面实行食品安全风险分级动态管理"; 食品安全法 第一百零九
    条 and 监督检查管理办法 第二十一条 (every operator graded A–D). Denominator: businesses of the
    subtree operating on the period's last day. Numerator: those with a row in the registry's
    grade ledger (风险等级记录) for the year of the period's end. No grade row in the scope at
    all, or none of that year in the county, and no zero report: no data (the grading was not
    done, or not reported, for the year), never 0 %.
    """
    b = ctx.relation("business")
    graded = _graded(ctx)
    operating = ctx.operating_on(b, ctx.end)
    grades = ctx.risk_grades()
    return Fraction(
        Measure(graded, where=ctx.operating_on(graded, ctx.end)),
        Measure(b, where=operating),
        # Grades of 2021 say nothing of 2026: no grade of the year in the county → 无数据.
        reported=ctx.rows_between(grades, grades.year == ctx.end.year, key="risk_grade"),
    )


@metric(
    "graded_inspection_frequency",
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="risk_grade",
)
def graded_inspection_frequency(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of graded operating businesses inspected at least as often as their grade requires
    in the period, %.

    Rule: 2016 风险分级管理办法 (RULES.md §2.2 [S]): A at least once a year, B 1–2, C 2–3, D 3–4;
    the province sets the exact frequency [M], so ``options["min_per_year"]`` (grade → count)
    holds it. For a period shorter than a year the minimum is pro-rated by days and rounded
    down (the spec's reading "不足一年按天数折算并向下取整": a quarter never asks for a whole
    year's count). An operator whose pro-rated minimum is 0 (every grade in a quarter or a
    month; A–C in a half-year) is **not due** (本期不应检) and is in neither part: it cannot
    "meet" a frequency by never being inspected. When nobody in the scope is due the
    denominator is 0 and the indicator is 无数据 with the reason ``NONE_DUE`` — never 100 %
    达标 (h-newuser3 N1). A whole year asks ≥ 1 of every grade, so the year is unchanged.
    ``options["full_checklist_only"]``: count only full-checklist inspections. Denominator:
    businesses operating at the period's end with a grade for its year and a pro-rated minimum
    of at least 1. Numerator: those with at least the minimum number of inspections dated in
    the period.
    """
    minimum = {**DEFAULT_MIN_PER_YEAR, **options.get("min_per_year", {})}
    days = (ctx.end - ctx.period.start).days + 1
    year_days = 366 if ctx.end.year % 4 == 0 else 365
    share = min(days / year_days, 1.0)
    needed = {grade: math.floor(int(n) * share + 1e-9) for grade, n in minimum.items()}

    def build() -> Table:
        # Each graded business due in the period with ``enough_on``: the day its inspections in
        # the period reach its grade's minimum (the date of the n-th, n = the minimum; NULL
        # when it never does). "At least the minimum dated up to
        # the as-of date" is then ``enough_on <= as_of``: a dated column of the row, so a year
        # of month ends is one running total (``months.py``). It does not read the as-of date.
        i = ctx.table("inspection")
        counted = i.inspected_on.between(ibis.date(ctx.period.start), ibis.date(ctx.end))
        if options.get("full_checklist_only", False):
            counted &= i.full_checklist
        done = i.filter(counted)
        nth = done.select(
            bid=done.business_id,
            day=done.inspected_on,
            # 1 for the business's first inspection of the period, 2 for its second, …
            # (ties on a day in any order: the n-th date is the same).
            n=ibis.row_number().over(group_by=done.business_id, order_by=done.inspected_on) + 1,
        )
        graded = _graded(ctx)
        required = graded.level.cases(*((g, n) for g, n in needed.items()), else_=0)
        wanted = graded.mutate(required=required)
        joined = wanted.left_join(nth, (wanted.business_id == nth.bid) & (wanted.required == nth.n))
        # Only the operators due in the period (pro-rated minimum ≥ 1): one whose minimum
        # rounds down to 0 is not asked for an inspection here, so it is in neither part.
        due = joined.filter(joined.required > 0)
        return due.select(UNIT_COLUMN, "opened_on", "closed_on", "status", enough_on=due.day)

    key = f"graded_frequency:{sorted(needed.items())}:{options.get('full_checklist_only', False)}"
    rel = ctx.derived(key, build, same_every_as_of=True)
    operating = ctx.operating_on(rel, ctx.end)
    enough = rel.enough_on <= ibis.date(ctx.period_to_date)
    return Fraction(
        Measure(rel, where=operating & enough),
        Measure(rel, where=operating),
        # Only a period shorter than some grade's cycle leaves operators not due: a year with
        # nobody in the denominator has no grades, not "nobody due".
        empty_note=NONE_DUE if any(n < 1 for n in needed.values()) else "",
    )
