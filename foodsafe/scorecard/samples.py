"""No verdict on too small a sample (样本量不足，不作判定).

An estimate from a sample (群众食品安全满意度, 创建知晓率) says something about the population
only when the sample is large enough: RULES-supervision.md §3.3 [I] ``n = t²·p(1−p)/e²``, 385
valid answers for ±5 points at 95 %. One telephone interview in an otherwise empty year must
not decide 达标 or 未达标, nor trigger veto 4 (否决项四) and fail the whole city. There is no
official minimum, so the figure is the programme spec's (metric option ``min_valid_sample``,
carried as :attr:`~.registry.Fraction.min_sample`); without it every sample carries a verdict.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from .results import IndicatorResult, Status

#: The statuses a verdict-less sample turns into 无数据: a verdict, or one still open.
_JUDGED = (Status.MET, Status.NOT_MET, Status.INCOMPLETE)


def sample_short(n: Decimal | None, minimum: int | None) -> str:
    """The reason there is no verdict — ``有效样本 12 份，少于 385 份，不作判定`` — or ``""``.

    ``n``: the sample units the estimate rests on (``Fraction.sample`` for the scope); None or
    0 is simply no data (nothing to show for reference), so no reason is given for it.
    """
    if minimum is None or not n or n >= minimum:
        return ""
    return f"有效样本 {n:f} 份，少于 {minimum} 份，不作判定"


def without_verdict(
    result: IndicatorResult, n: Decimal | None, minimum: int | None
) -> IndicatorResult:
    """``result`` as 无数据 with the reason when its sample is below ``minimum``; the value,
    numerator and denominator stay (shown for reference), the gap and forecast go (they
    measure a distance to a target the sample cannot decide). Used for an alternative reading
    too, with its own sample (its options may count other rows: ``self_selected: include``)."""
    reason = sample_short(n, minimum)
    if not reason or result.status not in _JUDGED:
        return result
    return dataclasses.replace(
        result, status=Status.NO_DATA, gap=None, forecast=None, note=reason, pending=None
    )
