"""The scorecard engine: evaluates a programme spec for org-unit subtrees and a period.

For every indicator of the spec it runs the registered metric (Ibis expressions over the ledger
tables), computes ``value = factor × numerator ÷ denominator``, compares it with the target,
works out the gap in natural units and attaches the item's responsible units. Veto items are
evaluated as their own rule type above any score. See docs/scorecard.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction as Exact
from typing import Any

from foodsafe.orgunits.models import OrgUnit, subtree_prefix
from foodsafe.programme.spec import IndicatorSpec, ProgrammeSpec

from .backend import django_backend
from .context import LEDGER_NAMES, Measure, MetricContext
from .errors import UnknownOrgUnit as UnknownOrgUnit
from .gaps import Computed, indicator_gap, quantize
from .inputs import ScorecardInputs, scorecard_inputs
from .measures import (
    flatten,
    population_by_prefix,
    resolve,
    run_measures,
)
from .periods import Period, default_as_of, parse_period
from .readings import alternative_fractions, extra_measures, with_readings
from .registry import METRICS, Fraction, known_metrics
from .reporting import Reporting, build_reporting, data_through
from .results import (
    ANNUAL_NOTE,
    GroupResult,
    IndicatorResult,
    ItemResult,
    OrgUnitRef,
    PeriodRef,
    Scorecard,
    Status,
)
from .samples import without_verdict
from .vetoes import (
    VetoFacts,
    evaluate_veto,
    incident_measure,
    presence_prefix,
    veto_facts,
)


def _evaluate_indicator(
    ind: IndicatorSpec,
    ctx: MetricContext,
    spec: ProgrammeSpec,
    numerator: Decimal | None,
    denominator: Decimal | None,
    *,
    pending: Decimal | None = None,
    unreported: Sequence[str] = (),
    note: str = "",
) -> IndicatorResult:
    """Status, value, gap and forecast of one indicator from its numerator and denominator.

    ``pending``: rows whose result is not in (待检), in neither numerator nor denominator: the
    verdict stands only if it is the same whether they all pass or all fail, else 不完整.
    ``unreported``: units that must report the indicator's ledgers and have not: a verdict
    that would be 达标 is 不完整 instead (a roll-up missing a child is never met).
    """
    result = _indicator_result(ind, ctx, spec, numerator, denominator, pending)
    status = result.status
    if unreported and status is Status.MET:
        status = Status.INCOMPLETE
    gap = result.gap
    if ind.cycle == "year" and ctx.period.kind != "year" and status in _VERDICTS:
        # A yearly target (spec ``cycle: year``) in a half-year, quarter or month: the value is
        # the progress so far, the verdict is the year's (按年度判定), never 达标/未达标 on a
        # part of the year (h-newuser3 N2). 无数据 stays 无数据.
        status, gap, note = Status.ANNUAL, None, note or ANNUAL_NOTE
    return replace(
        result,
        status=status,
        gap=gap,
        pending=pending or None,
        unreported=tuple(unreported),
        note=note or result.note,
    )


#: The statuses a yearly target's part-year value is not given (``Status.ANNUAL`` instead).
_VERDICTS = (Status.MET, Status.NOT_MET, Status.INCOMPLETE)


def _indicator_result(
    ind: IndicatorSpec,
    ctx: MetricContext,
    spec: ProgrammeSpec,
    numerator: Decimal | None,
    denominator: Decimal | None,
    pending: Decimal | None,
) -> IndicatorResult:
    metric = METRICS[ind.metric]
    if numerator is None and denominator:
        numerator = Decimal(0)  # a SUM over no rows is NULL; nothing counted is zero
    computed = Computed(numerator, denominator)
    if ind.target is None:
        return _monitoring_result(ind, spec, metric.factor, numerator, denominator)
    target_value = ind.target.value
    # Compare and compute gaps against the exact target: 2 a year pro-rated to a month is 1/6,
    # which a Decimal rounds up (0.1666…67) so that exactly 1/6 would fail.
    target_exact = Exact(target_value)
    if ind.annualised:
        target_exact = Exact(ind.target.value) * ctx.period.months / 12
        target_value = (ind.target.value * Decimal(ctx.period.months) / 12).normalize()
    value: Decimal | None = None
    gap = None
    forecast = None
    note = ""
    if pending and numerator is not None and denominator is not None:
        # Decide only what the pending rows cannot change: the best case (all pass) and the
        # worst (all fail) must agree. 38 合格, 2 不合格, 40 待检 against ≥ 98 %: best 78/80 =
        # 97.5 %, worst 38/80: not met either way. 0 decided, 40 待检: best 100 %, worst 0 %.
        best = Exact(numerator + pending) * metric.factor / Exact(denominator + pending)
        worst = Exact(numerator) * metric.factor / Exact(denominator + pending)
        met_best, met_worst = _meets(ind, best, target_exact), _meets(ind, worst, target_exact)
        status = (
            Status.MET
            if met_best and met_worst
            else Status.NOT_MET
            if not (met_best or met_worst)
            else Status.INCOMPLETE
        )
        if denominator:
            value = quantize(Exact(numerator) * metric.factor / Exact(denominator))
    elif denominator == 0 and ind.options.get("empty") == "not_applicable":
        # The ledger was reported (rows or a zero report) and has nothing to count here:
        # 不适用, which reads differently from 未上报 (no data).
        status = Status.NOT_APPLICABLE
    elif denominator is None or denominator == 0 or numerator is None:
        status = Status.NO_DATA
    else:
        exact = Exact(numerator) * metric.factor / Exact(denominator)
        value = quantize(exact)
        status = Status.MET if _meets(ind, exact, target_exact) else Status.NOT_MET
        if status is Status.NOT_MET:
            gap = indicator_gap(
                ind,
                target_exact,
                metric.factor,
                computed,
                metric.numerator_unit_zh,
                metric.numerator_unit_en,
            )
        if ind.annualised and ctx.as_of < ctx.period.end:
            elapsed = (ctx.as_of - date(ctx.as_of.year, 1, 1)).days + 1
            days = (date(ctx.as_of.year, 12, 31) - date(ctx.as_of.year, 1, 1)).days + 1
            if ctx.period.kind == "year" and elapsed > 0:
                forecast = quantize(exact * days / elapsed)
    return IndicatorResult(
        code=ind.code,
        item=ind.item,
        name=ind.name,
        name_en=ind.name_en,
        metric=ind.metric,
        numerator=numerator,
        denominator=denominator,
        value=value,
        unit=ind.unit,
        target=str(ind.target),
        target_value=target_value,
        status=status,
        gap=gap,
        responsible_units=tuple(spec.indicator_unit_names(ind)),
        source=ind.source,
        forecast=forecast,
        options=dict(ind.options),
        note=note,
    )


def _monitoring_result(
    ind: IndicatorSpec,
    spec: ProgrammeSpec,
    factor: int,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> IndicatorResult:
    """A monitoring indicator (仅监测): value only; status ``info``, or ``no_data``."""
    has_data = bool(denominator) and numerator is not None
    value = quantize(Exact(numerator) * factor / Exact(denominator)) if has_data else None  # type: ignore[arg-type]
    return IndicatorResult(
        code=ind.code,
        item=ind.item,
        name=ind.name,
        name_en=ind.name_en,
        metric=ind.metric,
        numerator=numerator,
        denominator=denominator,
        value=value,
        unit=ind.unit,
        target="",
        target_value=None,
        status=Status.INFO if has_data else Status.NO_DATA,
        gap=None,
        responsible_units=tuple(spec.indicator_unit_names(ind)),
        source=ind.source,
        options=dict(ind.options),
    )


def _exact_decimal(value: Exact) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _meets(ind: IndicatorSpec, value: Exact, target_value: Decimal | Exact) -> bool:
    """Compare exactly (no float rounding): 147 of 150 is exactly 98%."""
    target = Exact(target_value)
    assert ind.target is not None
    return {
        ">=": value >= target,
        ">": value > target,
        "<=": value <= target,
        "<": value < target,
        "==": value == target,
    }[ind.target.comparator]


def _item_status(
    statuses: list[Status], *, missing_evidence: Sequence[str] = (), requirements: int = 1
) -> Status:
    """An item's status needs both its indicators and its evidence requirements (issue 10 §1):
    any indicator 未达标 → 未达标; else any 无数据 → 无数据; else any requirement without an
    approved file for the scope and period → 待核验材料; else 达标. An indicator that is
    不完整 makes the item 不完整 (after 未达标 and 无数据); one judged on the year (按年度判定)
    makes it 按年度判定 after those. Monitoring (仅监测) and not applicable
    (不适用) indicators have no say. An item with neither a targeted indicator nor a
    requirement cannot be shown met by anything: 待核验材料."""
    statuses = [s for s in statuses if s not in (Status.INFO, Status.NOT_APPLICABLE)]
    if not statuses and not requirements:
        return Status.EVIDENCE_NEEDED
    if any(s is Status.NOT_MET for s in statuses):
        return Status.NOT_MET
    if any(s is Status.NO_DATA for s in statuses):
        return Status.NO_DATA
    if any(s is Status.INCOMPLETE for s in statuses):
        return Status.INCOMPLETE
    if any(s is Status.ANNUAL for s in statuses):
        # An indicator judged on the year holds the item's verdict to the year too: never
        # 达标 on a part of it (h-newuser3 N2).
        return Status.ANNUAL
    if missing_evidence:
        return Status.EVIDENCE_NEEDED
    return Status.MET


def evaluate_scorecards(
    *,
    spec: ProgrammeSpec,
    org_units: Sequence[str],
    period: str | Period,
    as_of: date | None = None,
    backend: Any | None = None,
    inputs: ScorecardInputs | None = None,
) -> list[Scorecard]:
    """Evaluate every indicator, item and veto of ``spec`` for several org-unit subtrees.

    ``org_units``: 12-digit statistical division codes; each one's subtree is every unit whose
    code starts with :func:`~foodsafe.orgunits.models.subtree_prefix`. ``period``: ``2021``,
    ``2021S1``, ``2021Q3`` or ``202108``. ``as_of``: the day facts are taken at (default: the
    period's end, or today if earlier). ``backend``: an Ibis backend (default: Django's DB).
    All the units' measures over one relation are computed in one grouped query per code
    length (see ``measures.py``). ``inputs``: evidence approvals, veto findings and zero
    reports (default: read by :func:`~foodsafe.scorecard.inputs.scorecard_inputs`). Returns one
    :class:`Scorecard` per unit, in order.

    Raises :class:`UnknownOrgUnit` and :class:`~foodsafe.scorecard.periods.PeriodError`.
    """
    period_obj = period if isinstance(period, Period) else parse_period(period)
    units = org_units_of(org_units)
    ctx = MetricContext(
        backend=backend if backend is not None else django_backend(),
        period=period_obj,
        as_of=as_of or default_as_of(period_obj),
    )
    prefixes = [subtree_prefix(u.code) for u in units]
    reporting = build_reporting(spec, ctx, prefixes)
    plan = metric_plan(spec, ctx, reporting)
    values = run_measures(
        ctx.backend, plan.measures, plan.prefixes(prefixes), extensions=ctx.extensions
    )
    population = population_by_prefix(ctx, prefixes)
    if inputs is None:
        inputs = scorecard_inputs(backend=ctx.backend, spec=spec, year=period_obj.year)
    facts = veto_facts(
        spec,
        ctx,
        units,
        prefixes,
        plan.incident_measures,
        values,
        inputs,
        plan.incident_rows,
        reporting,
    )
    through = data_through(ctx, prefixes)
    return [
        build_scorecard(
            spec, ctx, unit, prefix, plan, values, population, inputs, facts, through[prefix]
        )
        for unit, prefix in zip(units, prefixes, strict=True)
    ]


def org_units_of(codes: Sequence[str]) -> list[OrgUnit]:
    """The org units of ``codes``, in order; :class:`UnknownOrgUnit` for a code not in the tree."""
    found = {u.code: u for u in OrgUnit.objects.filter(code__in=list(codes))}
    for code in codes:
        if code not in found:
            raise UnknownOrgUnit(code)
    return [found[code] for code in codes]


@dataclass
class MetricPlan:
    """What one evaluation computes: every indicator's fraction, the alternative readings, the
    incident vetoes' measures, the ledger presence checks and the flat list of their measures."""

    fractions: dict[str, Fraction]
    alternatives: dict[tuple[str, str], Fraction]
    incident_measures: dict[str, Measure]
    presence: dict[str, Measure]
    incident_rows: Measure | None
    reporting: Reporting
    measures: list[Measure]

    def prefixes(self, prefixes: Sequence[str]) -> list[str]:
        """The prefixes to run the measures for: the scopes, plus the county level where
        presence is judged (``presence_prefix``) and the subdistricts that report."""
        return sorted(
            {*prefixes, *map(presence_prefix, prefixes), *self.reporting.child_prefixes()}
        )


