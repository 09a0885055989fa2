"""Chinese working days (工作日) as a lookup table, for adding working days to many dates at once.

``complaint_deadlines`` walks day by day: right for one complaint, too slow for millions.
:class:`WorkingDays` asks the same calendar (:mod:`foodsafe.workdays.calendar`, so holidays and
make-up working days are the office's) once for every day of a range and then answers with
numpy indexing.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from foodsafe.complaints.services import ACCEPTANCE_WORKING_DAYS, MEDIATION_WORKING_DAYS
from foodsafe.workdays.calendar import Calendar, seed_calendar

from .tables import DAY


class WorkingDays:
    """Working days between ``first`` and ``last`` (inclusive), default 2019–2023.

    ``add(start, n)`` equals ``add_workdays(start, n).date`` element-wise: the ``n``-th working day
    after ``start`` (``start`` not counted; ``n == 0`` gives ``start``). Raises ``ValueError``
    when a result would fall outside the table.
    """

    def __init__(
        self,
        first: date = date(2019, 1, 1),
        last: date = date(2023, 12, 31),
        calendar: Calendar | None = None,
    ) -> None:
        # Made-up data, built without a database: the seed calendar (2019–2023 are seeded).
        calendar = calendar or seed_calendar()
        self.first = np.datetime64(first, "D")
        days = np.arange(self.first, np.datetime64(last, "D") + DAY, DAY)
        working = np.fromiter(
            (calendar.is_workday(d).workday for d in days.tolist()), bool, len(days)
        )
        #: day offsets of the working days, ascending
        self.working = np.flatnonzero(working)
        #: number of working days on or before each day offset
        self.cumulative = np.cumsum(working)
        self.size = len(days)

    def add(self, start: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """``start`` (``datetime64[D]``) plus ``n`` working days, element-wise."""
        offset = (start - self.first).astype(np.int64)
        if offset.size and (offset.min() < 0 or offset.max() >= self.size):
            raise ValueError("date outside the working-day table")
        n = np.broadcast_to(np.asarray(n, dtype=np.int64), offset.shape)
        index = self.cumulative[offset] + n - 1
        if index.size and index.max() >= len(self.working):
            raise ValueError("result outside the working-day table")
        result = self.first + self.working[np.maximum(index, 0)] * DAY
        return np.where(n == 0, start, result)

    def complaint_deadlines(
        self, received_on: np.ndarray, accepted: np.ndarray, decided_on: np.ndarray,
        suspended_working_days: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Vectorised ``complaint_deadlines``: ``(acceptance_due_on, closing_due_on)``.

        ``closing_due_on`` is ``NaT`` where the complaint is not accepted (第十四条 7 and 第二十一条
        45 working days, extended by the suspended working days, 第二十条).
        """
        acceptance = self.add(received_on, ACCEPTANCE_WORKING_DAYS)
        base = np.where(accepted, decided_on, received_on)
        closing = self.add(base, MEDIATION_WORKING_DAYS + suspended_working_days)
        return acceptance, np.where(accepted, closing, np.datetime64("NaT"))
