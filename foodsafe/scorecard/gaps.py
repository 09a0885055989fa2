"""Gaps to target in natural units (还需抽检 312 批次) and the rounding of displayed values."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction as Exact

from foodsafe.programme.spec import IndicatorSpec

from .results import Gap


def quantize(value: Exact, places: int = 2) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, ROUND_HALF_UP)


@dataclass(frozen=True)
class Computed:
    numerator: Decimal | None
    denominator: Decimal | None


def indicator_gap(
    ind: IndicatorSpec,
    target_value: Decimal | Exact,
    factor: int,
    computed: Computed,
    unit_zh: str,
    unit_en: str,
) -> Gap | None:
    """The shortfall to a ``>=``/``>`` target in the numerator's natural unit.

    For a mean score (factor 1, unit points) the gap is in points; for a rate it is the number
    of numerator units still needed: ceil(target × denominator ÷ factor − numerator).
    """
    num, den = computed.numerator, computed.denominator
    if ind.target is None or ind.gap is None:
        return None
    if num is None or den is None or den == 0 or ind.target.comparator not in (">=", ">"):
        return None
    failures = den - num
    if ind.unit == "points":
        value = Exact(num) / Exact(den)
        shortfall_exact = Exact(target_value) - value
        if shortfall_exact <= 0:
            return None
        amount = quantize(shortfall_exact, 1)
        if amount == 0:
            amount = Decimal("0.1")
    else:
        needed = Exact(target_value) * Exact(den) / factor - Exact(num)
        if needed <= 0 and ind.target.comparator == ">=":
            return None
        amount = Decimal(max(1, math.ceil(needed)) if needed > 0 else 1)
    fields = {
        "shortfall": f"{amount.normalize():f}",
        "failures": f"{failures.normalize():f}",
        "numerator": f"{num.normalize():f}",
        "denominator": f"{den.normalize():f}",
    }
    return Gap(
        amount=amount,
        unit_zh=unit_zh,
        text_zh=ind.gap.zh.format(**fields),
        text_en=ind.gap.en.format(**fields),
    )
