"""What a plan is generated from, read from the ledgers: population, the registry's 环节 × 业态
cells with their operators' risk grades, and last year's failures by 大类."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Q

from foodsafe.orgunits.models import Population, subtree_prefix
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.categories import UnknownCategory, category_tree
from foodsafe.sampling.models import Conclusion, SamplingBatch

from .allocate import Cell, PlanInputs
from .spec import SamplingPlanSpec


class PlanInputError(ValueError):
    """A plan cannot be generated (no population figure, no operator); the message says why."""


def population_of(org_code: str, year: int) -> tuple[int, int] | None:
    """(常住人口, the year of the figure) of ``org_code``'s subtree: the unit's own figure, else
    the sum over the shallowest level below it with figures; the plan year's figure, else the
    latest earlier one. ``None`` when there is none."""
    rows = list(
        Population.objects.filter(
            org_unit__code__startswith=subtree_prefix(org_code), year__lte=year
        ).values_list("year", "org_unit__level", "resident_population")
    )
    if not rows:
        return None
    latest = max(y for y, _, _ in rows)
    top = min(level for y, level, _ in rows if y == latest)
    return sum(n for y, level, n in rows if y == latest and level == top), latest


def stage_of(spec: SamplingPlanSpec, sector: str, business_format: str) -> str:
    """The 环节 of a registered operator: its 业态's when the spec names one, else its 类别's."""
    cells = spec.cells
    return cells.stage_of_format.get(business_format) or cells.stage_of_sector.get(sector, sector)


def registry_cells(spec: SamplingPlanSpec, org_code: str, on: date) -> tuple[Cell, ...]:
    """The 环节 × 业态 cells of the operators in the subtree operating on ``on``, weighted by
    operators × the spec's grade weight (C/D count more)."""
    rows = (
        FoodBusiness.objects.filter(org_unit__code__startswith=subtree_prefix(org_code))
        .filter(Q(opened_on__isnull=True) | Q(opened_on__lte=on))
        .filter(Q(closed_on__isnull=True, status="active") | Q(closed_on__gt=on))
        .values("sector", "business_format", "risk_level")
        .annotate(n=Count("id"))
    )
    grade_weight = spec.cells.grade_weight
    acc: dict[tuple[str, str], list[float]] = {}
    for r in rows:
        key = (stage_of(spec, r["sector"], r["business_format"]), r["business_format"])
        slot = acc.setdefault(key, [0, 0.0])
        slot[0] += r["n"]
        slot[1] += r["n"] * grade_weight.get(r["risk_level"] or "", grade_weight.get("", 1.0))
    return tuple(
        Cell(stage, fmt, int(n), round(w, 3))
        for (stage, fmt), (n, w) in sorted(acc.items())
        if stage in spec.cells.stage_categories
    )


def last_year_failures(org_code: str, year: int) -> dict[str, tuple[int, int]]:
    """(不合格, decided) batches of ``year`` by 大类 code; rows without a code are placed by
    their name, and names not in the tree are left out."""
    rows = (
        SamplingBatch.objects.filter(
            org_unit__code__startswith=subtree_prefix(org_code), sampled_on__year=year
        )
        .exclude(conclusion=Conclusion.PENDING)
        .values("category_code", "food_category")
        .annotate(n=Count("id"), bad=Count("id", filter=Q(conclusion=Conclusion.NONCONFORMING)))
    )
    tree = category_tree()
    out: dict[str, tuple[int, int]] = {}
    for r in rows:
        code = r["category_code"]
        if not code:
            try:
                code = tree.resolve(r["food_category"]).code
            except UnknownCategory:
                continue
        failed, decided = out.get(code[:2], (0, 0))
        out[code[:2]] = (failed + r["bad"], decided + r["n"])
    return out


def plan_inputs(spec: SamplingPlanSpec, org_code: str, year: int) -> tuple[PlanInputs, dict]:
    """The inputs of ``org_code``'s plan for ``year`` and a JSON record of them.

    Raises :class:`PlanInputError` with no population figure or no operating business.
    """
    population = population_of(org_code, year)
    if population is None:
        raise PlanInputError(f"{org_code} 没有 {year} 年及以前的常住人口数据，无法按千人测算")
    cells = registry_cells(spec, org_code, date(year, 1, 1))
    if not cells:
        raise PlanInputError(
            f"{org_code} 在 {year}-01-01 没有在营的食品生产经营者，无法确定环节和业态"
        )
    failures = last_year_failures(org_code, year - 1)
    record = {
        "population": population[0],
        "population_year": population[1],
        "cells": [[c.stage, c.business_format, c.operators, c.weight] for c in cells],
        "failures": {k: list(v) for k, v in sorted(failures.items())},
        "failures_year": year - 1,
        "registry_on": date(year, 1, 1).isoformat(),
    }
    return PlanInputs(population[0], cells, failures), record
