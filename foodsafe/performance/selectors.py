"""The monthly performance assessment (绩效考核) of the member units, ranked.

Score of a factor: a rate factor is 100 × numerator ÷ denominator; ``overdue_days`` is
100 − ``penalty_per_day`` × working days overdue, at least 0. The unit's total is the weighted
mean over the factors it has data for (``missing.rule: reweight``): Σ wᵢ·sᵢ ÷ Σ wᵢ; the factors
it lacks are named, never counted as 0. A unit with no factor at all has no total (无数据) and
no rank; nor has a unit whose factors with data weigh less than ``missing.min_weight_share`` of
all the weights (数据不足: with 0.5, 区教育局 judged on 2 factors weighing 35 of 100 is not ranked
above units judged on all five). Scores and totals are rounded half up to 0.1 point.
"""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from foodsafe.accounts.permissions import is_office, user_unit_id
from foodsafe.orgunits.models import ResponsibleUnit

from .factors import FACTORS, LATEST_DAY, Tally
from .models import AssessmentComment
from .spec import AssessmentSpec, FactorSpec

POINT = Decimal("0.1")
HUNDRED = Decimal(100)


def month_window(month: date, today: date) -> tuple[date, date]:
    """The month's first day and the day it is assessed as of: its last day, or ``today``
    while the month is not over."""
    start = month.replace(day=1)
    last = start.replace(day=month_calendar.monthrange(start.year, start.month)[1])
    return start, min(last, today)


@dataclass(frozen=True)
class FactorScore:
    spec: FactorSpec
    tally: Tally | None

    @property
    def score(self) -> Decimal | None:
        """0–100, or ``None`` (无数据)."""
        t = self.tally
        if t is None:
            return None
        if self.spec.code == "overdue_days":
            assert self.spec.penalty_per_day is not None  # the spec loader checks it
            return max(Decimal(0), HUNDRED - self.spec.penalty_per_day * t.numerator).quantize(
                POINT, ROUND_HALF_UP
            )
        return (HUNDRED * t.numerator / t.denominator).quantize(POINT, ROUND_HALF_UP)

    @property
    def shown(self) -> str:
        """The tally as the page says it: "3/4" or "5 个工作日（2 项）"."""
        t = self.tally
        if t is None:
            return "无数据"
        if self.spec.code == "overdue_days":
            return f"{t.numerator} 个工作日（{t.denominator} 项）"
        return f"{t.numerator}/{t.denominator}"


@dataclass
class UnitScore:
    unit: ResponsibleUnit
    factors: list[FactorScore]
    comment: AssessmentComment | None = None
    rank: int | None = None
    #: ``missing.min_weight_share`` of the spec: below it, 数据不足 (no total, no rank).
    min_weight_share: Decimal = Decimal(0)

    @property
    def weight_share(self) -> Decimal:
        """The share (0–1) of all the factors' weights that this unit has data for."""
        every = sum((f.spec.weight for f in self.factors), Decimal(0))
        with_data = sum((f.spec.weight for f in self.factors if f.score is not None), Decimal(0))
        return with_data / every if every else Decimal(0)

    @property
    def too_thin(self) -> bool:
        """数据不足: some data, but on factors weighing less than ``min_weight_share``."""
        share = self.weight_share
        return 0 < share < self.min_weight_share

    @property
    def total(self) -> Decimal | None:
        """The weighted mean over the factors with data; ``None`` for 无数据 and 数据不足."""
        scored = [(f.spec.weight, f.score) for f in self.factors if f.score is not None]
        if not scored or self.too_thin:
            return None
        weights = sum((w for w, _ in scored), Decimal(0))
        total = sum((w * s for w, s in scored), Decimal(0)) / weights
        return total.quantize(POINT, ROUND_HALF_UP)

    @property
    def missing(self) -> list[str]:
        """The names of the factors this unit has no data for."""
        return [f.spec.name for f in self.factors if f.tally is None]


def assessment(
    *, spec: AssessmentSpec, month: date, today: date, user: Any = None
) -> list[UnitScore]:
    """Every (non-collective) responsible unit's score for ``month``, ranked: highest total
    first, equal totals share a rank (1, 2, 2, 4); units without a total come last, by name.
    ``user``: a member unit gets only its own row; ``None`` or the office get every unit."""
    start, as_of = month_window(month, today)
    units = ResponsibleUnit.objects.filter(is_collective=False).order_by("name")
    if user is not None and not is_office(user):
        own = user_unit_id(user)
        units = units.filter(pk=own) if own is not None else units.none()
    unit_list = list(units)
    ids = [u.pk for u in unit_list]
    tallies = {f.code: FACTORS[f.code](ids, start, as_of) for f in spec.factors}
    comments = {
        c.unit_id: c
        for c in AssessmentComment.objects.filter(month=start, unit_id__in=ids).select_related(
            "author"
        )
    }
    rows = [
        UnitScore(
            unit=u,
            factors=[FactorScore(f, tallies[f.code].get(u.pk)) for f in spec.factors],
            comment=comments.get(u.pk),
            min_weight_share=spec.missing.min_weight_share,
        )
        for u in unit_list
    ]
    return ranked(rows)


def has_data(rows: list[UnitScore]) -> bool:
    """Whether any unit has any factor with data (else the whole month reads 无数据)."""
    return any(f.tally is not None for r in rows for f in r.factors)


def latest_month_with_data(
    *, spec: AssessmentSpec, today: date, first: date, user: Any = None
) -> date | None:
    """The latest month from ``first`` to ``today``'s in which some unit ``user`` may see has
    a factor with data, or ``None``. Starts at the month of the latest day a factor has a
    row (``factors.LATEST_DAY``) and checks it by assessing it; a month whose rows are all
    left out (a task due on the last day, still open) steps back one month at a time."""
    units = ResponsibleUnit.objects.filter(is_collective=False)
    if user is not None and not is_office(user):
        own = user_unit_id(user)
        units = units.filter(pk=own) if own is not None else units.none()
    ids = list(units.values_list("pk", flat=True))
    if not ids:
        return None
    days = [LATEST_DAY[f.code](ids, today) for f in spec.factors if f.code in LATEST_DAY]
    latest = max((d for d in days if d is not None), default=None)
    if latest is None:
        return None
    month = latest.replace(day=1)
    for _step in range(12):
        if month < first:
            return None
        if has_data(assessment(spec=spec, month=month, today=today, user=user)):
            return month
        month = date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)
    return None


def ranked(rows: list[UnitScore]) -> list[UnitScore]:
    """``rows`` highest total first with ``rank`` set, equal totals sharing one (1, 2, 2, 4);
    then the rows without a total (no rank), in their order."""
    scored = sorted((r for r in rows if r.total is not None), key=lambda r: -(r.total or 0))
    previous: Decimal | None = None
    for position, row in enumerate(scored, start=1):
        row.rank = scored[position - 2].rank if row.total == previous else position
        previous = row.total
    return scored + [r for r in rows if r.total is None]
