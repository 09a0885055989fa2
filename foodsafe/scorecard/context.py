"""The scope a metric is computed for, and the ledger tables as Ibis expressions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from typing import Any

import ibis
from ibis.expr.types import BooleanColumn, Table

from .periods import Period

# Django's table names for the ledgers the metrics read.
TABLES = {
    "orgunit": "orgunits_orgunit",
    "population": "orgunits_population",
    "business": "registry_foodbusiness",
    "inspection": "inspections_inspection",
    "finding": "inspections_finding",
    "batch": "sampling_samplingbatch",
    "test_item": "sampling_testitem",
    "case": "enforcement_case",
    "complaint": "complaints_complaint",
    "staff": "workforce_staffmember",
    "training": "workforce_trainingrecord",
    "canteen": "schools_schoolcanteen",
    "grain_stock": "grain_grainstock",
    "grain_monitoring": "grain_grainmonitoring",
    "self_report": "selfinspections_selfinspectionreport",
    "survey": "surveys_surveyresponse",
    "incident": "incidents_incident",
}


@dataclass
class MetricContext:
    """One scope: an org-unit subtree (code prefix) × a period, evaluated as of a date.

    ``as_of`` is the day the facts are taken at (default: the period's end, or today if earlier);
    work finished after ``as_of`` does not count.
    """

    backend: Any
    org_unit_code: str
    prefix: str
    level: int
    period: Period
    as_of: date

    @cached_property
    def _tables(self) -> dict[str, Table]:
        return {}

    def table(self, key: str) -> Table:
        """The ledger table ``key`` (see ``TABLES``) as an Ibis table, cached per context."""
        cache = self._tables
        if key not in cache:
            cache[key] = self.backend.table(TABLES[key])
        return cache[key]

    # -- filters ---------------------------------------------------------------------------
    def in_scope(self, column: Any) -> BooleanColumn:
        """Rows whose org-unit code lies in the scope's subtree (code prefix)."""
        return column.startswith(self.prefix)

    def in_period(self, column: Any) -> BooleanColumn:
        """Rows whose date lies in the period up to the as-of date (both ends inclusive).

        A scorecard "as of" a day counts only what had happened by that day, so a forecast
        from it extrapolates the real pace.
        """
        return column.between(ibis.date(self.period.start), ibis.date(self.period_to_date))

    @property
    def period_to_date(self) -> date:
        """The period's last day, or the as-of date if earlier."""
        return min(self.period.end, self.as_of)

    def done_by_as_of(self, column: Any) -> BooleanColumn:
        """A completion date that is set and not after the as-of date."""
        return column.notnull() & (column <= ibis.date(self.as_of))

    @property
    def end(self) -> date:
        return self.period.end

    def active_businesses_at(self, on: date) -> Table:
        """Food businesses in scope that were operating on ``on``.

        Open: no opening date or opened on/before ``on``; not closed: no closing date or closed
        after ``on``, and not marked closed without a date.
        """
        b = self.table("business")
        d = ibis.date(on)
        return b.filter(
            self.in_scope(b.org_unit_code),
            b.opened_on.isnull() | (b.opened_on <= d),
            (b.closed_on.isnull() & (b.status != "closed")) | (b.closed_on > d),
        )

    def population(self) -> Any:
        """Resident population (常住人口) of the scope for the period's year, in persons.

        The unit's own figure when it has one; otherwise the sum over the shallowest level of
        units below it that have figures. Null when no figure exists (→ "no data").
        """
        p = self.table("population")
        ou = self.table("orgunit")
        rows = p.filter(self.in_scope(p.org_unit_code), p.year == self.period.year).join(
            ou, p.org_unit_code == ou.code
        )
        top = rows.level.min()
        return rows.filter(rows.level == top).resident_population.sum()

    def months_back(self, on: date, months: int) -> date:
        """The first day of the window of ``months`` months that ends on ``on`` (inclusive)."""
        year, month = on.year, on.month - months
        while month <= 0:
            month += 12
            year -= 1
        day = min(on.day, _days_in_month(year, month))
        return date(year, month, day) + timedelta(days=1)


def _days_in_month(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]
