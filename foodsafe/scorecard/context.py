"""What a metric works with: the period, the as-of date and the ledger tables as Ibis tables.

A metric does not see an org unit. It describes *measures* — counts, sums or distinct counts of
rows of a relation that satisfy a condition — and the engine runs every measure over a relation
for many org-unit subtrees at once, in one grouped query (see ``engine.py``). Each relation
carries the org-unit code its rows belong to in ``unit_column``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

import ibis
from ibis.expr.types import BooleanValue, Table

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
    "risk_grade": "registry_riskgrade",
    # Credit supervision's tables (workflow layer, read by name like evidence approvals):
    # the credit files and the monthly classes (item 25).
    "credit_file": "credit_creditfile",
    "credit_grade": "credit_creditgrade",
    "credit_entry": "credit_creditentry",
    "insurance": "insurance_liabilitypolicy",
    "food_handler": "handlers_foodhandler",
    "system_certificate": "handlers_systemcertificate",
    "plan_revision": "emergency_planrevision",
    "drill": "emergency_drill",
    "sentinel_institution": "sentinels_sentinelinstitution",
    "sentinel_report": "sentinels_sentinelreport",
    "disease_event": "sentinels_diseaseevent",
}

UNIT_COLUMN = "unit_code"

#: Ledgers whose rows belong to a food business and take its org unit (``via_business``).
_VIA_BUSINESS = ("insurance", "food_handler", "system_certificate")
#: Issue 19's ledgers whose rows carry their own org-unit code.
_DIRECT = ("plan_revision", "drill", "sentinel_institution", "disease_event")

#: Day numbers count days from this date (``day_number``): a deadline's next day is
#: ``day_number(due) + 1`` on every backend, where SQLite before 3.46 has no date arithmetic.
DAY_ZERO = date(2000, 1, 1)


def day_number(column: Any) -> Any:
    """A date column as the number of days since ``DAY_ZERO`` (int64; NULL stays NULL)."""
    return (column - ibis.date(DAY_ZERO)).cast("int64")


#: The import ledger (``foodsafe.imports.ledgers``) each presence key stands for: zero reports
#: (零报告) name a ledger by its import name.
LEDGER_NAMES = {
    "batch": "sampling",
    "complaint": "complaints",
    "case": "cases",
    "staff": "staff",
    "survey": "surveys",
    "grain_stock": "grain_stocks",
    "canteen": "school_canteens",
    "inspection": "inspections",
    "finding": "findings",
    "self_report": "self_inspections",
    "incident": "incidents",
    "risk_grade": "risk_grades",
    "credit_file": "credit_files",
    "credit_grade": "credit_grades",
    "insurance": "insurance_policies",
    "food_handler": "food_handlers",
    "system_certificate": "system_certificates",
    "plan_revision": "plan_revisions",
    "drill": "drills",
    "sentinel_institution": "sentinel_institutions",
    "disease_event": "disease_events",
}


@dataclass(frozen=True, eq=False)
class Measure:
    """A reduction over the rows of ``relation`` that satisfy ``where``, per org-unit subtree.

    ``reduce``: ``count`` (rows), ``sum`` or ``nunique`` of ``column``. ``relation`` must have
    the column ``unit_code`` (the row's 12-digit org-unit code).
    """

    relation: Table
    reduce: Literal["count", "sum", "nunique"] = "count"
    where: BooleanValue | None = None
    column: str | None = None


@dataclass(frozen=True)
class Difference:
    """The rows counted by the ``plus`` measures less those counted by ``minus``: a numerator,
    denominator or aside that is a count of one set minus a count of a subset of it (e.g.
    complaints of the cohort not yet known to be on time or late). Counts only."""

    plus: tuple[Measure, ...]
    minus: tuple[Measure, ...] = ()

    def __post_init__(self) -> None:
        if any(m.reduce != "count" for m in (*self.plus, *self.minus)):
            raise ValueError("a Difference subtracts counts only")


@dataclass(frozen=True)
class Population:
    """The resident population (常住人口) of each subtree for the period's year, in persons."""


POPULATION = Population()


@dataclass
class MetricContext:
    """A period evaluated as of a date, with the ledger tables of one Ibis backend.

    ``as_of`` is the day the facts are taken at (default: the period's end, or today if
    earlier): rows dated after it and work completed after it do not count.
    """

    backend: Any
    period: Period
    as_of: date
    _tables: dict[str, Table] = field(default_factory=dict)
    _presence: dict[str, Measure] = field(default_factory=dict)
    #: The ledger tables and the relations built from them that do not depend on the as-of
    #: date, which contexts of one period at other as-of dates may share (each table look-up
    #: reads its schema, and a join costs Ibis time to build).
    base_tables: dict[str, Table] = field(default_factory=dict)
    #: Relations that are another relation with more columns, row for row (``extend``,
    #: ``with_first``): extension → the relation it extends. Measures over a relation and over
    #: its extension then run in one query (``measures.fold``).
    extensions: dict[Any, Any] = field(default_factory=dict)

    def extend(self, rel: Table, **columns: Any) -> Table:
        """``rel`` with more columns computed from its own row (kept as an extension of it)."""
        extended = rel.mutate(**columns)
        self.extensions[extended.op()] = rel.op()
        return extended

    def with_first(
        self, rel: Table, key: str, events: Table, event_key: str, day: str, name: str
    ) -> Table:
        """``rel`` with a column ``name``: the earliest ``day`` of the ``events`` whose
        ``event_key`` is the row's ``key`` (NULL for none); the same rows (a LEFT JOIN to one
        row per key), kept as an extension of ``rel``.

        "Has an event dated up to the as-of date" (``key.isin(events up to as_of)``) is then
        "``name`` on or before the as-of date": a condition on the row's own dated column,
        which a year of month ends counts as one running total (``scorecard/months.py``).
        """
        first = events.group_by(_fs_key=events[event_key]).aggregate(**{name: events[day].min()})
        joined = rel.left_join(first, rel[key] == first["_fs_key"])
        extended = joined.select(*rel.columns, name)
        self.extensions[extended.op()] = rel.op()
        return extended

    def table(self, key: str) -> Table:
        """The ledger table ``key`` (see ``TABLES``) as an Ibis table, cached per context."""
        if key not in self.base_tables:
            self.base_tables[key] = self.backend.table(TABLES[key])
        return self.base_tables[key]

    def relation(self, key: str) -> Table:
        """A ledger table with its org-unit code as ``unit_code`` (cached: measures over the
        same relation share one query)."""
        cache_key = f"rel:{key}"
        if cache_key not in self.base_tables:
            t = self.table(key)
            self.base_tables[cache_key] = t.mutate(**{UNIT_COLUMN: t.org_unit_code})
        return self.base_tables[cache_key]

    def derived(self, key: str, build: Any, *, same_every_as_of: bool = False) -> Table:
        """A relation built once per context by ``build()`` and cached under ``key``.

        ``same_every_as_of``: ``build`` does not read the as-of date (only the tables and the
        period), so contexts of other as-of dates that share ``base_tables`` share it too.
        """
        cache = self.base_tables if same_every_as_of else self._tables
        cache_key = f"derived:{key}"
        if cache_key not in cache:
            cache[cache_key] = build()
        return cache[cache_key]

    # -- conditions ------------------------------------------------------------------------
    @property
    def end(self) -> date:
        return self.period.end

    @property
    def period_to_date(self) -> date:
        """The period's last day, or the as-of date if earlier."""
        return min(self.period.end, self.as_of)

    def in_period(self, column: Any) -> BooleanValue:
        """Dates in the period up to the as-of date (both ends inclusive).

        A scorecard "as of" a day counts only what had happened by that day, so a forecast
        from it extrapolates the real pace.
        """
        return column.between(ibis.date(self.period.start), ibis.date(self.period_to_date))

    def day_by_as_of(self, day: Any) -> BooleanValue:
        """A day number (``day_number``, or derived from one) on or before the as-of date."""
        return day <= ibis.literal((self.as_of - DAY_ZERO).days, "int64")

    def done_by_as_of(self, column: Any) -> BooleanValue:
        """A completion date that is set and not after the as-of date."""
        return column.notnull() & (column <= ibis.date(self.as_of))

    @staticmethod
    def operating_on(rel: Table, on: date) -> BooleanValue:
        """Food businesses operating on ``on``: opened by then (or no date) and not closed by
        then (no closing date and not marked closed, or closed after ``on``).

        ``rel`` needs the business columns ``opened_on``, ``closed_on`` and ``status``.
        """
        d = ibis.date(on)
        return (rel.opened_on.isnull() | (rel.opened_on <= d)) & (
            (rel.closed_on.isnull() & (rel.status != "closed")) | (rel.closed_on > d)
        )

    def ledger_rows(self, ledger: str) -> Measure:
        """A count of every row of ``ledger`` in a scope, of any date: is the ledger there?
        (The survey's: the sample's rows, not the public web form's answers.)"""
        cache_key = f"presence:{ledger}"
        if cache_key not in self._presence:
            if ledger in (
                "batch",
                "complaint",
                "case",
                "staff",
                "survey",
                "grain_stock",
                "incident",
                *_DIRECT,
            ):
                relation = self.relation(ledger)
            elif ledger == "self_report":
                relation = self.self_reports()
            elif ledger == "finding":
                relation = self.findings()
            elif ledger == "canteen":
                relation = self.canteens()
            elif ledger == "inspection":
                relation = self.inspections()
            elif ledger == "risk_grade":
                relation = self.risk_grades()
            elif ledger == "credit_file":
                relation = self.relation("credit_file")
            elif ledger == "credit_grade":
                g = self.table("credit_grade")
                b = self.table("business")
                relation = g.join(b, g.business_id == b.id).select(
                    month=g.month, **{UNIT_COLUMN: b.org_unit_code}
                )
            elif ledger in _VIA_BUSINESS:
                relation = self.via_business(ledger)
            else:
                raise KeyError(f"no presence check for ledger {ledger!r}")
            # The public web form's answers (网络自愿填答) are nobody's report: the survey is
            # not reported because someone answered the form.
            where = ~relation.self_selected if ledger == "survey" else None
            self._presence[cache_key] = Measure(relation, where=where)
        return self._presence[cache_key]

    def rows_between(
        self, rel: Table, where: BooleanValue | None = None, *, key: str = ""
    ) -> Measure:
        """The rows of ``rel`` (with ``unit_code``) that satisfy ``where``: a metric's
        ``Fraction.reported``, the ledger rows that speak for the period. Cached under ``key``
        so that the metrics reading one ledger share one measure."""
        cache_key = f"reported:{key}" if key else ""
        if cache_key and cache_key in self._presence:
            return self._presence[cache_key]
        measure = Measure(rel, where=where)
        if cache_key:
            self._presence[cache_key] = measure
        return measure

    def dated_in(self, column: Any, start: date | None = None, end: date | None = None) -> Any:
        """``column`` from ``start`` to ``end`` (default: the whole period, whatever the as-of
        date: whether a ledger was reported for the period does not move with the day)."""
        return column.between(
            ibis.date(start or self.period.start), ibis.date(end or self.period.end)
        )

    def inspections_reported(self) -> Measure:
        """Inspections dated in the period in a scope: the inspection ledger reported for it."""
        i = self.inspections()
        return self.rows_between(i, self.dated_in(i.inspected_on), key="inspection")

    def inspections_of_formats_reported(self, formats: Sequence[str]) -> Measure:
        """Inspections dated in the period, in a scope, of businesses of ``formats``: the rows
        that show those operators were seen operating in the period.

        For indicators read off a register whose own dates say nothing of the period (the
        three smalls' registrations, the canteens' 明厨亮灶 going live): a register loaded in
        2021 lists who was there in 2021, not who was there in 2015 or 2026, so the period
        needs rows of its own (see ``small_operator_registration_rate`` and
        ``bright_kitchen_coverage``).
        """
        chosen = tuple(sorted(formats))

        def build() -> Table:
            i = self.table("inspection")
            b = self.table("business")
            return (
                i.join(b, i.business_id == b.id)
                .filter(b.business_format.isin(list(chosen)))
                .select(inspected_on=i.inspected_on, **{UNIT_COLUMN: b.org_unit_code})
            )

        rows = self.derived(f"inspections_of:{chosen}", build, same_every_as_of=True)
        return self.rows_between(
            rows, self.dated_in(rows.inspected_on), key=f"inspection_of:{chosen}"
        )

    def trainings_reported(self) -> Measure:
        """Training records dated in the period in a scope: the staff ledger (监管人员台账 with
        its 培训记录) reported for the period.

        The roster has no date of its own: the people of a 2021 roster, join and leave dates
        included, say nothing of who was in post in 2015 or 2026. Every inspector must train
        40 学时 a year (实施方案 第12条, RULES.md §0 #10 [P]), so a roster kept for a period
        comes with training records dated in it [I]; none in the county and no zero report of
        the staff ledger: each item-12 indicator is 无数据 (未上报), not 77/101 达标 nor 0/101
        未达标.
        """

        def build() -> Table:
            t = self.table("training")
            s = self.table("staff")
            return t.join(s, t.staff_id == s.id).select(
                trained_on=t.trained_on, **{UNIT_COLUMN: s.org_unit_code}
            )

        rows = self.derived("trainings_with_unit", build, same_every_as_of=True)
        return self.rows_between(rows, self.dated_in(rows.trained_on), key="training")

    def period_rows(self, ledger: str) -> Measure | None:
        """The rows that show the import ledger ``ledger`` reported for the period, as the
        indicators' ``Fraction.reported`` count them (``None``: a register with no date of its
        own, e.g. the school canteens, reported by rows of any date). 数据上报情况 uses it."""
        if ledger == "inspections":
            return self.inspections_reported()
        if ledger == "staff":
            return self.trainings_reported()
        dated = {
            "findings": (self.findings, "inspected_on", "finding"),
            "sampling": (lambda: self.relation("batch"), "sampled_on", "batch"),
            "cases": (lambda: self.relation("case"), "lead_received_on", "case"),
            "complaints": (lambda: self.relation("complaint"), "received_on", "complaint"),
            "self_inspections": (self.self_reports, "submitted_on", "self_report"),
            "surveys": (lambda: self.relation("survey"), "responded_on", "survey"),
        }
        if ledger == "grain_stocks":
            g = self.relation("grain_stock")
            return self.rows_between(g, g.year == self.period.end.year, key="grain_stock")
        if ledger not in dated:
            return None
        build, column, key = dated[ledger]
        rel = build()
        return self.rows_between(rel, self.dated_in(rel[column]), key=key)

    def inspections(self) -> Table:
        """Inspections with their business's org unit and operating dates."""

        def build() -> Table:
            i = self.table("inspection")
            b = self.table("business")
            return i.join(b, i.business_id == b.id).select(
                id=i.id,
                inspected_on=i.inspected_on,
                opened_on=b.opened_on,
                closed_on=b.closed_on,
                status=b.status,
                **{UNIT_COLUMN: b.org_unit_code},
            )

        return self.derived("inspections", build, same_every_as_of=True)

    def findings(self) -> Table:
        """Inspection findings with their inspection's date and business's unit and dates."""

        def build() -> Table:
            f = self.table("finding")
            i = self.inspections()
            return f.join(i, f.inspection_id == i.id).select(
                inspected_on=i.inspected_on,
                opened_on=i.opened_on,
                closed_on=i.closed_on,
                status=i.status,
                **{UNIT_COLUMN: i[UNIT_COLUMN]},
            )

        return self.derived("findings", build, same_every_as_of=True)

    def risk_grades(self) -> Table:
        """Grade-ledger rows (风险等级记录) with their business's org unit."""

        def build() -> Table:
            g = self.table("risk_grade")
            b = self.table("business")
            return g.join(b, g.business_id == b.id).select(
                year=g.year, **{UNIT_COLUMN: b.org_unit_code}
            )

        return self.derived("risk_grades", build, same_every_as_of=True)

    def via_business(self, key: str) -> Table:
        """The rows of ledger ``key`` (one with a ``business_id``) with their business's org
        unit: what the ledger's presence check counts."""

        def build() -> Table:
            t = self.table(key)
            b = self.table("business")
            return t.join(b, t.business_id == b.id).select(
                row_id=t.id, **{UNIT_COLUMN: b.org_unit_code}
            )

        return self.derived(f"via_business:{key}", build, same_every_as_of=True)

    def via_business_dated(self, key: str, first: str, last: str) -> Table:
        """The rows of ledger ``key`` (one with a ``business_id``) with their business's org
        unit and the days they run from and to (``first_on``, ``last_on``, e.g. a policy's
        起止日期): whether a row speaks for a period is whether it runs on a day of it."""

        def build() -> Table:
            t = self.table(key)
            b = self.table("business")
            return t.join(b, t.business_id == b.id).select(
                first_on=t[first], last_on=t[last], **{UNIT_COLUMN: b.org_unit_code}
            )

        return self.derived(f"via_business_dated:{key}", build, same_every_as_of=True)

    def self_reports(self) -> Table:
        """Self-inspection reports with their business's org unit."""

        def build() -> Table:
            r = self.table("self_report")
            b = self.table("business")
            return r.join(b, r.business_id == b.id).select(
                submitted_on=r.submitted_on, **{UNIT_COLUMN: b.org_unit_code}
            )

        return self.derived("self_reports", build, same_every_as_of=True)

    def canteens(self) -> Table:
        """School canteens with their business's org unit and operating dates."""

        def build() -> Table:
            c = self.table("canteen")
            b = self.table("business")
            return c.join(b, c.business_id == b.id).select(
                business_id=c.business_id,
                bright_kitchen_on=c.bright_kitchen_on,
                opened_on=b.opened_on,
                closed_on=b.closed_on,
                status=b.status,
                **{UNIT_COLUMN: b.org_unit_code},
            )

        return self.derived("canteens", build, same_every_as_of=True)

    @staticmethod
    def months_back(on: date, months: int) -> date:
        """The first day of the window of ``months`` months that ends on ``on`` (inclusive)."""
        year, month = on.year, on.month - months
        while month <= 0:
            month += 12
            year -= 1
        import calendar

        day = min(on.day, calendar.monthrange(year, month)[1])
        return date(year, month, day) + timedelta(days=1)
