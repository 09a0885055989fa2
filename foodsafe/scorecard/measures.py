"""Running measures for many org-unit subtrees at once.

Every measure over the same relation is computed in ONE query, whatever the number of units and
levels asked for: the relation's rows under the outermost prefixes, grouped by their own
org-unit code,

    SELECT unit_code, COUNT(*) FILTER (WHERE …) AS m0, SUM(…) FILTER (WHERE …) AS m1, …
    FROM relation WHERE unit_code >= '9238' AND unit_code < '9239' GROUP BY unit_code

and a subtree's count or sum is the total over the codes under its prefix, added up here (in
``Decimal``, so exactly). A city with its districts and their subdistricts costs one scan per
relation, not one per level (see docs/performance.md). The scope is a range on the code rather
than ``LIKE``, so an index on the code can serve one small subtree of a large database.

A distinct count does not add up across units: each ``nunique`` measure fetches its distinct
(unit_code, value) pairs instead, which is cheap for the small categorical columns it is meant
for (the sampling cells of ``surveillance_sampling_coverage``).

On PostgreSQL and Spark a condition ``x.isin(<subquery>)`` (a business inspected in the window,
a staff member trained) is run as a LEFT JOIN of the relation to the subquery's DISTINCT values,
and the condition becomes "the joined value is not null". Inside ``COUNT(*) FILTER (WHERE …)``
PostgreSQL cannot turn ``IN (SELECT …)`` into a semi-join: it hashes the subquery only if the
hash fits in ``work_mem`` and otherwise re-scans it for every row, which at 10 M residents
(150,000 businesses × 290,000 inspections) ran for more than 10 minutes; the join is a hash join
that spills to disk if it must. Spark rejects ``IN`` subqueries outside a WHERE. SQLite and
DuckDB keep ``IN``: SQLite builds one index over the subquery, where the join needs a DISTINCT
b-tree and then an index (2.6 s against 3.8 s for the businesses at 50 M residents), and DuckDB
runs both as hash joins. The two forms differ only for ``NOT x.isin(subquery)`` when the
subquery yields NULL, which no metric writes.
"""

from __future__ import annotations

import math
import operator
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from typing import Any

import ibis.expr.operations as ops
from ibis.common.typing import VarTuple

from .context import POPULATION, UNIT_COLUMN, Difference, Measure, MetricContext, Population

#: Ibis backends on which ``isin(subquery)`` conditions run as joins (see the module docstring).
JOIN_SUBQUERIES_ON = frozenset({"postgres", "pyspark"})

# SQLite keeps DECIMAL columns as binary floats, so SUM(0.7, 0.1) is 0.7999999999999999 and a
# mean score of exactly 80 would read as 79.99…. Ledger decimals have at most 3 places, so their
# sums are exact at 6: round the binary error off there.
_MAX_PLACES = 6


def to_decimal(value: Any) -> Decimal | None:
    """A database scalar (int, float, Decimal, numpy scalar, NaN/NA/None) as a ``Decimal``."""
    if value is None:
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    try:
        if value != value:  # NaN, pandas NA raises TypeError below
            return None
    except TypeError:
        return None
    if isinstance(value, float) and math.isinf(value):
        return None
    result = Decimal(str(value))
    exponent = result.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_MAX_PLACES:
        result = result.quantize(Decimal(1).scaleb(-_MAX_PLACES), ROUND_HALF_UP)
        whole = result.to_integral_value()
        result = whole if result == whole else result.normalize()
    return result


def flatten(parts: Iterable[Any]) -> list[Measure]:
    """Every ``Measure`` in numerators and denominators (lists included)."""
    out: list[Measure] = []
    for part in parts:
        if isinstance(part, Measure):
            out.append(part)
        elif isinstance(part, Difference):
            out.extend((*part.plus, *part.minus))
        elif isinstance(part, list | tuple):
            out.extend(flatten(part))
    return out


