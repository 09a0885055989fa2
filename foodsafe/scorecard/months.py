"""A year as of every month end, in one pass (the dashboard's monthly trend, issue 11 §4).

:func:`evaluate_months` gives, for every month end of a year up to a day, the scorecards that
``evaluate_scorecards(period=year, as_of=month_end)`` gives, equal field for field (statuses,
values, 无数据 where a ledger was not reported, vetoes, evidence), without twelve engine runs.

Every month's metrics are built as usual, one :class:`~.context.MetricContext` per as-of date
(they share the ledger tables, so each schema is read once); no query runs for that. Then each
measure of each month is put in one of three kinds, by looking at its condition:

- **the same in every month** (operating businesses on the year's last day, stocks of the
  year, the ledger's rows of any date, incidents in the look-back window): one value, computed
  once;
- **a running total**: a conjunction of terms that do not mention the as-of date and of terms
  ``column <= as_of`` or ``column BETWEEN start AND as_of`` (``ctx.in_period``,
  ``ctx.done_by_as_of``). Its value at a month end counts the rows whose latest such column is
  on or before it: the relation's rows are grouped once by org unit and by the month of that
  latest date (any date before the year in the first month), and the months are added up
  cumulatively. Batches sampled, surveys answered, leads received and filed, inspections and
  findings dated in the year, bright kitchens live, grain problems found and handled, the
  sampling cells covered (a distinct count: each cell counts from the first month it is seen);
- **anything else**, evaluated per month, one aggregate column per month in the relation's one
  query (measures equal in several months are computed once). These are the conditions that are
  not "dated on or before the as-of date": a deadline passed before it (``due < as_of``,
  complaints and case closing), a case still open (``NOT closed``), a window that moves with the
  as-of date (24-month inspection coverage, term-start windows) and ``isin`` over rows of the
  period to date (self-inspection reports, training, class hours), and the grain monitored per
  stock capped at the stock (a sum of minimums, which no running total gives).

The split is checked, not assumed: a term counts as dated only if it is exactly ``column <=``
that month's as-of date (or a ``BETWEEN`` ending on it), and the rest of the condition is
kept as it is, so a running total is the same count as the month's own measure. Tests:
``tests/scorecard/test_months.py`` compare every indicator and month with the separate runs.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from typing import Any

import ibis
import ibis.expr.operations as ops

from foodsafe.orgunits.models import subtree_prefix
from foodsafe.programme.spec import ProgrammeSpec

from .backend import django_backend
from .context import DAY_ZERO, UNIT_COLUMN, Measure, MetricContext
from .engine import build_scorecard, metric_plan, org_units_of
from .inputs import ScorecardInputs, scorecard_inputs
from .measures import (
    bind_conditions,
    fold,
    in_scope,
    outermost,
    population_by_prefix,
    replace_all,
    run_measures,
    to_decimal,
)
from .periods import month_ends, parse_period
from .reporting import DATED, build_reporting
from .results import Scorecard
from .vetoes import veto_facts

MONTH = "_fs_month"


@dataclass(frozen=True)
class _Running:
    """A measure as "rows meeting ``rest`` whose ``dated`` columns are all on or before the
    as-of date"."""

    relation: Any
    reduce: str
    column: str | None
    rest: tuple[Any, ...]  # condition ops (a conjunction); () for none
    dated: tuple[Any, ...]  # Field ops of ``relation``

    def key(self) -> tuple[Any, ...]:
        return (self.relation.op(), self.reduce, self.column, self.rest, self.dated)


def _terms(node: Any) -> list[Any]:
    """The operands of a conjunction, flattened (``a & (b & c)`` → ``[a, b, c]``)."""
    if isinstance(node, ops.And):
        return _terms(node.left) + _terms(node.right)
    return [node]


def _is_day(node: Any, day: date) -> bool:
    """``node`` is the literal ``day``: a date, or its ``day_number`` (an integer)."""
    if not isinstance(node, ops.Literal):
        return False
    if node.dtype.is_date():
        return bool(node.value == day)
    return node.dtype.is_integer() and node.value == (day - DAY_ZERO).days


