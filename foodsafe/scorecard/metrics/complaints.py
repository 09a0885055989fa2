"""Complaint metrics (投诉举报)."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import Measure, MetricContext
from ..registry import Fraction, metric


@metric(
    "complaint_on_time_rate",
    factor=100,
    numerator_unit_zh="件",
    numerator_unit_en="complaints",
    ledger="complaint",
)
def complaint_on_time_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """On-time closing rate of food consumer complaints (食品类消费投诉按时办结率), %.

    Rule: 实施方案 第9条 "食品类消费投诉按时办结率达到98%以上"; limits from
    投诉举报处理暂行办法 第十四条 (decide on acceptance within 7 working days of receipt) and
    第二十一条 (mediation ends within 45 working days of acceptance), RULES.md §4.3.
    Cohort: complaints of ``options["kinds"]`` (food only if ``options["food_only"]``) received
    in the period in the subtree — all of them, whenever they are decided or closed.
    Denominator: those whose outcome is known by the as-of date — refused, accepted and closed,
    accepted after the acceptance deadline, or still open past the deadline that applies (the
    last two are late already, whatever happens next). Numerator: the decision by
    ``acceptance_due_on`` and, when accepted, the closing by ``closing_due_on``. Aside
    ``open_in_time``: the rest of the cohort — still open and inside their deadline on the
    as-of date (未到期未结) — shown beside the rate, neither dropped nor counted on time.
    """
    c = ctx.relation("complaint")
    cohort = ctx.in_period(c.received_on)
    if options.get("kinds"):
        cohort &= c.kind.isin(list(options["kinds"]))
    if options.get("food_only", True):
        cohort &= c.is_food
    as_of = ibis.date(ctx.as_of)

    decided = c.decided_on.notnull() & (c.decided_on <= as_of)
    refused = decided & (c.decision == "refused")
    accepted = decided & (c.decision == "accepted")
    closed = accepted & c.closed_on.notnull() & (c.closed_on <= as_of)
    decided_on_time = c.decided_on <= c.acceptance_due_on

    # Still open and already past the deadline that applies now: late, and known to be late.
    open_overdue = (~decided & (c.acceptance_due_on < as_of)) | (
        accepted & ~closed & c.closing_due_on.notnull() & (c.closing_due_on < as_of)
    )
    # Accepted after the acceptance deadline: already late whatever happens next.
    accepted_late = accepted & ~decided_on_time
    known = refused | closed | open_overdue | accepted_late
    on_time = (refused & decided_on_time) | (
        closed & decided_on_time & (c.closed_on <= c.closing_due_on)
    )
    return Fraction(
        Measure(c, where=cohort & on_time),
        Measure(c, where=cohort & known),
        aside={"open_in_time": Measure(c, where=cohort & ~known)},
    )
