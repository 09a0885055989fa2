"""The metric registry: every metric is a documented function registered under its name.

A metric receives a :class:`~foodsafe.scorecard.context.MetricContext` (tables, period, as-of
date) and the indicator's counting options, and returns a :class:`Fraction`: a numerator and a
denominator, each a :class:`~foodsafe.scorecard.context.Measure` (a count/sum over a relation
under a condition), a list of measures (summed), ``POPULATION`` or a plain number. The engine
evaluates the measures for every org-unit subtree asked for and computes
``value = factor × numerator ÷ denominator``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import MetricContext


@dataclass(frozen=True)
class Fraction:
    """Numerator and denominator: a ``Measure``, a list of measures (summed), ``POPULATION``
    or a number.

    ``aside``: counts shown beside the rate but in neither part, by key of ``results.ASIDE_ZH``
    (e.g. ``open_in_time``: cases or complaints still inside their legal time limit).
    ``pending``: a measure of the rows left out of both because their result is not in yet
    (待检 sampling batches); the engine then decides only when every way the pending rows
    could turn out gives the same verdict (issue 10 §2).
    ``reported``: a measure (or list, summed) of the ledger rows that show the numerator's
    ledger was reported *for this period* (e.g. inspections dated in it), counted in the
    scope's county like the metric's ``ledger`` presence check: none there and no zero report
    (零报告) covering the scope and period → 无数据 (未上报), not 0/N 未达标 nor N/N 达标. A ledger
    with rows of other years only says nothing about this period ("no verdict without data").
    ``sample`` and ``min_sample``: for an estimate from a sample (满意度, 知晓率), a measure of
    the sample units the estimate rests on (n, a count even when the parts are weighted sums)
    and the fewest that carry a verdict; with fewer, the value is shown for reference and the
    status is 无数据 with the reason (``engine.sample_short``), so no veto follows from it.
    """

    numerator: Any
    denominator: Any
    aside: dict[str, Any] = field(default_factory=dict)
    pending: Any = None
    reported: Any = None
    #: The import ledger name a zero report must name to stand for ``reported`` (default: the
    #: metric's ``ledger``), when the rows of the period come from another ledger.
    reported_ledger: str | None = None
    sample: Any = None
    min_sample: int | None = None
    #: Why the indicator has no verdict when the denominator is 0 although the ledger was
    #: reported: e.g. nobody is due in a period shorter than the check cycle (item 5's graded
    #: frequency in a month). Shown as the indicator's note (无数据, never 100 % 达标).
    empty_note: str = ""
    #: For a stock read off a ledger of certificates or policies (in force on the period's
    #: last day): the rows dated (issued, started) on or after the period's first day — the
    #: ledger was kept into the period. A register whose last entry is before the period (data
    #: to 2021-12-31, period 2022) holds only what ran out, so none and no zero report →
    #: 无数据 (未上报) like ``reported``, not 0/97 未达标 (h-newuser3 N3).
    reached: Any = None


MetricFunction = Callable[["MetricContext", dict[str, Any]], Fraction]


@dataclass(frozen=True)
class Metric:
    """A registered metric.

    ``factor``: 100 for a percentage, 1000 for per-thousand, 1 for a mean score.
    ``numerator_unit_zh``: the natural unit of the numerator for gaps (批次, 件, 吨, 家, 人…).
    """

    name: str
    function: MetricFunction
    factor: int
    numerator_unit_zh: str
    numerator_unit_en: str
    doc: str
    ledger: str | None = None
    as_of_literal: bool = False


METRICS: dict[str, Metric] = {}


def metric(
    name: str,
    *,
    factor: int,
    numerator_unit_zh: str,
    numerator_unit_en: str,
    ledger: str | None = None,
    as_of_literal: bool = False,
) -> Callable[[MetricFunction], MetricFunction]:
    """Register ``function`` as metric ``name``; its docstring is the metric's documentation.

    ``ledger``: the ledger the metric counts from (a key of ``MetricContext.ledger_rows``).
    A scope whose county (or, above county level, the scope itself) has no row of that ledger at
    all, of any date, has "no data" for the metric: the ledger was not loaded there, which is not
    the same as zero batches or zero cases (see ``engine.presence_prefix``).

    ``as_of_literal``: the metric reads the as-of date only as the literal date (or its
    ``day_number``) in its conditions — its fraction as of another day is the same expression
    with that literal replaced — so a year of month ends is built once (``scorecard/months.py``;
    checked for every such metric and month end by ``tests/scorecard/test_months.py``).
    """

    def register(function: MetricFunction) -> MetricFunction:
        if name in METRICS:
            raise ValueError(f"metric {name!r} registered twice")
        if not (function.__doc__ or "").strip():
            raise ValueError(f"metric {name!r} has no docstring: state its rule and source clause")
        METRICS[name] = Metric(
            name,
            function,
            factor,
            numerator_unit_zh,
            numerator_unit_en,
            function.__doc__ or "",
            ledger,
            as_of_literal,
        )
        return function

    return register


def known_metrics() -> set[str]:
    """Names of every registered metric (importing the metric modules first)."""
    from . import metrics  # noqa: F401  (registers on import)

    return set(METRICS)
