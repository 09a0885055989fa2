"""Veto items (否决项) of the scorecard: incident vetoes over the incident ledger, the office's
findings, and vetoes on an indicator. Split from ``engine.py``; see docs/scorecard.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import ibis

from foodsafe.orgunits.models import OrgUnit, subtree_prefix
from foodsafe.programme.spec import COMPARATOR_SYMBOLS, ProgrammeSpec, VetoSpec

from .context import LEDGER_NAMES, UNIT_COLUMN, Measure, MetricContext
from .inputs import ScorecardInputs
from .measures import in_scope, outermost
from .reporting import Reporting
from .results import IndicatorResult, Status, VetoResult, VetoStatus


def presence_prefix(prefix: str) -> str:
    """Where to look for a ledger's rows to decide whether it was loaded for a scope.

    Ledgers are kept by county-level units (区县 market regulation bureaus, education bureaus…)
    for their whole area, so a subdistrict without a row in a ledger its district keeps has a
    real zero; a district, city or province without any row has no data. Returns the
    county-level prefix (6 digits) for scopes below a county, else the scope's own prefix.
    """
    return prefix[:6] if len(prefix) > 6 else prefix


def incident_window(veto: VetoSpec, ctx: MetricContext) -> tuple[date, date]:
    """The look-back window of an incident veto: ``lookback_years`` years to the period's end."""
    years = veto.lookback_years or 3
    end = ctx.period.end
    try:
        start = end.replace(year=end.year - years) + timedelta(days=1)
    except ValueError:  # 29 February
        start = end.replace(year=end.year - years, day=28) + timedelta(days=1)
    return start, end


def _incident_condition(veto: VetoSpec, ctx: MetricContext, t: Any) -> Any:
    start, end = incident_window(veto, ctx)
    condition = t.occurred_on.between(ibis.date(start), ibis.date(end))
    if veto.severities:
        condition &= t.severity.isin(list(veto.severities))
    if veto.kinds:
        condition &= t.kind.isin(list(veto.kinds))
    if veto.serious_social_impact_only:
        condition &= t.serious_social_impact
    return condition


def incident_measure(veto: VetoSpec, ctx: MetricContext) -> Measure:
    t = ctx.relation("incident")
    return Measure(t, where=_incident_condition(veto, ctx, t))


@dataclass(frozen=True)
class VetoFacts:
    """What the incident and finding vetoes need, read once for every unit of an evaluation:
    incident numbers by (veto code, prefix), the office's findings by (veto code, unit) and,
    by prefix, whether the incident ledger has data there (rows in the county or a zero
    report covering the period)."""

    incidents: dict[tuple[str, str], list[str]]
    findings: dict[tuple[str, str], Any]
    reported: dict[str, bool]
    unreported: dict[str, list[str]]


def veto_facts(
    spec: ProgrammeSpec,
    ctx: MetricContext,
    units: Sequence[OrgUnit],
    prefixes: Sequence[str],
    incident_measures: dict[str, Measure],
    values: dict[tuple[int, str], Decimal | None],
    inputs: ScorecardInputs,
    incident_rows: Measure | None,
    reporting: Reporting,
) -> VetoFacts:
    """One query per incident veto that any unit triggers; findings come from ``inputs``."""
    incidents: dict[tuple[str, str], list[str]] = {}
    for veto in spec.vetoes:
        measure = incident_measures.get(veto.code)
        if measure is None:
            continue
        hit = [p for p in prefixes if values[(id(measure), p)]]
        if not hit:
            continue
        t = ctx.relation("incident")
        rows = t.filter(in_scope(t, outermost(hit)), _incident_condition(veto, ctx, t))
        frame = ctx.backend.execute(
            rows.select(code=rows[UNIT_COLUMN], number=rows.incident_number)
        )
        for record in frame.to_dict("records"):
            for prefix in hit:
                if str(record["code"]).startswith(prefix):
                    incidents.setdefault((veto.code, prefix), []).append(str(record["number"]))
    ledger = LEDGER_NAMES["incident"]
    reported = {
        p: bool(incident_rows is not None and values[(id(incident_rows), presence_prefix(p))])
        or inputs.zero_reported(ledger, p, ctx.period)
        for p in prefixes
    }
    # A township-level incident ledger: every subdistrict must have reported (rows or a zero
    # report, its own or its district's) before "no incident" is a fact.
    unreported = {
        p: reporting.unreported([ledger], p, values, inputs) if ledger in reporting.measures else []
        for p in prefixes
    }
    return VetoFacts(incidents, dict(inputs.findings), reported, unreported)


