"""Helpers for the scorecard tests: the real spec, and one call to evaluate a scope.

Every expected value in these tests is worked out by hand from the metric's docstring (its
counting rule) and written next to the assert; none is copied from what the engine prints.

Most tests evaluate the real spec (``programme_spec()``) narrowed to the indicators under test:
the indicator definitions (targets, options, gap texts) are the real ones, only the other
indicators are left out so that the suite stays fast. Tests of items, vetoes and the overall
status evaluate the whole spec.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pytest

from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.spec import ProgrammeSpec
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.scorecard.results import IndicatorResult, Scorecard
from tests.conftest import DISTRICT

__all__ = ["DISTRICT", "SUB_A", "SUB_B", "full_spec", "narrowed_spec"]

SUB_A = "120101001000"
SUB_B = "120101002000"


@cache
def full_spec() -> ProgrammeSpec:
    """The real programme spec heping-2021, loaded once (it is frozen)."""
    return programme_spec()


@cache
def narrowed_spec(*codes: str) -> ProgrammeSpec:
    """The real spec with only the indicators ``codes`` and the indicator vetoes on them."""
    spec = full_spec()
    return spec.model_copy(
        update={
            "indicators": [spec.indicator(code) for code in codes],
            "vetoes": [v for v in spec.vetoes if v.rule == "indicator" and v.indicator in codes],
        }
    )


@pytest.fixture
def indicator(district):
    """``indicator(code, period="2021", org_unit=DISTRICT, as_of=None)`` → IndicatorResult."""

    def evaluate(
        code: str, period: str = "2021", org_unit: str = DISTRICT, as_of: date | None = None
    ) -> IndicatorResult:
        card = evaluate_scorecard(
            spec=narrowed_spec(code), org_unit=org_unit, period=period, as_of=as_of
        )
        return card.indicator(code)

    return evaluate


@pytest.fixture
def scorecard(district):
    """``scorecard(period="2021", org_unit=DISTRICT, as_of=None)`` → Scorecard (whole spec)."""

    def evaluate(
        period: str = "2021", org_unit: str = DISTRICT, as_of: date | None = None
    ) -> Scorecard:
        return evaluate_scorecard(spec=full_spec(), org_unit=org_unit, period=period, as_of=as_of)

    return evaluate
