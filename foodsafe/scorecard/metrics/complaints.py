"""Complaint metrics (投诉举报)."""

from __future__ import annotations

from typing import Any

import ibis

from ..context import Difference, Measure, MetricContext, day_number
from ..registry import Fraction, metric


@metric(
    "complaint_on_time_rate",
    factor=100,
    numerator_unit_zh="件",
    numerator_unit_en="complaints",
    ledger="complaint",
    as_of_literal=True,
)
def complaint_on_time_rate(ctx: MetricContext, options: dict[str, Any]) -> Fraction:
    """On-time closing rate of food consumer complaints (食品类消费投诉按时办结率), %.

    Rule: 实施方案 第9条 "食品类消费投诉按时办结率达到98%以上"; limits from
    投诉举报处理暂行办法 第十四条 (decide on acceptance within 7 working days of receipt),
    第二十一条 (mediation ends within 45 working days of acceptance; the end is told to both
    parties within 7 working days of it), RULES.md §4.3. "按时办结" is a reading [I] (the
    spec's ``reading``): with ``options["end_notice"]`` (the spec's default, RULES.md §4.3's
    definition) an accepted complaint is on time only if it was also told of its end
    (``end_notified_on``) by ``end_notice_due_on``; without it, the closing date alone decides
    (the alternative reading, shown beside the verdict).
    Cohort: complaints of ``options["kinds"]`` (food only if ``options["food_only"]``) received
    in the period in the subtree — all of them, whenever they are decided or closed.
    Denominator: those whose outcome is known by the as-of date — refused, accepted and closed
    (and told, or past the notice deadline), accepted after the acceptance deadline, or still
    open past the deadline that applies (the last two are late already, whatever happens
    next). Numerator: the decision by ``acceptance_due_on`` and, when accepted, the closing by
    ``closing_due_on`` (and the notice by ``end_notice_due_on``). Aside ``open_in_time``: the
    rest of the cohort — still open and inside their deadline on the as-of date (未到期未结) —
    shown beside the rate, neither dropped nor counted on time.
    """
    c = complaints_known(ctx, end_notice=bool(options.get("end_notice", False)))
    cohort = ctx.in_period(c.received_on)
    if options.get("kinds"):
        cohort &= c.kind.isin(list(options["kinds"]))
    if options.get("food_only", True):
        cohort &= c.is_food
    on_time = Measure(c, where=cohort & ctx.day_by_as_of(c.on_time_day))
    known = Measure(c, where=cohort & ctx.day_by_as_of(c.known_day))
    # Known again unknown: only a complaint with a decision date left 待决定 (see below).
    relapsed = Measure(c, where=cohort & ctx.day_by_as_of(c.unknown_day))
    return Fraction(
        on_time,
        Difference((known,), (relapsed,)),
        aside={"open_in_time": Difference((Measure(c, where=cohort), relapsed), (known,))},
    )


def complaints_known(ctx: MetricContext, *, end_notice: bool = False) -> Any:
    """Complaints with the days (``day_number``) their outcome becomes known, which do not
    depend on the as-of date, so that "known by the as-of date" is ``day <= as_of`` and a year
    of month ends is one running total (``scorecard/months.py``).

    Worked from the rule as it reads on a given as-of date (D decided_on, A acceptance_due_on,
    C closed_on, K closing_due_on, all as day numbers; "decided" means D on or before it):

    - ``on_time_day``: refused with D ≤ A → D; accepted with D ≤ A and C ≤ K → max(D, C)
      (closed needs both the decision and the closing by then); else never (NULL).
    - ``known_day``, the first day it is refused, closed, accepted late or open past the
      deadline that applies: no decision date → A + 1 (open past the acceptance deadline the
      day after it); refused → min(D, A + 1); accepted after the deadline (D > A) → A + 1
      (open and late from then, accepted late from D); accepted in time → the earlier of
      max(D, C) (closed) and max(D, K + 1) (open past the closing deadline), NULL where
      neither date is set. Once known it stays known, with one exception:
    - ``unknown_day``: a complaint 待决定 that nevertheless has a decision date (which
      ``complaint_check`` and the import refuse) is open past its deadline from A + 1 until
      D, and from D "decided" but neither refused nor accepted, so no longer known: D, when
      D ≥ A + 2 (else it was never known, and ``known_day`` is NULL).

    With ``end_notice`` (E end_notified_on, N end_notice_due_on = 7 working days after C), an
    accepted complaint closed in time (C ≤ K) is not known at its closing but at its notice:
    on time at max(D, C, E) when E ≤ N; known late from the earlier of E and N + 1 otherwise
    (told late, or not told by the day after the limit). Closed late (C > K) is known at
    max(D, K + 1) as before, whatever the notice. An accepted, closed complaint without N
    (none computed) is known at its closing as without ``end_notice``.
    """

    def build() -> Any:
        c = ctx.relation("complaint")
        d, a = day_number(c.decided_on), day_number(c.acceptance_due_on)
        closed, k = day_number(c.closed_on), day_number(c.closing_due_on)
        refused, accepted = c.decision == "refused", c.decision == "accepted"
        in_time = c.decided_on <= c.acceptance_due_on
        closed_known = ibis.ifelse(d >= closed, d, closed)
        overdue_known = ibis.ifelse(d >= k + 1, d, k + 1)
        accepted_known = ibis.cases(
            (closed.isnull(), overdue_known),
            (k.isnull(), closed_known),
            (closed_known <= overdue_known, closed_known),
            else_=overdue_known,
        )
        closed_in_time = c.closed_on <= c.closing_due_on
        on_time_closed = accepted & in_time & closed_in_time
        if end_notice:
            e, n = day_number(c.end_notified_on), day_number(c.end_notice_due_on)
            told_in_time = e.notnull() & (e <= n)
            told_known = ibis.ifelse(closed_known >= e, closed_known, e)
            notice_known = ibis.cases(
                (n.isnull(), closed_known),
                (told_in_time, told_known),
                # told late or never: known late the day after the limit (N ≥ C)
                else_=ibis.ifelse(closed_known >= n + 1, closed_known, n + 1),
            )
            closed_on_time = ibis.cases(
                (n.isnull(), closed_known),
                (told_in_time, told_known),
                else_=ibis.null("int64"),
            )
            accepted_known = ibis.cases(
                (closed.notnull() & k.notnull() & (closed <= k), notice_known),
                else_=accepted_known,
            )
        else:
            closed_on_time = closed_known
        return ctx.extend(
            c,
            on_time_day=ibis.cases(
                (refused & in_time, d),
                (on_time_closed, closed_on_time),
                else_=ibis.null("int64"),
            ),
            known_day=ibis.cases(
                (d.isnull(), a + 1),
                (refused, ibis.ifelse(d <= a + 1, d, a + 1)),
                (accepted & (d > a), a + 1),
                (accepted, accepted_known),
                (d >= a + 2, a + 1),
                else_=ibis.null("int64"),
            ),
            unknown_day=ibis.cases(
                (d.notnull() & ~refused & ~accepted & (d >= a + 2), d),
                else_=ibis.null("int64"),
            ),
        )

    name = "complaints_known_end_notice" if end_notice else "complaints_known"
    return ctx.derived(name, build, same_every_as_of=True)