def outermost(prefixes: Iterable[str]) -> list[str]:
    """The prefixes that no other prefix contains: ``["1201", "120101"]`` → ``["1201"]``."""
    roots: list[str] = []
    for prefix in sorted(set(prefixes), key=lambda p: (len(p), p)):
        if not any(prefix.startswith(root) for root in roots):
            roots.append(prefix)
    return roots


def _next_code(prefix: str) -> str | None:
    """The digit string of the same length right after ``prefix`` (``"1209"`` → ``"1210"``);
    ``None`` for all nines or a non-digit prefix."""
    if not prefix.isdigit():
        return None
    following = str(int(prefix) + 1).zfill(len(prefix))
    return following if len(following) == len(prefix) else None


def in_scope(relation: Any, roots: Sequence[str]) -> Any:
    """Rows whose ``unit_code`` starts with one of ``roots``, as code ranges.

    For digit codes ``code >= '9238' AND code < '9239'`` is the same as ``LIKE '9238%'``, and
    SQLite and PostgreSQL can answer it from a B-tree index on the code.
    """
    code = relation[UNIT_COLUMN]
    conditions = []
    for root in roots:
        following = _next_code(root)
        if not root:
            conditions.append(code.notnull())
        elif following is None:
            conditions.append(code.startswith(root))
        else:
            conditions.append((code >= root) & (code < following))
    return reduce(operator.or_, conditions)


class _Bundle(ops.Node):  # type: ignore[misc]
    """Several expression graphs under one root, so that one ``replace`` walks them."""

    items: VarTuple[ops.Node]


def replace_all(nodes: Sequence[Any], mapping: dict[Any, Any]) -> list[Any]:
    """``[node.replace(mapping) for node in nodes]`` in one walk of their joint graph.

    A condition's graph holds its relation's whole graph (each column refers to it), and the
    conditions of one relation share it: replacing them one by one walks that graph once per
    condition. Under one root, each node is visited once (the dashboard's pass replaced the
    relation of 38 groups of measures, each graph walked again per measure)."""
    if not nodes:
        return []
    return list(_Bundle(tuple(nodes)).replace(mapping).items)


def _subqueries(relation: Any, measures: Sequence[Measure]) -> list[Any]:
    """The ``value.isin(subquery)`` nodes in the measures' conditions, where the value is a
    column expression of ``relation`` and the subquery does not read ``relation``."""
    found: list[Any] = []
    for m in measures:
        if m.where is None:
            continue
        for node in m.where.op().find(ops.InSubquery):
            if node in found or node.needle.relations != frozenset({relation.op()}):
                continue
            if relation.op() in node.rel.find(ops.Relation):
                continue
            found.append(node)
    return found


def bind_conditions(
    relation: Any, rows: Any, measures: Sequence[Measure], *, join_subqueries: bool = True
) -> tuple[Any, list[Any]]:
    """``(rows', conditions)``: the measures' ``where`` rebound from ``relation`` to ``rows'``,
    which is ``rows`` LEFT JOINed to the DISTINCT values of every ``isin`` subquery, each such
    condition replaced by "matched" (see the module docstring). ``None`` for no condition."""
    subqueries = _subqueries(relation, measures) if join_subqueries else []
    extended = rows
    if subqueries:
        joined = rows
        matched = {}
        for k, node in enumerate(subqueries):
            values = node.rel.to_expr()
            key = f"_fs_key{k}"
            distinct = values.select(**{key: values[values.columns[0]]}).distinct()
            needle = node.needle.replace({relation.op(): rows.op()}).to_expr()
            joined = joined.left_join(distinct, needle == distinct[key])
            matched[f"_fs_in{k}"] = distinct[key].notnull()
        extended = joined.select(*(rows[c] for c in rows.columns), **matched)
    mapping = {relation.op(): extended.op()}
    for k, node in enumerate(subqueries):
        mapping[node] = ops.Field(extended.op(), f"_fs_in{k}")
    wheres = iter(replace_all([m.where.op() for m in measures if m.where is not None], mapping))
    conditions = [None if m.where is None else next(wheres).to_expr() for m in measures]
    return extended, conditions


