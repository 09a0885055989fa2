"""No leakage: nothing dated on or after the ranking date (the replay window's start) may be read
by the feature code, the training set, the model's order, its reasons or the baseline.

Records dated on or after the start are planted as poison: a ``FutureDate`` may be compared (that
is how a record is kept out) but any other use — arithmetic, its year/month/day, its text — raises
``FutureRead``; a ``FutureInspection`` raises on any field but its date. A feature that read such
a record would fail this test; the last test shows that it does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any, NoReturn

import numpy as np
import pytest

from foodsafe.riskrank import replay as R
from foodsafe.riskrank.features import feature_names, operator_features, reason, snapshot
from foodsafe.riskrank.history import OperatorHistory, PastInspection
from foodsafe.riskrank.ranking import METHOD_MODEL, rank_histories

START = date(2021, 10, 1)


class FutureRead(AssertionError):
    """Something dated on or after the ranking date was read."""


def _read(*_args: Any, **_kw: Any) -> NoReturn:
    raise FutureRead("a record dated on or after the ranking date was read")


class FutureDate(date):
    """A date on or after START: comparable, nothing else."""

    __add__ = __radd__ = __sub__ = __rsub__ = _read
    isoformat = strftime = toordinal = timetuple = weekday = isoweekday = ctime = _read
    __str__ = __format__ = _read
    year = month = day = property(_read)  # type: ignore[assignment]


class FutureInspection:
    """An inspection on or after START whose every field but ``on`` is unreadable."""

    def __init__(self, on: FutureDate) -> None:
        self.on = on

    def __getattr__(self, name: str) -> Any:
        _read()


def _future(days: int) -> FutureDate:
    d = START + timedelta(days=days)
    return FutureDate(d.year, d.month, d.day)


def _city(n: int = 300) -> list[OperatorHistory]:
    """Operators inspected every ~6 months since 2019 with complaints, grades and failed batches;
    a third of them keep failing, so the model has something to learn."""
    rng = np.random.default_rng(3)
    ops = []
    for pk in range(1, n + 1):
        bad = rng.random() < 0.35
        visits = tuple(
            PastInspection(
                d,
                "noncompliant" if bad and rng.random() < 0.8 else "compliant",
                int(rng.integers(60, 100)),
                high=int(rng.integers(0, 3)),
                low=int(rng.integers(0, 3)),
            )
            for k in range(6)
            if (d := date(2019, 1, 1) + timedelta(days=182 * k + pk % 120)) < START
        )
        ops.append(
            OperatorHistory(
                operator_id=pk,
                name=("老王火锅店" if bad else "示例超市") + str(pk),
                business_format="restaurant",
                org_unit="120101001000",
                opened_on=date(2018, 1, 1),
                grades=((date(2020, 1, 15), "C" if bad else "B"),),
                inspections=visits,
                complaints=(date(2021, 5, 1),) if pk % 3 == 0 else (),
                failed_sampling=(date(2021, 2, 1),) if pk % 5 == 0 else (),
            )
        )
    return ops


def _poisoned(h: OperatorHistory) -> OperatorHistory:
    """The same operator with the window's outcome and later records planted as poison."""
    return replace(
        h,
        inspections=(*h.inspections, FutureInspection(_future(0)), FutureInspection(_future(30))),  # type: ignore[arg-type]
        grades=(*h.grades, (_future(0), "D"), (_future(10), "D")),  # one decided on START
        complaints=(*h.complaints, _future(0), _future(5)),
        failed_sampling=(*h.failed_sampling, _future(1)),
    )


def test_nothing_on_or_after_the_start_is_read():
    clean = _city()
    dirty = [_poisoned(h) for h in clean]  # records dated exactly START are the future too
    ranked = rank_histories(dirty, dirty, as_of=START)
    assert ranked[0].method == METHOD_MODEL
    for h in dirty:
        s = snapshot(h, as_of=START)
        for name in feature_names():
            reason(s, name)  # the words of every feature read only the past
        R.baseline_key(s)
    # …and the order is the one of the clean histories: the poison was never even counted.
    expect = rank_histories(clean, clean, as_of=START)
    assert [(r.operator_id, r.reasons) for r in ranked] == [
        (r.operator_id, r.reasons) for r in expect
    ]
    assert [r.probability for r in ranked] == pytest.approx([r.probability for r in expect])
    for c, d in zip(clean[:20], dirty[:20], strict=True):
        assert operator_features(d, as_of=START) == operator_features(c, as_of=START)


def test_the_guard_catches_a_feature_that_reads_the_window():
    """The poison bites: a feature that read the window's outcome, or counted a complaint by
    its date arithmetic without first keeping out the future, fails."""
    h = _poisoned(_city(1)[0])
    with pytest.raises(FutureRead):
        [i.result for i in h.inspections]  # the window's outcome
    with pytest.raises(FutureRead):
        [(START - d).days for d in h.complaints]  # a date on/after START used, not only compared
    with pytest.raises(FutureRead):
        max(h.grades)[0].isoformat()
