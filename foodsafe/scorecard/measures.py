"""Running measures for many org-unit subtrees at once.

Every measure over the same relation is computed in ONE grouped query per prefix length:

    SELECT substr(unit_code, 1, L) AS key, COUNT(*) FILTER (WHERE …) AS m0, SUM(…) AS m1, …
    FROM relation WHERE substr(unit_code, 1, L) IN (:prefixes) GROUP BY key

so a district and its six subdistricts cost two queries per relation, not seven per measure.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .context import POPULATION, UNIT_COLUMN, Measure, MetricContext, Population

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
        elif isinstance(part, list | tuple):
            out.extend(flatten(part))
    return out


def run_measures(
    backend: Any, measures: Sequence[Measure], prefixes: Sequence[str]
) -> dict[tuple[int, str], Decimal | None]:
    """Values of every measure for every prefix: ``{(id(measure), prefix): value}``.

    A count with no rows is 0; a sum with no rows is ``None`` (the caller decides).
    """
    by_relation: dict[int, list[Measure]] = defaultdict(list)
    for measure in measures:
        by_relation[id(measure.relation)].append(measure)
    by_length: dict[int, list[str]] = defaultdict(list)
    for prefix in dict.fromkeys(prefixes):
        by_length[len(prefix)].append(prefix)

    values: dict[tuple[int, str], Decimal | None] = {}
    for group in by_relation.values():
        relation = group[0].relation
        for length, wanted in by_length.items():
            key = relation[UNIT_COLUMN].substr(0, length)
            scope = (
                relation[UNIT_COLUMN].startswith(wanted[0])
                if len(wanted) == 1
                else key.isin(wanted)
            )
            rows = relation.filter(scope)
            query = rows.group_by(key=rows[UNIT_COLUMN].substr(0, length)).aggregate(
                **{f"m{i}": m.reduction(rows) for i, m in enumerate(group)}
            )
            frame = backend.execute(query)
            found = {str(row["key"]): row for row in frame.to_dict("records")}
            for prefix in wanted:
                row = found.get(prefix)
                for i, m in enumerate(group):
                    if row is None:
                        values[(id(m), prefix)] = Decimal(0) if m.reduce != "sum" else None
                    else:
                        values[(id(m), prefix)] = to_decimal(row[f"m{i}"])
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
    records = [
        (str(r["code"]), int(r["level"]), int(r["people"])) for r in frame.to_dict("records")
    ]
    out: dict[str, Decimal | None] = {}
    for prefix in prefixes:
        inside = [r for r in records if r[0].startswith(prefix)]
        if not inside:
            out[prefix] = None
            continue
        top = min(level for _, level, _ in inside)
        out[prefix] = Decimal(sum(people for _, level, people in inside if level == top))
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
    if isinstance(part, Population) or part is POPULATION:
        return population.get(prefix)
    if isinstance(part, list | tuple):
        resolved = [resolve(p, prefix, values, population) for p in part]
        return sum((r for r in resolved if r is not None), Decimal(0))
    return Decimal(str(part))