def fold(measures: Sequence[Measure], extensions: dict[Any, Any]) -> dict[int, Measure]:
    """``{id(measure): measure'}``: each measure over a relation that another measure's
    relation extends (``MetricContext.extend``/``with_first``: the same rows with more
    columns), rebound to the widest such extension, so that both run in one query; the others
    unchanged. The extension has every column of the relation, row for row, so the value is
    the same."""
    widest: dict[Any, Any] = {}  # relation → an extension of it among the measures'
    for op in dict.fromkeys(m.relation.op() for m in measures):  # in order: deterministic
        parent = extensions.get(op)
        while parent is not None:
            widest.setdefault(parent, op)  # the first extension seen wins
            parent = extensions.get(parent)

    def target_of(op: Any) -> Any:
        while op in widest:
            op = widest[op]
        return op

    out: dict[int, Measure] = {}
    done: dict[tuple[Any, ...], Measure] = {}  # equal measures (other months') rebound once
    for m in measures:
        target = target_of(m.relation.op())
        if target is m.relation.op():
            out[id(m)] = m
            continue
        key = (m.relation.op(), None if m.where is None else m.where.op(), m.reduce, m.column)
        if key not in done:
            where = None
            if m.where is not None:
                where = m.where.op().replace({m.relation.op(): target}).to_expr()
            done[key] = Measure(target.to_expr(), m.reduce, where, m.column)
        out[id(m)] = done[key]
    return out


def _reduction(measure: Measure, rows: Any, where: Any) -> Any:
    if measure.reduce == "count":
        return rows.count(where=where)
    column = rows[measure.column]
    if measure.reduce == "sum":
        return column.sum(where=where)
    return column.nunique(where=where)


