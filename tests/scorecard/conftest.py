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

__all__ = ["DISTRICT", "SUB_A", "SUB_B", "any_sample", "full_spec", "narrowed_spec"]

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


def any_sample(spec: ProgrammeSpec, minimum: int = 1) -> ProgrammeSpec:
    """``spec`` with ``min_valid_sample: minimum`` on every indicator that has the option (items
    22 and 23), for the tests of a survey estimate's arithmetic on a handful of answers: the real
    spec's 385 (RULES-supervision.md §3.3 [I]) would leave them without a verdict. The minimum
    itself is tested in ``test_survey_sample.py``; the alternatives inherit the option."""
    return spec.model_copy(
        update={
            "indicators": [
                i.model_copy(update={"options": {**i.options, "min_valid_sample": minimum}})
                if "min_valid_sample" in i.options
                else i
                for i in spec.indicators
            ]
        }
    )


@pytest.fixture
def small_sample_indicator(district):
    """As ``indicator``, with :func:`any_sample`'s ``min_valid_sample: 1``."""

    def evaluate(
        code: str, period: str = "2021", org_unit: str = DISTRICT, as_of: date | None = None
    ) -> IndicatorResult:
        card = evaluate_scorecard(
            spec=any_sample(narrowed_spec(code)), org_unit=org_unit, period=period, as_of=as_of
        )
        return card.indicator(code)

    return evaluate


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
    """``scorecard(period="2021", org_unit=DISTRICT, as_of=None, spec=None)`` → Scorecard
    (whole spec; ``spec``: another, e.g. ``any_sample(full_spec())``)."""

    def evaluate(
        period: str = "2021",
        org_unit: str = DISTRICT,
        as_of: date | None = None,
        spec: ProgrammeSpec | None = None,
    ) -> Scorecard:
        return evaluate_scorecard(
            spec=spec or full_spec(), org_unit=org_unit, period=period, as_of=as_of
        )

    return evaluate
