"""Credit supervision metrics (信用监管, 实施方案 第25条: 建立食品生产经营企业信用档案…进行信用
分级，实施分类监管). They read the credit app's tables by name (``credit_creditfile``,
``credit_creditgrade``), as the engine reads evidence approvals: the workflow layer's data are
inputs here, never imported. A scope with no credit file (no class) at all has no data (无数据)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import ibis

from ..context import DAY_ZERO, UNIT_COLUMN, Measure, MetricContext, day_number
from ..registry import Fraction, metric


def _month_before(day: date) -> date:
    """The first day of the month before ``day``'s month."""
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


@metric(
    "credit_file_coverage",
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="credit_file",
)
def credit_file_coverage(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of operating food businesses whose credit file holds their current records, %.

    Rule: 实施方案 第25条 "建立食品生产经营企业信用档案。将食品生产经营者信用信息及时归集到企业
    名下"; 食品安全法 第一百一十三条 (a file for every operator, kept up to date). Denominator:
    businesses of the subtree operating on the period's last day. Numerator: those with a credit
    file gathered (``refreshed_on``) no earlier than ``options["max_age_days"]`` (default 1)
    days before the period's last day or the as-of date, whichever is earlier: a file refreshed
    after the period holds the period's records [I]. No file in the scope: no data.

    Data for the period: the files are derived (re-gathered from the ledgers, every business
    of the registry gets one), so "a file for every operator" is true of any period once they
    are gathered. What the period must have for the files to say anything about it are its
    records (食品安全法 第一百一十三条, RULES.md §5: 许可, 日常监督检查结果, 违法行为查处 — and
    the plan's "信用信息及时归集"): the county's files must hold a supervision record dated in
    the period — an inspection result, a failed sample, a case, a complaint or a 名单 entry.
    Licence entries do not count: they are the registry's rows, dated by the business's
    opening, which exist whatever the period. None (2015, 2026 with ledgers of 2021) and no
    zero report: 无数据, never 达标 on a file gathered years later.
    """
    max_age = int(options.get("max_age_days", 1))
    b = ctx.relation("business")

    def build() -> Any:
        # Each business with the day number of its file's last gathering (one file per
        # business; NULL for none). It does not read the as-of date, so the dashboard's year
        # builds and runs it once (``months.py``).
        f = ctx.table("credit_file")
        files = f.select(fid=f.business_id, refreshed=f.refreshed_on)
        joined = b.left_join(files, b.id == files.fid)
        return joined.select(
            UNIT_COLUMN,
            "opened_on",
            "closed_on",
            "status",
            refreshed_day=day_number(joined.refreshed),
        )

    rel = ctx.derived("credit_file_refreshed", build, same_every_as_of=True)
    # refreshed_on >= period_to_date − max_age, as day numbers: the as-of date only as a literal.
    to_date = ibis.literal((ctx.period_to_date - DAY_ZERO).days, "int64")
    current = rel.refreshed_day.notnull() & (rel.refreshed_day + max_age >= to_date)
    operating = ctx.operating_on(rel, ctx.end)
    entries = ctx.derived("credit_entries", lambda: _credit_entries(ctx), same_every_as_of=True)
    records = ctx.dated_in(entries.occurred_on) & (entries.kind != "licence")
    return Fraction(
        Measure(rel, where=operating & current),
        Measure(rel, where=operating),
        reported=ctx.rows_between(entries, records, key="credit_entry"),
    )


def _credit_entries(ctx: MetricContext) -> Any:
    """The credit files' entries with their kind, date and business's org unit."""
    e = ctx.table("credit_entry")
    b = ctx.table("business")
    return e.join(b, e.business_id == b.id).select(
        kind=e.kind, occurred_on=e.occurred_on, **{UNIT_COLUMN: b.org_unit_code}
    )


@metric(
    "credit_classified_supervision",
    # Reads the period's start and end only: the same expressions as of any day of it.
    as_of_literal=True,
    factor=100,
    numerator_unit_zh="家",
    numerator_unit_en="businesses",
    ledger="credit_grade",
)
def credit_classified_supervision(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Share of operating food businesses under classified supervision (分类监管), %: with a
    credit class in force in the period that an inspection plan used (its 双随机 ratio set by
    the class).

    Rule: 实施方案 第25条 "进行信用分级，实施分类监管"; 国市监信发〔2022〕6号 [S] (classes merged
    into 双随机、一公开: the ratio set by class). Denominator: businesses operating on the
    period's last day. Numerator: those with a class for a month from the month before the
    period's first (the class in force at its start) to the period's end, marked as applied to
    a plan (``applied_plan``). No class in the scope at all: no data; nor is there any when
    the county has no class for a month of that window (the classes of 2021 say nothing of
    2026) and no zero report: 无数据, not 0/N.
    """
    b = ctx.relation("business")
    g = ctx.table("credit_grade")
    start = _month_before(ctx.period.start)
    applied = (
        g.filter(
            (g.month >= ibis.date(start)) & (g.month <= ibis.date(ctx.end)) & (g.applied_plan != "")
        )
        .select(gid=g.business_id)
        .distinct()
    )
    joined = b.left_join(applied, b.id == applied.gid)
    rel = joined.select(
        UNIT_COLUMN, "opened_on", "closed_on", "status", classed=joined.gid.notnull()
    )
    operating = ctx.operating_on(rel, ctx.end)
    graded = ctx.ledger_rows("credit_grade").relation
    return Fraction(
        Measure(rel, where=operating & rel.classed),
        Measure(rel, where=operating),
        reported=ctx.rows_between(
            graded, ctx.dated_in(graded.month, start, ctx.end), key=f"credit_grade:{start}"
        ),
    )