def _own_field(node: Any, relation: Any) -> bool:
    return isinstance(node, ops.Field) and node.rel == relation.op()


def _running(measure: Measure, as_of: date) -> _Running | None:
    """``measure`` (built for ``as_of``) as a running total, or ``None`` if its condition has
    no term ``column <= as_of`` / ``column BETWEEN x AND as_of`` on its relation's own columns."""
    if measure.where is None:
        return None
    rest: list[Any] = []
    dated: list[Any] = []
    for term in _terms(measure.where.op()):
        if (
            isinstance(term, ops.Between)
            and _is_day(term.upper_bound, as_of)
            and _own_field(term.arg, measure.relation)
        ):
            rest.append(ops.GreaterEqual(term.arg, term.lower_bound))
            dated.append(term.arg)
        elif (
            isinstance(term, ops.LessEqual)
            and _is_day(term.right, as_of)
            and _own_field(term.left, measure.relation)
        ):
            dated.append(term.left)
        else:
            rest.append(term)
    if not dated:
        return None
    return _Running(
        measure.relation,
        measure.reduce,
        measure.column,
        tuple(rest),
        tuple(dict.fromkeys(dated)),
    )


class _Mentions:
    """Does a measure's condition or relation mention ``day`` (as a date or a
    ``day_number``)? Relations are looked at once each."""

    def __init__(self, day: date) -> None:
        self.day = day
        self._relations: dict[Any, bool] = {}
        self._conditions: dict[Any, bool] = {}

    def _in(self, node: Any) -> bool:
        return any(_is_day(literal, self.day) for literal in node.find(ops.Literal))

    def relation(self, m: Measure) -> bool:
        op = m.relation.op()
        if op not in self._relations:
            self._relations[op] = self._in(op)
        return self._relations[op]

    def measure(self, m: Measure) -> bool:
        if self.relation(m):
            return True
        if m.where is None:
            return False
        # Every month's plan reuses the template's measures, so the same condition is asked
        # about once per month: walk each condition's graph once (ops are hashable values).
        op = m.where.op()
        if op not in self._conditions:
            self._conditions[op] = self._in(op)
        return self._conditions[op]


def _substituted_all(measures: Sequence[Measure], day: date, other: date) -> list[Measure]:
    """``measures`` with the literal ``day`` (a date or its ``day_number``) replaced by
    ``other``, in one walk of their joint graph (``measures.replace_all``: the measures of a
    month share a few relations, each walked once)."""
    mapping = {
        ibis.date(day).op(): ibis.date(other).op(),
        ibis.literal((day - DAY_ZERO).days, "int64").op(): ibis.literal(
            (other - DAY_ZERO).days, "int64"
        ).op(),
    }
    nodes = [m.relation.op() for m in measures]
    nodes += [m.where.op() for m in measures if m.where is not None]
    replaced = replace_all(nodes, mapping)
    relations, wheres = replaced[: len(measures)], iter(replaced[len(measures) :])
    return [
        Measure(
            r.to_expr(), m.reduce, None if m.where is None else next(wheres).to_expr(), m.column
        )
        for m, r in zip(measures, relations, strict=True)
    ]


def _substituted(m: Measure, day: date, other: date) -> Measure:
    """``m`` with the literal ``day`` (a date or its ``day_number``) replaced by ``other``."""
    return _substituted_all([m], day, other)[0]


def _plain_key(m: Measure) -> tuple[Any, ...]:
    return (m.relation.op(), m.reduce, None if m.where is None else m.where.op(), m.column)


