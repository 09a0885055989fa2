"""A small synthetic district built once per session (pure, no database)."""

from __future__ import annotations

import pytest

from foodsafe.synthetic.services import synthetic_build

POPULATION = 40_000
SEED = 7


@pytest.fixture(scope="session")
def dataset():
    return synthetic_build(population=POPULATION, seed=SEED)