def evaluate_veto(
    veto: VetoSpec,
    ctx: MetricContext,
    spec: ProgrammeSpec,
    indicators: dict[str, IndicatorResult],
    unit: OrgUnit,
    incidents: Decimal | None,
    facts: VetoFacts,
) -> VetoResult:
    """The veto's status for the scope and period.

    Vetoes are judged on a year only (RULES.md §1.3 [P] SEED: incidents "三年内", and
    satisfaction and the evaluation pass rate are yearly results of the 评价; §1.4: the
    evaluation is yearly). A half-year, quarter or month is ``ANNUAL`` (按年度判定) and names
    the year whose evaluation decides it: 2021Q1's 4 failed of 35 evaluation batches
    (88.57 %) does not veto the district, the year's 262 of 266 decides (issue F7)."""
    if ctx.period.kind != "year":
        return VetoResult(
            veto.code,
            veto.number,
            veto.text,
            VetoStatus.ANNUAL,
            f"否决项按全年判定，不以{ctx.period.label_zh()}的部分数据判定：见{ctx.period.year}年评价",
        )
    if veto.rule == "indicator":
        ind = indicators[veto.indicator or ""]
        if ind.status in (Status.NO_DATA, Status.NOT_APPLICABLE):
            basis = f"{ind.name}：{ind.status_zh}"
            if ind.value is not None and ind.note:
                # A value without a verdict: too small a sample (``samples.without_verdict``).
                # Pending, with the reason and the value for reference, never 触发否决.
                basis += f"（{ind.note}；参考值 {_value_zh(ind)}）"
            return VetoResult(veto.code, veto.number, veto.text, VetoStatus.NO_DATA, basis)
        if ind.status is Status.INCOMPLETE:
            missing = "；".join(x for x in (ind.breakdown_zh, ind.unreported_zh) if x)
            return VetoResult(
                veto.code, veto.number, veto.text, VetoStatus.INCOMPLETE, f"{ind.name}：{missing}"
            )
        shown = (
            f"{ind.name} {_value_zh(ind)}"
            f"（目标 {_target_zh(ind.target)}{'%' if ind.unit == '%' else ind.unit_zh}）"
        )
        status = VetoStatus.VETOED if ind.status is Status.NOT_MET else VetoStatus.CLEAR
        return VetoResult(veto.code, veto.number, veto.text, status, shown)
    if veto.rule == "incident":
        start, end = incident_window(veto, ctx)
        prefix = subtree_prefix(unit.code)
        if not incidents and not facts.reported.get(prefix, False):
            # No incident row in the county, of any date, and no zero report (零报告) for the
            # period: the ledger was never reported, which is not "no incident" (issue 10 §2).
            return VetoResult(
                veto.code, veto.number, veto.text, VetoStatus.NO_DATA, "事件台账未上报，亦无零报告"
            )
        silent = [n or unit.name for n in facts.unreported.get(prefix, [])]
        if not incidents and silent:
            return VetoResult(
                veto.code,
                veto.number,
                veto.text,
                VetoStatus.NO_DATA,
                f"未上报事件台账或零报告：{'、'.join(silent)}",
            )
        if not incidents:
            return VetoResult(
                veto.code, veto.number, veto.text, VetoStatus.CLEAR, f"{start}至{end}无此类事件记录"
            )
        found = sorted(facts.incidents.get((veto.code, subtree_prefix(unit.code)), []))
        if found:
            return VetoResult(
                veto.code,
                veto.number,
                veto.text,
                VetoStatus.VETOED,
                f"{start}至{end}发生：{'、'.join(found)}",
            )
        return VetoResult(  # counted but not listed: cannot happen; say so rather than hide it
            veto.code,
            veto.number,
            veto.text,
            VetoStatus.VETOED,
            f"{start}至{end}发生 {incidents} 起",
        )
    # rule == "finding": recorded by the programme office; without one, evidence is needed.
    finding = facts.findings.get((veto.code, unit.code))
    if finding is None:
        return VetoResult(
            veto.code, veto.number, veto.text, VetoStatus.EVIDENCE_NEEDED, "尚无创城办认定记录"
        )
    status = VetoStatus.VETOED if finding.vetoed else VetoStatus.CLEAR
    return VetoResult(veto.code, veto.number, veto.text, status, finding.basis)


def _value_zh(ind: IndicatorResult) -> str:
    """``78.5分``, ``97.5%``: the value as the veto's basis words it."""
    return f"{ind.value}{ind.unit_zh if ind.unit != '%' else '%'}"


def _target_zh(target: str) -> str:
    """``">= 80"`` → ``"≥ 80"``: targets as written in official documents."""
    comparator, _, value = target.partition(" ")
    return f"{COMPARATOR_SYMBOLS.get(comparator, comparator)} {value}".strip()