def run_running(
    backend: Any,
    totals: Sequence[_Running],
    prefixes: Sequence[str],
    year: int,
    through: date,
    *,
    constants: Sequence[Measure] = (),
    join_subqueries: bool | None = None,
) -> tuple[
    dict[tuple[tuple[Any, ...], str], list[Decimal | None]], dict[tuple[int, str], Decimal | None]
]:
    """Each running total for each prefix at each month end of ``month_ends(year, through)``:
    ``{(total.key(), prefix): [value at January's end, …]}``; and the value of each of
    ``constants`` (measures the same in every month, counts or sums over the relation of an
    additive running total) for each prefix, ``{(id(measure), prefix): value}``, as
    ``run_measures`` gives it: computed in the running total's query (summed over its months),
    which saves a query of its own per relation.

    One query per relation and set of dated columns: rows grouped by org-unit code and by the
    month of the latest dated column (1 for a date before the year), then added up in
    ``Decimal`` per subtree and cumulatively per month. A count of no rows is 0, a sum of none
    ``None`` (as ``run_measures``). A distinct count fetches each (unit, value) with the first
    month it is seen.
    """
    if join_subqueries is None:
        from .measures import JOIN_SUBQUERIES_ON

        join_subqueries = getattr(backend, "name", "") in JOIN_SUBQUERIES_ON
    as_ofs = month_ends(year, through)
    months = len(as_ofs)
    wanted = list(dict.fromkeys(prefixes))
    lengths = sorted({len(p) for p in wanted})
    wanted_set = set(wanted)
    roots = outermost(wanted)

    def under(code: Any) -> list[str]:
        text = str(code)
        return [key for length in lengths if (key := text[:length]) in wanted_set]

    groups: dict[Any, list[_Running]] = defaultdict(list)
    for total in totals:
        groups[total.relation.op()].append(total)
    constants_of: dict[Any, list[Measure]] = defaultdict(list)
    for m in constants:
        if m.reduce == "nunique" or not any(
            t.reduce != "nunique" for t in groups.get(m.relation.op(), ())
        ):
            raise ValueError("a constant measure needs an additive running total of its relation")
        constants_of[m.relation.op()].append(m)
    out: dict[tuple[tuple[Any, ...], str], list[Decimal | None]] = {}
    constant_values: dict[tuple[int, str], Decimal | None] = {}
    for op, group in groups.items():
        extra = constants_of.get(op, [])
        relation = group[0].relation
        rows = relation.filter(in_scope(relation, roots))
        # Each dated column's month (``_month_of``); a total's month is the latest of its own.
        fields = list(dict.fromkeys(field for t in group for field in t.dated))
        bucket = {field: f"{MONTH}{j}" for j, field in enumerate(fields)}
        rows = rows.mutate(
            **{
                bucket[field]: _month_of(
                    field.replace({relation.op(): rows.op()}).to_expr(), year, as_ofs
                )
                for field in fields
            }
        )
        # Each total's condition: its other terms, and every dated column on or before the
        # last as-of date (which also leaves out rows where one is NULL, as ``<=`` does).
        measures = [
            Measure(
                relation,
                t.reduce,  # type: ignore[arg-type]
                reduce(
                    operator.and_,
                    [
                        *(op.to_expr() for op in t.rest),
                        *(relation[f.name] <= _literal(f, through) for f in t.dated),
                    ],
                ),
                t.column,
            )
            for t in group
        ]
        extended, bound = bind_conditions(
            relation, rows, [*measures, *extra], join_subqueries=join_subqueries
        )
        conditions, extra_conditions = bound[: len(measures)], bound[len(measures) :]
        additive = [(t, m, c) for t, m, c in zip(group, measures, conditions, strict=True)]
        sums = [(t, m, c) for t, m, c in additive if m.reduce != "nunique"]
        if sums:
            per_month: dict[tuple[int, str], list[Decimal | None]] = {
                (i, p): [None] * months for i in range(len(sums)) for p in wanted
            }
            constant_totals: dict[tuple[int, str], Decimal | None] = {
                (j, p): (None if m.reduce == "sum" else Decimal(0))
                for j, m in enumerate(extra)
                for p in wanted
            }
            query = extended.group_by([UNIT_COLUMN, *bucket.values()]).aggregate(
                **{f"m{i}": _reduction(m, extended, c) for i, (_, m, c) in enumerate(sums)},
                **{
                    f"c{j}": _reduction(m, extended, c)
                    for j, (m, c) in enumerate(zip(extra, extra_conditions, strict=True))
                },
            )
            for record in backend.execute(query).to_dict("records"):
                keys = under(record[UNIT_COLUMN])
                # The constants add up over every group: all months, and the rows whose dated
                # columns are NULL or after ``through`` (a group of their own).
                for j in range(len(extra)):
                    value = to_decimal(record[f"c{j}"])
                    if value is None:
                        continue
                    for key in keys:
                        before = constant_totals[(j, key)]
                        constant_totals[(j, key)] = value if before is None else before + value
                for i, (t, _, _) in enumerate(sums):
                    found = [to_decimal(record[bucket[f]]) for f in t.dated]
                    months_found = [int(m) for m in found if m is not None]
                    if len(months_found) < len(found):
                        # A dated value NULL or after ``through``: the total's condition left
                        # the group's rows out (each dated column must be on or before it).
                        continue
                    slot = max(months_found) - 1
                    value = to_decimal(record[f"m{i}"])
                    if value is None or not 0 <= slot < months:
                        continue
                    for key in keys:
                        slots = per_month[(i, key)]
                        before = slots[slot]
                        slots[slot] = value if before is None else before + value
            for (i, prefix), slots in per_month.items():
                total = sums[i][0]
                so_far: Decimal | None = None if total.reduce == "sum" else Decimal(0)
                cumulative: list[Decimal | None] = []
                for cell in slots:
                    if cell is not None:
                        so_far = cell if so_far is None else so_far + cell
                    cumulative.append(so_far)
                out[(total.key(), prefix)] = cumulative
            for (j, prefix), value in constant_totals.items():
                constant_values[(id(extra[j]), prefix)] = value
        for total, m, condition in additive:
            if m.reduce != "nunique":
                continue
            assert m.column is not None
            keep = extended[m.column].notnull()
            if condition is not None:
                keep &= condition
            own = [extended[bucket[f]] for f in total.dated]
            month = own[0] if len(own) == 1 else ibis.greatest(*own)
            firsts = (
                extended.filter(keep).group_by([UNIT_COLUMN, m.column]).aggregate(first=month.min())
            )
            seen: dict[str, dict[Any, int]] = defaultdict(dict)
            for record in backend.execute(firsts).to_dict("records"):
                first = int(record["first"])
                for key in under(record[UNIT_COLUMN]):
                    value = record[m.column]
                    seen[key][value] = min(seen[key].get(value, first), first)
            for prefix in wanted:
                firsts_here = list(seen[prefix].values())
                out[(total.key(), prefix)] = [
                    Decimal(sum(f <= k + 1 for f in firsts_here)) for k in range(months)
                ]
    return out, constant_values


