from datetime import date

import pytest

from tests.evidence.fixtures import assignment, private_media, programme  # noqa: F401
from tests.rectification.helpers import frozen

#: The day every rectification test runs on unless it freezes another: Monday 2021-10-18.
TODAY = date(2021, 10, 18)


@pytest.fixture(autouse=True)
def frozen_clock():
    """Deadlines and overdue depend on today: every test here runs with the clock frozen."""
    with frozen(TODAY):
        yield TODAY