def metric_plan(
    spec: ProgrammeSpec,
    ctx: MetricContext,
    reporting: Reporting,
    template: MetricPlan | None = None,
) -> MetricPlan:
    """Build every metric of ``spec`` for ``ctx`` (no query runs here).

    ``template``: a plan of the same period as of another day; the fractions of the metrics
    that read the as-of date only as a literal (``Metric.as_of_literal``) are taken from it
    as they are, not built again (``months.py`` evaluates them as of each month end)."""
    known_metrics()

    def reused(ind: IndicatorSpec) -> bool:
        return template is not None and METRICS[ind.metric].as_of_literal

    fractions = {
        ind.code: template.fractions[ind.code]  # type: ignore[union-attr]
        if reused(ind)
        else METRICS[ind.metric].function(ctx, dict(ind.options))
        for ind in spec.indicators
    }
    alternatives = alternative_fractions(
        spec, ctx, template.alternatives if template is not None else None
    )
    incident_measures = {
        v.code: incident_measure(v, ctx) for v in spec.vetoes if v.rule == "incident"
    }
    # Is each metric's ledger there at all in a scope? (counted in the same grouped queries)
    presence = {
        ind.code: ctx.ledger_rows(ledger)
        for ind in spec.indicators
        if (ledger := METRICS[ind.metric].ledger) is not None
    }
    incident_rows = ctx.ledger_rows("incident") if incident_measures else None
    measures = (
        flatten(
            [
                *(f.numerator for f in fractions.values()),
                *(f.denominator for f in fractions.values()),
            ]
        )
        + extra_measures(fractions, alternatives)
        + list(incident_measures.values())
        + list({id(m): m for m in presence.values()}.values())
        + ([incident_rows] if incident_rows is not None else [])
        + flatten([f.pending for f in fractions.values()])
        + flatten([f.reported for f in fractions.values()])
        + flatten([f.reached for f in fractions.values()])
        + list(reporting.measures.values())
        + list(reporting.county_measures.values())
    )
    measures = list({id(m): m for m in measures}.values())  # presence measures are shared
    return MetricPlan(
        fractions, alternatives, incident_measures, presence, incident_rows, reporting, measures
    )