def _literal(field: Any, day: date) -> Any:
    """``day`` as a literal of ``field``'s type: a date, or a ``day_number``."""
    if field.dtype.is_date():
        return ibis.date(day)
    return ibis.literal((day - DAY_ZERO).days, "int64")


def _month_of(column: Any, year: int, as_ofs: Sequence[date]) -> Any:
    """The first month end (1–12) of ``as_ofs`` on or before which ``column`` is: 1 for a
    day before the year; NULL after the last (a date's month; a day number's by comparison)."""
    if column.type().is_date():
        return ibis.ifelse(column < ibis.date(date(year, 1, 1)), 1, column.month())
    return ibis.cases(
        *((column <= _literal(column.op(), a), k + 1) for k, a in enumerate(as_ofs)),
        else_=ibis.null("int64"),
    )


def _reduction(measure: Measure, rows: Any, where: Any) -> Any:
    if measure.reduce == "count":
        return rows.count(where=where)
    return rows[measure.column].sum(where=where)


def data_through_months(
    ctx: MetricContext, prefixes: Sequence[str], through: date
) -> list[dict[str, date | None]]:
    """``reporting.data_through`` at each month end of the year up to ``through``: the latest
    dated row on or before it in each scope's county, from one query per ledger and county
    (the latest date of each month, then the latest so far)."""
    year = ctx.period.year
    months = len(month_ends(year, through))
    counties = sorted({p[:6] if len(p) > 6 else p for p in prefixes})
    latest: dict[str, list[date | None]] = {c: [None] * months for c in counties}
    for key, column in DATED:
        rel = (
            ctx.inspections()
            if key == "inspection"
            else (ctx.self_reports() if key == "self_report" else ctx.relation(key))
        )
        for county in counties:
            rows = rel.filter(
                rel[UNIT_COLUMN].startswith(county), rel[column] <= ibis.date(through)
            )
            month = ibis.ifelse(rows[column] < ibis.date(date(year, 1, 1)), 1, rows[column].month())
            query = rows.group_by(month.name(MONTH)).aggregate(day=rows[column].max())
            for record in ctx.backend.execute(query).to_dict("records"):
                found, slot = record["day"], to_decimal(record[MONTH])
                if found is None or found != found or slot is None:
                    continue
                day = date.fromisoformat(str(found)[:10])
                cells = latest[county]
                for k in range(int(slot) - 1, months):
                    cells[k] = day if cells[k] is None else max(cells[k], day)  # type: ignore[type-var]
    return [{p: latest[p[:6] if len(p) > 6 else p][k] for p in prefixes} for k in range(months)]


