"""The yearly plan's allocation (RULES-supervision.md §2.3 "Suggested allocation" [I]): pure
functions over plain inputs, so the rule is tested without a database.

1. ``N_total = ceil(4 × 常住人口 / 1000)``, ``N_residue = ceil(2 × 常住人口 / 1000)`` (实施方案
   第13条; the factors come from the spec).
2. ``N_residue`` is reserved first for the 亚类 whose 细类 carry 农药/兽药 residue items, by the
   spec's residue weights, and counts toward ``N_total``.
3. ``N_total`` is spread over the 大类 by the CAT34 shares tilted by last year's failure rates;
   each 大类 gets its share less the residue batches already under it.
4. Each 大类's batches go to the 环节 × 业态 cells of the district that sample it, by operator
   count weighted toward C/D grades.
5. Every cell gets at least one batch (coverage 100 % by construction): residue batches are
   moved to cells that have none where they can, and each cell still without one gets a batch
   of the heaviest 大类 it samples, counted against ``N_total``. So the plan holds exactly
   ``N_total`` unless more cells lack a batch than ``N_total − N_residue`` leaves room for;
   then it holds ``N_residue`` + those cells, and :class:`Floor` says why. A 大类 whose share
   rounds to nothing in a small district gets no batch (the targets and the cells come first;
   the bureau adds 专项 lines by hand). Then each line is spread over the months (or quarters)
   evenly.
Integer splits use the largest-remainder method, ties broken by key order: the same inputs
always give the same plan.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from foodsafe.sampling.categories import CategoryTree

from .spec import SamplingPlanSpec

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Cell:
    """A 环节 × 业态 cell the district has: its operators and their weight (C/D tilted)."""

    stage: str
    business_format: str
    operators: int
    weight: float

    @property
    def key(self) -> tuple[str, str]:
        return (self.stage, self.business_format)


@dataclass(frozen=True)
class PlanInputs:
    """What the allocation reads: population, cells, last year's (failed, decided) by 大类."""

    population: int
    cells: tuple[Cell, ...]
    failures: Mapping[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Line:
    category_code: str
    stage: str
    business_format: str
    month_from: int
    month_to: int
    batches: int
    residue: bool = False
    special: str = ""


@dataclass(frozen=True)
class Totals:
    """What a plan reaches: batches, per 1,000 residents, and the cells it covers."""

    batches: int
    residue_batches: int
    per_thousand: Decimal | None
    residue_per_thousand: Decimal | None
    cells: int
    cells_covered: int

    @property
    def coverage(self) -> Decimal | None:
        if not self.cells:
            return None
        return (Decimal(100) * self.cells_covered / self.cells).quantize(Decimal("0.1"))


def apportion(total: int, weights: Mapping[K, float]) -> dict[K, int]:
    """``total`` split in proportion to ``weights`` (largest remainder; ties by key order).

    ``apportion(10, {"a": 1, "b": 1, "c": 1})`` is ``{"a": 4, "b": 3, "c": 3}``. Zero or no
    weight: everything 0.
    """
    keys = sorted(weights, key=lambda k: str(k))
    whole = sum(max(weights[k], 0.0) for k in keys)
    if total <= 0 or whole <= 0:
        return dict.fromkeys(keys, 0)
    exact = {k: total * max(weights[k], 0.0) / whole for k in keys}
    out = {k: math.floor(v) for k, v in exact.items()}
    left = total - sum(out.values())
    for k in sorted(keys, key=lambda k: (-(exact[k] - out[k]), str(k)))[:left]:
        out[k] += 1
    return out


def targets(spec: SamplingPlanSpec, population: int) -> tuple[int, int]:
    """(N_total, N_residue) for a population: ceil(factor × population / 1000)."""
    t = spec.targets
    total = math.ceil(Decimal(str(t.total_per_thousand)) * population / 1000)
    residue = math.ceil(Decimal(str(t.residue_per_thousand)) * population / 1000)
    return total, residue


def _allowed(spec: SamplingPlanSpec, top: str, cells: tuple[Cell, ...]) -> list[Cell]:
    rules = spec.cells.stage_categories
    return [c for c in cells if c.stage in rules and rules[c.stage].allows(top)]


def _tilt(spec: SamplingPlanSpec, top: str, failures: Mapping[str, tuple[int, int]]) -> float:
    failed = sum(f for f, _ in failures.values())
    decided = sum(d for _, d in failures.values())
    own = failures.get(top)
    if not failed or not decided or not own or not own[1]:
        return 1.0
    ratio = (own[0] / own[1]) / (failed / decided)
    t = spec.failure_tilt
    return min(max(1.0 + t.strength * (ratio - 1.0), t.low), t.high)


@dataclass(frozen=True)
class Floor:
    """Why a plan is above ``N_total``: the cells the residue batches leave uncovered need one
    batch each (100 % coverage is a hard rule), more than the ``N_total − N_residue`` batches
    left for them. ``over`` is how many batches the plan holds above ``N_total``."""

    cells: int
    uncovered: int
    budget: int

    @property
    def over(self) -> int:
        return max(self.uncovered - self.budget, 0)


def allocate(spec: SamplingPlanSpec, tree: CategoryTree, inputs: PlanInputs) -> list[Line]:
    """The generated lines of a plan (no special lines): see the module docstring."""
    return allocate_with_floor(spec, tree, inputs)[0]


def allocate_with_floor(
    spec: SamplingPlanSpec, tree: CategoryTree, inputs: PlanInputs
) -> tuple[list[Line], Floor]:
    """The generated lines and the coverage floor behind their total (:class:`Floor`).

    The total is ``max(N_total, N_residue + uncovered cells)``: the targets and 100 % cell
    coverage are hard; everything else bends to hit ``N_total`` as closely as they allow.
    """
    n_total, n_residue = targets(spec, inputs.population)
    cells = inputs.cells
    counts: dict[tuple[str, str, str, bool], int] = {}

    def spread(code: str, n: int, residue: bool) -> None:
        allowed = _allowed(spec, code[:2], cells)
        for cell, k in apportion(n, {c.key: c.weight for c in allowed}).items():
            if k:
                key = (code, *cell, residue)
                counts[key] = counts.get(key, 0) + k

    residue_codes = {
        code: w for code, w in spec.residue.weights.items() if _allowed(spec, code[:2], cells)
    }
    by_residue = apportion(n_residue, residue_codes)
    for code, n in by_residue.items():
        spread(code, n, True)
    _residue_to_uncovered(spec, cells, counts)
    reserved: dict[str, int] = {}
    for code, n in by_residue.items():
        reserved[code[:2]] = reserved.get(code[:2], 0) + n

    weights = {
        top: share * _tilt(spec, top, inputs.failures)
        for top, share in spec.shares.batches.items()
        if share > 0 and _allowed(spec, top, cells)
    }
    # Coverage first: a cell no residue batch reached gets one batch of the heaviest 大类 it
    # samples. These count against the batches left after the residue reserve.
    covered = {(key[1], key[2]) for key in counts}
    forced: dict[tuple[str, str, str, bool], int] = {}
    for cell in cells:
        if cell.key in covered:
            continue
        options = [top for top in weights if cell in _allowed(spec, top, (cell,))]
        if options:
            top = max(options, key=lambda t: (weights[t], t))
            forced[(top, *cell.key, False)] = 1
    budget = max(n_total - sum(counts.values()), 0)
    floor = Floor(len(cells), len(forced), budget)
    # The rest of N_total by the tilted shares: each 大类 its exact share of N_total less the
    # residue batches under it and the coverage batches it already holds.
    whole = sum(weights.values())
    held: dict[str, int] = {}
    for key in forced:
        held[key[0]] = held.get(key[0], 0) + 1
    wants = {
        top: max(n_total * w / whole - reserved.get(top, 0) - held.get(top, 0), 0.0)
        for top, w in weights.items()
    } if whole else {}  # fmt: skip
    if not any(wants.values()):
        wants = dict(weights)
    for top, n in apportion(max(budget - len(forced), 0), wants).items():
        spread(top, n, False)
    for key, n in forced.items():
        counts[key] = counts.get(key, 0) + n
    return _by_period(spec, counts), floor


def _residue_to_uncovered(
    spec: SamplingPlanSpec, cells: tuple[Cell, ...], counts: dict[tuple[str, str, str, bool], int]
) -> None:
    """Move residue batches from cells holding two or more to cells holding none that sample
    the same 大类 (heaviest first), so the residue reserve covers as many cells as it can and
    fewer cells need a batch of their own: it lowers the floor without changing any 亚类's
    residue count."""
    per_cell: dict[tuple[str, str], int] = {}
    for (_, stage, fmt, _), n in counts.items():
        per_cell[(stage, fmt)] = per_cell.get((stage, fmt), 0) + n
    for cell in sorted(cells, key=lambda c: (-c.weight, c.key)):
        if per_cell.get(cell.key):
            continue
        donors = [
            key
            for key, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
            if n and per_cell[(key[1], key[2])] >= 2 and cell in _allowed(spec, key[0][:2], (cell,))
        ]
        if not donors:
            continue
        code, stage, fmt, residue = donors[0]
        counts[donors[0]] -= 1
        if not counts[donors[0]]:
            del counts[donors[0]]
        per_cell[(stage, fmt)] -= 1
        key = (code, *cell.key, residue)
        counts[key] = counts.get(key, 0) + 1
        per_cell[cell.key] = 1


def _by_period(spec: SamplingPlanSpec, counts: dict[tuple[str, str, str, bool], int]) -> list[Line]:
    """Each line spread evenly over the periods; a line's odd batches go to the periods after
    where the previous line's stopped (round robin), so the months differ by one at most."""
    quarter = spec.granularity.period == "quarter"
    periods = 4 if quarter else 12
    width = 3 if quarter else 1
    pointer = 0
    lines = []
    for (code, stage, fmt, residue), n in sorted(counts.items()):
        per = [n // periods] * periods
        extra = n % periods
        for j in range(extra):
            per[(pointer + j) % periods] += 1
        pointer = (pointer + extra) % periods
        for index, k in enumerate(per):
            if k:
                start = index * width + 1
                lines.append(Line(code, stage, fmt, start, start + width - 1, k, residue))
    return lines


def totals(lines: list[Line], population: int, cells: tuple[Cell, ...]) -> Totals:
    """What ``lines`` reach for ``population`` and the district's ``cells``."""
    batches = sum(line.batches for line in lines)
    residue = sum(line.batches for line in lines if line.residue)
    keys = {c.key for c in cells}
    covered = {(line.stage, line.business_format) for line in lines} & keys

    def per(n: int) -> Decimal | None:
        if not population:
            return None
        return (Decimal(n) * 1000 / population).quantize(Decimal("0.01"), ROUND_HALF_UP)

    return Totals(batches, residue, per(batches), per(residue), len(keys), len(covered))