def evaluate_scorecard(
    *,
    spec: ProgrammeSpec,
    org_unit: str,
    period: str | Period,
    as_of: date | None = None,
    backend: Any | None = None,
) -> Scorecard:
    """Evaluate ``spec`` for one org-unit subtree and period; see :func:`evaluate_scorecards`."""
    return evaluate_scorecards(
        spec=spec, org_units=[org_unit], period=period, as_of=as_of, backend=backend
    )[0]


def build_scorecard(
    spec: ProgrammeSpec,
    ctx: MetricContext,
    unit: OrgUnit,
    prefix: str,
    plan: MetricPlan,
    values: dict[tuple[int, str], Decimal | None],
    population: dict[str, Decimal | None],
    inputs: ScorecardInputs,
    facts: VetoFacts,
    through: date | None,
) -> Scorecard:
    """The scorecard of one scope from the values of ``plan``'s measures."""
    fractions, incident_measures = plan.fractions, plan.incident_measures
    presence, alternatives, reporting = plan.presence, plan.alternatives, plan.reporting
    presence = presence or {}
    period_obj = ctx.period

    def here(part: Any) -> Decimal | None:
        return resolve(part, prefix, values, population)

    def evaluate(ind: IndicatorSpec, num: Decimal | None, den: Decimal | None) -> IndicatorResult:
        return _evaluate_indicator(ind, ctx, spec, num, den)

    def silent(condition: Any, ledger_name: str) -> bool:
        """``condition`` names no row here and ``ledger_name`` has no zero report for the
        period (a township-level ledger's counts the subdistrict's own)."""
        return not resolve(
            condition, presence_prefix(prefix), values, population
        ) and not inputs.zero_reported(
            ledger_name, prefix, period_obj, within=ledger_name in reporting.measures
        )

    indicators = []
    for ind in spec.indicators:
        fraction = fractions[ind.code]
        ledger = METRICS[ind.metric].ledger
        # No row of the metric's ledger in this county, of any date, and no zero report
        # (零报告) for the period: not reported here, so no verdict (issue 10 §2).
        loaded = not (
            ind.code in presence
            and not values[(id(presence[ind.code]), presence_prefix(prefix))]
            and not inputs.zero_reported(
                LEDGER_NAMES[ledger or ""],
                prefix,
                period_obj,
                within=LEDGER_NAMES[ledger or ""] in reporting.measures,  # township-level
            )
        )
        period_ledger = fraction.reported_ledger or LEDGER_NAMES.get(ledger or "", "")
        # The ledger has rows, but none for this period (e.g. 2026 with data to 2021): not
        # reported for the period, so no verdict either (Fraction.reported). Or it stops before
        # the period (no row dated in it or later): what is in force at its end is only what
        # has not run out yet, so no verdict (Fraction.reached, h-newuser3 N3).
        for condition in (fraction.reported, fraction.reached):
            if loaded and condition is not None and silent(condition, period_ledger):
                loaded = False
        unreported = reporting.unreported(
            reporting.township_ledgers(ind.code), prefix, values, inputs
        )
        if len(prefix) >= 9 and unreported:  # a subdistrict that has not reported itself
            loaded = False
        if loaded:
            denominator = here(fraction.denominator)
            result = _evaluate_indicator(
                ind,
                ctx,
                spec,
                here(fraction.numerator),
                denominator,
                pending=here(fraction.pending) if fraction.pending is not None else None,
                unreported=unreported,
                # Reported, and nobody to count (e.g. no operator due in a month): say why.
                note=fraction.empty_note if not denominator else "",
            )
            if fraction.sample is not None:
                # Too small a sample (满意度, 知晓率): the value for reference, no verdict.
                result = without_verdict(result, here(fraction.sample), fraction.min_sample)
        else:
            result = _evaluate_indicator(ind, ctx, spec, None, None, note="未上报")
        indicators.append(
            with_readings(result, ind, fraction, alternatives or {}, here, evaluate, loaded=loaded)
        )
    by_code = {i.code: i for i in indicators}
    vetoes = [
        evaluate_veto(
            v,
            ctx,
            spec,
            by_code,
            unit,
            values[(id(incident_measures[v.code]), prefix)]
            if v.code in incident_measures
            else None,
            facts,
        )
        for v in spec.vetoes
    ]
    held_back = (Status.NOT_MET, Status.NO_DATA, Status.INCOMPLETE)
    items = []
    for item in spec.items:
        own = [i for i in indicators if i.item == item.number]
        missing = inputs.missing_evidence(item.number, item.evidence, prefix, period_obj)
        items.append(
            ItemResult(
                number=item.number,
                group=item.group,
                title=item.title,
                status=_item_status(
                    [i.status for i in own],
                    missing_evidence=missing,
                    requirements=len(item.evidence),
                ),
                indicators=tuple(i.code for i in own),
                responsible_units=tuple(spec.unit_names(item.number)),
                evidence=tuple(item.evidence),
                missing_evidence=tuple(missing),
                indicators_short=tuple((i.name, i.status) for i in own if i.status in held_back),
            )
        )
    groups = tuple(
        GroupResult(
            g.code, g.number, g.title, tuple(i.number for i in spec.items if i.group == g.code)
        )
        for g in spec.groups
    )
    return Scorecard(
        programme_code=spec.programme.code,
        programme_version=spec.programme.version,
        programme_name=spec.programme.name,
        org_unit=OrgUnitRef(unit.code, unit.name, unit.is_example),
        period=PeriodRef(period_obj.code, period_obj.label_zh(), period_obj.start, period_obj.end),
        as_of=ctx.as_of,
        indicators=tuple(indicators),
        vetoes=tuple(vetoes),
        items=tuple(items),
        groups=groups,
        data_through=through,
        reporting=reporting.ledger_reports(
            prefix,
            unit.name,
            values,
            inputs,
            {
                **{i.code: i.name for i in spec.indicators},
                **{v.code: f"否决项{v.number}" for v in spec.vetoes},
            },
        ),
    )
