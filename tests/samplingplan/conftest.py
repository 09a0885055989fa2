"""A small registry for the sampling-plan tests: two subdistricts, eight cells, grades."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import SUB_A, SUB_B
from tests.factories import FoodBusinessFactory, PopulationFactory

FORMATS = [
    ("production", "manufacturer", "B"),
    ("production", "small_workshop", "C"),
    ("sales", "supermarket", "A"),
    ("sales", "produce_market", "D"),
    ("sales", "grocery", "B"),
    ("catering", "restaurant", "C"),
    ("catering", "school_canteen", "B"),
    ("catering", "ordering_platform", "B"),
]


@pytest.fixture
def registry(district):
    PopulationFactory(org_unit_id=SUB_A, year=2021, resident_population=12_345)
    PopulationFactory(org_unit_id=SUB_B, year=2021, resident_population=8_000)
    for i, (sector, fmt, grade) in enumerate(FORMATS):
        for j in range(i + 1):
            FoodBusinessFactory(
                sector=sector,
                business_format=fmt,
                risk_level=grade,
                org_unit_id=SUB_A if j % 2 else SUB_B,
            )
    # Closed before 2022: its cell (食品摊贩) is not one the district has.
    FoodBusinessFactory(
        sector="sales", business_format="food_stall", status="closed", closed_on=date(2021, 3, 1),
        org_unit_id=SUB_A,
    )  # fmt: skip
    return district
