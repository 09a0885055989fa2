"""Who has reported (数据上报完整性, issue 10 §2): rows or a zero report, per ledger and unit.

The spec's ``reporting`` section names, for each ledger, the indicators and vetoes that read it
and who must report it. A ``township`` ledger must be reported by every subdistrict (街道): a
subdistrict reports by having rows of the ledger in its subtree (of any date, as the engine's
presence check) or a zero report (零报告) covering it and the period. A district roll-up with a
subdistrict that has not reported is 不完整 and never 达标 (DHIS2's data-set completeness).

Also here: the latest date the ledgers reach in a scope (数据截至), shown next to the as-of date
when the ledgers end before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import ibis

from foodsafe.programme.spec import ProgrammeSpec

from .context import LEDGER_NAMES, UNIT_COLUMN, Measure, MetricContext
from .inputs import ScorecardInputs
from .results import LedgerReport, UnitReport

#: The presence key (``MetricContext.ledger_rows``) of each import ledger name.
PRESENCE_KEYS = {name: key for key, name in LEDGER_NAMES.items()}

#: Township level (乡镇街道级) in ``orgunits.Level``; a subdistrict's prefix is 9 digits.
TOWNSHIP_LEVEL = 4

#: Dated ledgers and the column that dates a row, for 数据截至.
DATED = (
    ("inspection", "inspected_on"),
    ("batch", "sampled_on"),
    ("complaint", "received_on"),
    ("self_report", "submitted_on"),
)


@dataclass
class Reporting:
    """The township-level ledgers' presence measures and the subdistricts of each scope."""

    spec: ProgrammeSpec
    ctx: MetricContext
    measures: dict[str, Measure]
    children: dict[str, list[tuple[str, str]]]  # scope prefix → [(prefix, name)] of townships
    #: Presence of each county-level ``reporting`` ledger in the county: its rows of the period
    #: (``MetricContext.period_rows``), or of any date for a register without dates.
    county_measures: dict[str, Measure] = field(default_factory=dict)

    def unreported(
        self,
        ledgers: Sequence[str],
        prefix: str,
        values: dict[tuple[int, str], Any],
        inputs: ScorecardInputs,
    ) -> list[str]:
        """Names of the subdistricts of ``prefix`` (or the scope itself, if a subdistrict)
        that must report one of ``ledgers`` and have neither rows nor a zero report."""
        out: list[str] = []
        for ledger in ledgers:
            measure = self.measures.get(ledger)
            if measure is None:
                continue
            for child, name in self.children.get(prefix, []):
                rows = values.get((id(measure), child))
                if not rows and not inputs.zero_reported(ledger, child, self.ctx.period):
                    if name not in out:
                        out.append(name)
        return out

    def ledger_reports(
        self,
        prefix: str,
        scope_name: str,
        values: dict[tuple[int, str], Any],
        inputs: ScorecardInputs,
        names: dict[str, str],
    ) -> tuple[LedgerReport, ...]:
        """Who has reported each ledger of the spec's ``reporting`` section for the scope
        ``prefix`` and the period (数据上报情况): a county-level ledger by its rows in the
        scope's county (of the period, ``MetricContext.period_rows``) or a zero report covering
        the scope; a township-level one by each subdistrict's rows or zero report.
        ``names``: indicator and veto codes → the names to list them by."""
        out = []
        for entry in self.spec.reporting:
            reporters = tuple(self._unit_name(code) for code in entry.reporters)
            if entry.level == "township":
                measure = self.measures.get(entry.ledger)
                kids = [(c, c, n or scope_name) for c, n in self.children.get(prefix, [])]
            else:
                measure = self.county_measures.get(entry.ledger)
                kids = [(county_prefix(prefix), prefix, "、".join(reporters))]
            if measure is None:
                continue  # a ledger the scorecard has no presence check for
            units = []
            for rows_at, scope, name in kids:
                if values.get((id(measure), rows_at)):
                    how = "rows"
                elif inputs.zero_reported(
                    entry.ledger, scope, self.ctx.period, within=entry.level == "township"
                ):
                    how = "zero_report"
                else:
                    how = "missing"
                units.append(UnitReport(name, how))
            out.append(
                LedgerReport(
                    ledger=entry.ledger,
                    name=entry.name,
                    level=entry.level,
                    reporters=reporters,
                    units=tuple(units),
                    needed_by=tuple(names.get(c, c) for c in entry.needed_by),
                )
            )
        return tuple(out)

    def _unit_name(self, code: str) -> str:
        try:
            return self.spec.unit(code).name
        except KeyError:
            return code

    def township_ledgers(self, code: str) -> list[str]:
        """The township-level ledgers indicator or veto ``code`` reads."""
        return [r.ledger for r in self.spec.reporting_for(code) if r.level == "township"]

    def child_prefixes(self) -> list[str]:
        return sorted({c for kids in self.children.values() for c, _ in kids})