def evaluate_months(
    *,
    spec: ProgrammeSpec,
    org_units: Sequence[str],
    year: int,
    through: date,
    last_only: Sequence[str] = (),
    backend: Any | None = None,
    inputs: ScorecardInputs | None = None,
) -> dict[date, list[Scorecard]]:
    """The scorecards of ``org_units`` for the year ``year`` as of each date of
    ``month_ends(year, through)``: ``{as_of: [Scorecard per unit, in order]}``, each equal to
    ``evaluate_scorecards(spec=spec, org_units=org_units, period=str(year), as_of=as_of)``.

    ``last_only``: units (of ``org_units``) wanted only as of ``through`` (the dashboard's
    subdistricts); their lists for earlier month ends leave them out. ``backend``, ``inputs``:
    as ``evaluate_scorecards``. Empty when ``through`` is before the year. Raises
    :class:`~foodsafe.scorecard.engine.UnknownOrgUnit`.
    """
    units = org_units_of(org_units)
    as_ofs = month_ends(year, through)
    if not as_ofs:
        return {}
    period = parse_period(str(year))
    backend = backend if backend is not None else django_backend()
    shared: dict[str, Any] = {}
    extensions: dict[Any, Any] = {}
    contexts = [
        MetricContext(
            backend=backend, period=period, as_of=a, base_tables=shared, extensions=extensions
        )
        for a in as_ofs
    ]
    prefixes = [subtree_prefix(u.code) for u in units]
    reporting = build_reporting(spec, contexts[0], prefixes)  # depends on the period only
    # One plan built as of a template day; each month reuses its metrics that read the as-of
    # date only as a literal (``Metric.as_of_literal``), and builds the others itself.
    template_day = date(year, 12, 30)
    template = metric_plan(
        spec,
        MetricContext(
            backend=backend,
            period=period,
            as_of=template_day,
            base_tables=shared,
            extensions=extensions,
        ),
        reporting,
    )
    plans = [metric_plan(spec, ctx, reporting, template=template) for ctx in contexts]
    reused = {id(m) for m in template.measures}

    # Measures over a relation and over an extension of it as one (``measures.fold``).
    folded = fold([m for plan in plans for m in plan.measures], extensions)
    # A reused measure that does not mention the template day is the same in every month; one
    # whose condition is a running total as of it is that running total at every month end;
    # any other is the month's own measure with the template day replaced by the month end.
    dated = _Mentions(template_day)
    fixed: dict[int, _Running | None] = {}
    effective: dict[tuple[int, int], Measure] = {}
    for k, plan in enumerate(plans):
        to_substitute: list[tuple[int, Measure]] = []
        for m in plan.measures:
            fm = folded[id(m)]
            if id(m) in reused and dated.measure(fm):
                if id(m) not in fixed:
                    fixed[id(m)] = None if dated.relation(fm) else _running(fm, template_day)
                if fixed[id(m)] is not None:
                    continue
                to_substitute.append((id(m), fm))
                continue
            effective[(k, id(m))] = fm
        substituted = _substituted_all([fm for _, fm in to_substitute], template_day, as_ofs[k])
        for (key, _), fm in zip(to_substitute, substituted, strict=True):
            effective[(k, key)] = fm

    # Sort the other measures: equal in several months → computed once; else a running total
    # shared by several months; else the month's own measure.
    plain: dict[tuple[Any, ...], Measure] = {}
    plain_months: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    for (k, _), m in effective.items():
        plain.setdefault(_plain_key(m), m)
        plain_months[_plain_key(m)].add(k)
    running_of: dict[tuple[Any, ...], _Running] = {
        t.key(): t for t in fixed.values() if t is not None
    }
    running_months: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    candidates: dict[tuple[Any, ...], tuple[Any, ...]] = {}  # plain key → running key
    for (k, _), m in effective.items():
        pk = _plain_key(m)
        if len(plain_months[pk]) > 1 or pk in candidates:
            continue
        total = _running(m, as_ofs[k])
        if total is not None:
            candidates[pk] = total.key()
            running_of.setdefault(total.key(), total)
            running_months[total.key()].add(k)
    running = {rk for rk, ks in running_months.items() if len(ks) > 1}
    by_running = {pk: rk for pk, rk in candidates.items() if rk in running}
    running |= {t.key() for t in fixed.values() if t is not None}

    run_prefixes = plans[0].prefixes(prefixes)
    # A measure the same every month, over the relation of an additive running total, is
    # computed in that total's query: one query per relation, as in the scorecard.
    additive_ops = {running_of[rk].relation.op() for rk in running if rk[1] != "nunique"}
    alone, with_running = [], []
    for pk, m in plain.items():
        if pk in by_running:
            continue
        if m.reduce != "nunique" and m.relation.op() in additive_ops:
            with_running.append(m)
        else:
            alone.append(m)
    plain_values = run_measures(backend, alone, run_prefixes)
    running_values, constant_values = run_running(
        backend,
        [running_of[rk] for rk in running],
        run_prefixes,
        year,
        through,
        constants=with_running,
    )
    plain_values.update(constant_values)

    population = population_by_prefix(contexts[0], prefixes)  # the year's: the same each month
    if inputs is None:
        inputs = scorecard_inputs(backend=backend, spec=spec, year=year)
    throughs = data_through_months(contexts[0], prefixes, through)
    skip = set(last_only)
    facts_of: dict[tuple[Any, ...], Any] = {}
    out: dict[date, list[Scorecard]] = {}
    for k, (ctx, plan) in enumerate(zip(contexts, plans, strict=True)):
        values: dict[tuple[int, str], Decimal | None] = {}
        for m in plan.measures:
            total = fixed.get(id(m))
            if total is not None:
                for p in run_prefixes:
                    values[(id(m), p)] = running_values[(total.key(), p)][k]
                continue
            pk = _plain_key(effective[(k, id(m))])
            if pk in by_running:
                for p in run_prefixes:
                    values[(id(m), p)] = running_values[(by_running[pk], p)][k]
            else:
                rep = id(plain[pk])
                for p in run_prefixes:
                    values[(id(m), p)] = plain_values[(rep, p)]
        # The incident vetoes' facts (one query per veto that a unit triggers) are read again
        # only if their measures differ from another month's.
        incident_key = tuple(_plain_key(m) for m in plan.incident_measures.values())
        if incident_key not in facts_of:
            facts_of[incident_key] = veto_facts(
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
        last = k == len(as_ofs) - 1
        out[as_ofs[k]] = [
            build_scorecard(
                spec,
                ctx,
                unit,
                prefix,
                plan,
                values,
                population,
                inputs,
                facts_of[incident_key],
                throughs[k][prefix],
            )
            for unit, prefix in zip(units, prefixes, strict=True)
            if last or unit.code not in skip
        ]
    return out