def run_measures(
    backend: Any,
    measures: Sequence[Measure],
    prefixes: Sequence[str],
    *,
    join_subqueries: bool | None = None,
    extensions: dict[Any, Any] | None = None,
) -> dict[tuple[int, str], Decimal | None]:
    """Values of every measure for every prefix: ``{(id(measure), prefix): value}``.

    One query per relation (plus one per distinct-count measure); see the module docstring.
    A count with no rows is 0; a sum with no rows is ``None`` (the caller decides).
    ``join_subqueries``: run ``isin(subquery)`` conditions as joins (default: on the backends
    in ``JOIN_SUBQUERIES_ON``). ``extensions``: ``MetricContext.extensions``; measures over a
    relation and over an extension of it run in one query (``fold``).
    """
    if extensions:
        folded = fold(measures, extensions)
        of_folded = run_measures(
            backend,
            list({id(m): m for m in folded.values()}.values()),
            prefixes,
            join_subqueries=join_subqueries,
        )
        return {
            (id(m), p): of_folded[(id(folded[id(m)]), p)]
            for m in measures
            for p in dict.fromkeys(prefixes)
        }
    if join_subqueries is None:
        join_subqueries = getattr(backend, "name", "") in JOIN_SUBQUERIES_ON
    # By the relation's expression, not the object: contexts built for different as-of dates
    # (``months.py``) make equal relations that must still share one query.
    by_relation: dict[Any, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_relation[measure.relation.op()].append(measure)
    wanted = list(dict.fromkeys(prefixes))
    if not wanted:
        return {}
    lengths = sorted({len(p) for p in wanted})
    wanted_set = set(wanted)
    roots = outermost(wanted)

    def under(code: Any) -> list[str]:
        """The wanted prefixes that a row's org-unit code lies under."""
        text = str(code)
        return [key for length in lengths if (key := text[:length]) in wanted_set]

    values: dict[tuple[int, str], Decimal | None] = {}
    for group in by_relation.values():
        relation = group[0].relation
        rows, conditions = bind_conditions(
            relation,
            relation.filter(in_scope(relation, roots)),
            group,
            join_subqueries=join_subqueries,
        )
        where = {id(m): c for m, c in zip(group, conditions, strict=True)}
        additive = [m for m in group if m.reduce != "nunique"]
        if additive:
            totals: dict[tuple[int, str], Decimal | None] = {
                (i, p): (None if m.reduce == "sum" else Decimal(0))
                for i, m in enumerate(additive)
                for p in wanted
            }
            query = rows.group_by(UNIT_COLUMN).aggregate(
                **{f"m{i}": _reduction(m, rows, where[id(m)]) for i, m in enumerate(additive)}
            )
            for record in backend.execute(query).to_dict("records"):
                keys = under(record[UNIT_COLUMN])
                for i in range(len(additive)):
                    value = to_decimal(record[f"m{i}"])
                    if value is None:
                        continue
                    for key in keys:
                        total = totals[(i, key)]
                        totals[(i, key)] = value if total is None else total + value
            for (i, prefix), total in totals.items():
                values[(id(additive[i]), prefix)] = total
        for m in group:
            if m.reduce != "nunique":
                continue
            assert m.column is not None
            condition = rows[m.column].notnull()
            if where[id(m)] is not None:
                condition &= where[id(m)]
            pairs = rows.filter(condition).select(UNIT_COLUMN, m.column).distinct()
            seen: dict[str, set[Any]] = defaultdict(set)
            for record in backend.execute(pairs).to_dict("records"):
                for key in under(record[UNIT_COLUMN]):
                    seen[key].add(record[m.column])
            for prefix in wanted:
                values[(id(m), prefix)] = Decimal(len(seen[prefix]))
    return values


def population_by_prefix(ctx: MetricContext, prefixes: Sequence[str]) -> dict[str, Decimal | None]:
    """Resident population (常住人口) of each subtree for the period's year, in persons.

    The unit's own figure when it has one; otherwise the sum over the shallowest level of units
    below it that have figures. ``None`` when no figure exists (→ "no data").
    """
    p = ctx.table("population")
    ou = ctx.table("orgunit")
    rows = p.filter(p.year == ctx.period.year).join(ou, p.org_unit_code == ou.code)
    frame = ctx.backend.execute(
        rows.select(code=rows.org_unit_code, level=rows.level, people=rows.resident_population)
    )
    wanted = set(prefixes)
    lengths = sorted({len(p) for p in wanted})
    inside: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for r in frame.to_dict("records"):
        code = str(r["code"])
        for length in lengths:
            if code[:length] in wanted:
                inside[code[:length]].append((int(r["level"]), int(r["people"])))
    out: dict[str, Decimal | None] = {}
    for prefix in prefixes:
        if not inside[prefix]:
            out[prefix] = None
            continue
        top = min(level for level, _ in inside[prefix])
        out[prefix] = Decimal(sum(people for level, people in inside[prefix] if level == top))
    return out


def resolve(
    part: Any,
    prefix: str,
    values: dict[tuple[int, str], Decimal | None],
    population: dict[str, Decimal | None],
) -> Decimal | None:
    """The value of a numerator or denominator part for one prefix."""
    if isinstance(part, Measure):
        return values[(id(part), prefix)]
    if isinstance(part, Difference):
        plus = [values[(id(m), prefix)] or Decimal(0) for m in part.plus]
        minus = [values[(id(m), prefix)] or Decimal(0) for m in part.minus]
        return sum(plus, Decimal(0)) - sum(minus, Decimal(0))
    if isinstance(part, Population) or part is POPULATION:
        return population.get(prefix)
    if isinstance(part, list | tuple):
        resolved = [resolve(p, prefix, values, population) for p in part]
        return sum((r for r in resolved if r is not None), Decimal(0))
    return Decimal(str(part))