def build_reporting(spec: ProgrammeSpec, ctx: MetricContext, prefixes: Sequence[str]) -> Reporting:
    """The measures and subdistricts needed (one Ibis query for the subdistricts, none when
    no ledger is township-level)."""
    township = [r.ledger for r in spec.reporting if r.level == "township"]
    measures = {
        ledger: ctx.ledger_rows(PRESENCE_KEYS[ledger])
        for ledger in township
        if ledger in PRESENCE_KEYS
    }
    # A county-level ledger is reported for the period by its rows *of the period* where its
    # rows are dated (inspections of 2026 for 2026; as the indicators' Fraction.reported), else
    # by rows of any date: a 2021 ledger is not "已上报" for 2026.
    county_measures = {
        r.ledger: ctx.period_rows(r.ledger) or ctx.ledger_rows(PRESENCE_KEYS[r.ledger])
        for r in spec.reporting
        if r.level == "county" and r.ledger in PRESENCE_KEYS
    }
    children: dict[str, list[tuple[str, str]]] = {}
    if measures:
        o = ctx.table("orgunit")
        rows = o.filter(o.level == TOWNSHIP_LEVEL).select("code", "name").order_by("code")
        townships = ctx.backend.execute(rows).to_dict("records")
        for prefix in prefixes:
            if len(prefix) >= 9:  # a subdistrict (or below) reports for itself
                children[prefix] = [(prefix, "")]
                continue
            children[prefix] = [
                (str(t["code"])[:9], str(t["name"]))
                for t in townships
                if str(t["code"]).startswith(prefix)
            ]
    return Reporting(spec, ctx, measures, children, county_measures)


def county_prefix(prefix: str) -> str:
    """The county-level prefix (6 digits) of a scope below a county, else the scope's own:
    where county-level ledgers are kept (``vetoes.presence_prefix`` for the same rule)."""
    return prefix[:6] if len(prefix) > 6 else prefix


def data_through(ctx: MetricContext, prefixes: Sequence[str]) -> dict[str, date | None]:
    """The latest date of a dated ledger row (inspections, sampling, complaints,
    self-inspection reports) in each scope's county, up to the as-of date: one query per
    ledger. ``None`` where there is none."""
    counties = sorted({p[:6] if len(p) > 6 else p for p in prefixes})
    latest: dict[str, date] = {}
    for key, column in DATED:
        rel = (
            ctx.inspections()
            if key == "inspection"
            else (ctx.self_reports() if key == "self_report" else ctx.relation(key))
        )
        for county in counties:
            expr = rel.filter(
                rel[UNIT_COLUMN].startswith(county), rel[column] <= ibis.date(ctx.as_of)
            )[column].max()
            found = ctx.backend.execute(expr)
            if found is None or found != found:
                continue
            day = date.fromisoformat(str(found)[:10])  # a date, a pandas Timestamp or text
            latest[county] = max(latest.get(county, day), day)
    return {p: latest.get(p[:6] if len(p) > 6 else p) for p in prefixes}
