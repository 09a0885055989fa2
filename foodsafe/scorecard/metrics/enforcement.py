"""Enforcement metrics (执法办案): case filing and closing rates."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import Difference, Measure, MetricContext, day_number
from ..registry import Fraction, metric


@metric(
    "case_filing_rate",
    factor=100,
    numerator_unit_zh="件",
    numerator_unit_en="cases",
    ledger="case",
    as_of_literal=True,
)
def case_filing_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Filing rate of food-safety violation cases (立案率), %.

    Rule: 实施方案 第7条 "食品安全违法案件立案率和办结率达到100%"; RULES.md §1.6 立案 ÷ 应立案线索.
    Denominator: leads received in the period in the subtree that meet the filing criteria
    (应立案). Numerator: those filed by the as-of date.
    """
    t = ctx.relation("case")
    leads = ctx.in_period(t.lead_received_on) & t.should_file
    return Fraction(
        Measure(t, where=leads & ctx.done_by_as_of(t.filed_on)), Measure(t, where=leads)
    )


@metric(
    "case_closing_rate",
    factor=100,
    numerator_unit_zh="件",
    numerator_unit_en="cases",
    ledger="case",
    as_of_literal=True,
)
def case_closing_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """Closing rate of food-safety violation cases (办结率), %.

    Rule: 实施方案 第7条 "食品安全违法案件立案率和办结率达到100%"; RULES.md §1.6 办结 ÷ 立案 [I].
    A case is not late until its legal time limit has passed: 《市场监督管理行政处罚程序规定》
    ordinary procedure, a decision within ``options["limit_days"]`` (90) calendar days of 立案
    (RULES.md §4.2 [S]), extendable by the bureau head (30 days) and further by collective
    decision; an extension is in the ledger as ``extended_due_on``.

    Cohort: cases filed in the period in the subtree. Denominator: those closed by the as-of
    date, or whose time limit had passed by it (the due day itself is still inside the limit).
    Numerator: those closed by the as-of date. Aside ``open_in_time``: cases still open and
    inside their limit on the as-of date (依法期限内未结), shown beside the rate, not counted.
    With ``options["limit_days"]`` 0 every filed case counts (the reading 办结 ÷ 全部立案).
    """
    limit = int(options.get("limit_days", 90))
    if limit <= 0:
        t = ctx.relation("case")
        filed = ctx.in_period(t.filed_on)
        closed = ctx.done_by_as_of(t.closed_on)
        return Fraction(Measure(t, where=filed & closed), Measure(t, where=filed))
    # Past due on the as-of date ⟺ due < as_of, i.e. the day after the due day is on or before
    # it: a day that does not depend on the as-of date (a year of month ends is then one
    # running total, scorecard/months.py).
    t = cases_known(ctx, limit)
    filed = ctx.in_period(t.filed_on)
    closed = ctx.done_by_as_of(t.closed_on)
    known = filed & ctx.day_by_as_of(t.known_day)
    return Fraction(
        Measure(t, where=filed & closed),
        Measure(t, where=known),
        aside={"open_in_time": Difference((Measure(t, where=filed),), (Measure(t, where=known),))},
    )


def cases_known(ctx: MetricContext, limit: int) -> Any:
    """Cases with ``known_day`` (a ``day_number``): the first day a case is closed or past its
    time limit, whichever comes first — the earlier of ``closed_on`` and the day after the due
    day, ``extended_due_on`` if set, else ``filed_on`` + ``limit`` days (NULL for a case with
    neither a closing date nor a filing date). Closed, or past due, stays so on every later
    as-of date, so "counted by the as-of date" is ``known_day <= as_of``."""

    def build() -> Any:
        t = ctx.relation("case")
        closed = day_number(t.closed_on)
        past_due = ibis.ifelse(
            t.extended_due_on.notnull(),
            day_number(t.extended_due_on) + 1,
            day_number(t.filed_on) + (limit + 1),
        )
        known = ibis.cases(
            (closed.isnull(), past_due),
            (past_due.isnull(), closed),
            (closed <= past_due, closed),
            else_=past_due,
        )
        return ctx.extend(t, known_day=known)

    return ctx.derived(f"cases_known:{limit}", build, same_every_as_of=True)
