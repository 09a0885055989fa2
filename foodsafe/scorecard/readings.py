"""Other readings of open rules, and counts shown beside a rate.

Where RULES.md marks a rule open ([M] or [I]: whether 风险监测 batches count toward 4 批次/千人,
which 环节 × 业态 cells sampling must cover…), the spec takes one ``reading`` and lists the
others as ``alternatives`` (counting options merged over the indicator's own). The engine
evaluates every alternative in the same grouped queries as the indicators and attaches its value
to the indicator, flagged when its verdict (met / not met) differs: a reviewer sees at once that
the verdict hangs on the reading (issue 10 §3).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from foodsafe.programme.spec import IndicatorSpec, ProgrammeSpec

from .context import MetricContext
from .measures import flatten
from .registry import METRICS, Fraction
from .results import IndicatorResult, Reading, Status
from .samples import without_verdict

Resolve = Callable[[Any], Decimal | None]
Evaluate = Callable[[IndicatorSpec, Decimal | None, Decimal | None], IndicatorResult]

_VERDICTS = (Status.MET, Status.NOT_MET)


def alternative_fractions(
    spec: ProgrammeSpec,
    ctx: MetricContext,
    template: dict[tuple[str, str], Fraction] | None = None,
) -> dict[tuple[str, str], Fraction]:
    """The fraction of every alternative reading, by (indicator code, reading code).

    ``template``: another as-of day's, reused for the metrics with ``as_of_literal``."""
    return {
        (ind.code, alt.code): template[(ind.code, alt.code)]
        if template is not None and METRICS[ind.metric].as_of_literal
        else METRICS[ind.metric].function(ctx, {**ind.options, **alt.options})
        for ind in spec.indicators
        for alt in ind.alternatives
    }


def extra_measures(
    fractions: dict[str, Fraction], alternatives: dict[tuple[str, str], Fraction]
) -> list[Any]:
    """The measures of the asides, of the samples (``Fraction.sample``) and of the
    alternatives' numerators, denominators and samples."""
    parts: list[Any] = [m for f in fractions.values() for m in f.aside.values()]
    parts.extend(f.sample for f in fractions.values() if f.sample is not None)
    for f in alternatives.values():
        parts.extend((f.numerator, f.denominator))
        if f.sample is not None:
            parts.append(f.sample)
    return flatten(parts)


def with_readings(
    result: IndicatorResult,
    ind: IndicatorSpec,
    fraction: Fraction,
    alternatives: dict[tuple[str, str], Fraction],
    resolve: Resolve,
    evaluate: Evaluate,
    *,
    loaded: bool = True,
) -> IndicatorResult:
    """``result`` with its aside counts and its alternative readings' values attached.

    ``loaded``: False when the metric's ledger was not loaded for the scope; every reading is
    then "no data" too, and there is nothing to count beside the rate.
    """
    aside = (
        {key: resolve(part) or Decimal(0) for key, part in fraction.aside.items()}
        if loaded and result.status is not Status.NO_DATA
        else {}
    )
    readings = []
    for alt in ind.alternatives:
        f = alternatives[(ind.code, alt.code)]
        other = (
            evaluate(ind, resolve(f.numerator), resolve(f.denominator))
            if loaded
            else evaluate(ind, None, None)
        )
        if loaded and f.sample is not None:
            other = without_verdict(other, resolve(f.sample), f.min_sample)
        flips = (
            result.status in _VERDICTS
            and other.status in _VERDICTS
            and other.status is not result.status
        )
        readings.append(
            Reading(
                code=alt.code,
                name=alt.name,
                name_en=alt.name_en,
                numerator=other.numerator,
                denominator=other.denominator,
                value=other.value,
                status=other.status,
                flips=flips,
            )
        )
    return dataclasses.replace(result, aside=aside, reading=ind.reading, readings=tuple(readings))
