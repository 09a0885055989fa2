"""The replay of issue 13 §5 (as the City of Chicago evaluated its model): keep a window's
inspections and their dates, reorder them, and count how much earlier the inspections with a bad
outcome would have been done.

At the same daily capacity: the k-th operator of the new order takes the k-th actual date (the
dates sorted). Pure arithmetic on lists; the benchmark (benchmarks/inspection_order.py) feeds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .features import Snapshot


@dataclass(frozen=True)
class Visit:
    """One inspection of the window: who, when it was actually done, and whether it found a
    problem (the outcome the order is judged on; the order never sees it)."""

    operator_id: int
    on: date
    bad: bool


def reassigned_dates(visits: Sequence[Visit], order: Sequence[int]) -> list[date]:
    """The date each visit would get in ``order`` (a permutation of indexes into ``visits``,
    first = inspected first): the k-th in the order takes the k-th earliest actual date.
    Returned in ``visits``' own order."""
    if sorted(order) != list(range(len(visits))):
        raise ValueError("order must be a permutation of the visits' indexes")
    dates = sorted(v.on for v in visits)
    new: list[date | None] = [None] * len(visits)
    for k, i in enumerate(order):
        new[i] = dates[k]
    return [d for d in new if d is not None]


def days_earlier(visits: Sequence[Visit], order: Sequence[int]) -> np.ndarray:
    """For each visit with a bad outcome, actual date − new date in days (positive = earlier)."""
    new = reassigned_dates(visits, order)
    return np.asarray(
        [(v.on - d).days for v, d in zip(visits, new, strict=True) if v.bad], dtype=float
    )


def in_first_half(
    visits: Sequence[Visit], order: Sequence[int], *, start: date, end: date
) -> np.ndarray:
    """For each visit with a bad outcome, whether ``order`` puts it before the midpoint of the
    window ``[start, end)``."""
    new = reassigned_dates(visits, order)
    mid = start + (end - start) / 2
    return np.asarray([d < mid for v, d in zip(visits, new, strict=True) if v.bad], dtype=bool)


def order_by(keys: Sequence[object]) -> list[int]:
    """Indexes sorted by ``keys`` ascending (ties keep their place): a sort key per visit."""
    return sorted(range(len(keys)), key=lambda i: keys[i])  # type: ignore[return-value, arg-type]


def actual_order(visits: Sequence[Visit]) -> list[int]:
    """The order in which the visits were actually done (stable on ties)."""
    return order_by([v.on for v in visits])


def ceiling_order(visits: Sequence[Visit]) -> list[int]:
    """Perfect knowledge: every bad visit first, each group in its actual order."""
    return order_by([(not v.bad, v.on) for v in visits])


@dataclass(frozen=True)
class Summary:
    """Days earlier for the bad visits of one or more windows pooled."""

    n: int
    mean: float
    median: float
    later_share: float
    first_half: float

    @classmethod
    def of(cls, earlier: np.ndarray, first_half: np.ndarray) -> Summary:
        """From the pooled days earlier and first-half flags of the bad visits."""
        if len(earlier) == 0:
            nan = float("nan")
            return cls(0, nan, nan, nan, nan)
        return cls(
            n=len(earlier),
            mean=float(earlier.mean()),
            median=float(np.median(earlier)),
            later_share=float((earlier < 0).mean()),
            first_half=float(first_half.mean()),
        )


def baseline_key(s: Snapshot) -> tuple[int, int]:
    """The one-line baseline of issue 13 §5: the band of the previous score (≤ 70, 71–85, no
    previous inspection, 86–90, 91–100; a result without a score reads as its band), then the
    longest time since the last inspection."""
    last = s.last
    if last is None:
        band = 2
    elif last.score is not None:
        band = 0 if last.score <= 70 else 1 if last.score <= 85 else 3 if last.score <= 90 else 4
    else:
        band = {"noncompliant": 0, "rectify": 1}.get(last.result, 3)
    return (band, -s.days_since_last)
