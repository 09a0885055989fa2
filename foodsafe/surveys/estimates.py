"""Survey arithmetic (RULES-supervision.md §3.3): sample sizes, allocation to subdistricts,
post-stratification weights, and weighted estimates with 95 % confidence intervals.

Formulas (no statistics library: each is a line, and the source is stated):

- Sample size for a proportion: ``n = t² · p(1 − p) / e²`` (Cochran, *Sampling Techniques*,
  1977, eq. 4.2), t = 1.96, p = 0.5; e = 0.05 → 385, e = 0.03 → 1,068. Plus an allowance for
  invalid interviews (10–20 %): ``ceil(n · (1 + allowance))``.
- Allocation proportional to 常住人口 by the largest-remainder method, so the parts add up to n.
- Post-stratification weight of a respondent in cell h: ``w_h = (N_h / N) / (n_h / n)``
  (population share over sample share), N and n over the cells that have respondents; the
  weights then add up to n. A cell with people but no respondent cannot be weighted: it is
  reported (``uncovered``), not guessed.
- Cells of several dimensions (街道 × 城乡 × 性别 × 年龄段, RULES-supervision.md §3.3) leave
  some cells with people but no respondent (or a respondent where the census has nobody). Two
  ways out, the one in force a reading [I] in the questionnaire file (``weighting``):
  **collapsing** (``collapse``): such a cell is merged with its siblings across the first
  dimension of a configured order (within the same subdistrict; the merged cell is the whole
  box, so cells stay nested), then the next dimension for a merged cell still empty, and the
  weights above are taken over the merged cells (Kalton & Flores-Cervantes, "Weighting
  methods", *J. Official Statistics* 19(2), 2003, §2 and §6 on collapsing); **raking**
  (``rake``): iterative proportional fitting of the cell weights to each dimension's margin
  (Deming & Stephan, *Ann. Math. Stat.* 11, 1940), which needs only the margins but loses their
  interactions; a margin category with people and no respondent cannot be met and is an error.
  Either way the weights are scaled to add up to n.
- Weighted mean ``ȳ = Σwy / Σw``; its standard error by Kish's effective sample size
  ``n_eff = (Σw)² / Σw²`` (Kish, *Survey Sampling*, 1965, §11.7): ``se = √(s² / n_eff)`` with
  ``s² = Σw(y − ȳ)² / Σw · n / (n − 1)``; interval ``ȳ ± 1.96 se`` clipped to [0, 100]. With
  y ∈ {0, 100} (知晓率) this is the Wald interval of a proportion on n_eff respondents.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Z95 = 1.96


def sample_size(margin: float, *, p: float = 0.5, z: float = Z95, allowance: float = 0.0) -> int:
    """Respondents needed for ``margin`` (a share, 0.05 for ±5 points), plus ``allowance`` for
    invalid interviews (0.15 for 15 %)."""
    if not 0 < margin < 1:
        raise ValueError("误差应在 0 和 1 之间")
    n = math.ceil(z * z * p * (1 - p) / (margin * margin) - 1e-9)
    return math.ceil(n * (1 + allowance) - 1e-9)


def allocate(n: int, populations: Mapping[str, int]) -> dict[str, int]:
    """``n`` split in proportion to ``populations`` (largest remainder; ties by key order)."""
    total = sum(populations.values())
    if total <= 0:
        raise ValueError("常住人口合计为0，无法分配样本")
    exact = {k: n * v / total for k, v in populations.items()}
    parts = {k: math.floor(x) for k, x in exact.items()}
    left = n - sum(parts.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - parts[k]), k))[:left]:
        parts[k] += 1
    return parts


@dataclass(frozen=True)
class Weights:
    by_cell: dict[str, float]
    #: cells with population but no respondent (cannot be represented)
    uncovered: tuple[str, ...]


def poststratify(sample: Mapping[str, int], populations: Mapping[str, int]) -> Weights:
    """Weights per cell: population share ÷ sample share, over the cells with respondents."""
    covered = {k: v for k, v in sample.items() if v > 0 and populations.get(k, 0) > 0}
    n = sum(covered.values())
    big_n = sum(populations[k] for k in covered)
    weights = {k: (populations[k] / big_n) / (covered[k] / n) for k in covered}
    uncovered = tuple(sorted(k for k, v in populations.items() if v > 0 and k not in covered))
    return Weights(weights, uncovered)


#: A post-stratification cell: the subdistrict's code first, then one value per dimension;
#: ``ANY`` where a cell was merged across that dimension.
Cell = tuple[str, ...]
ANY = "*"


@dataclass(frozen=True)
class CellWeights:
    """Weights of a cross-classified post-stratification: ``by_cell`` is the weight of a
    respondent of each sample cell (a cell of full detail), ``groups`` the merged cell each
    cell fell into (itself when not merged), ``uncovered`` the cells with people that no
    respondent represents (their whole subdistrict had none)."""

    by_cell: dict[Cell, float]
    groups: dict[Cell, Cell]
    uncovered: tuple[Cell, ...]
    iterations: int = 0
    notes: tuple[str, ...] = field(default=())

    @property
    def merged(self) -> dict[Cell, list[Cell]]:
        """Merged cells (with a ``*``) → the cells of full detail in them."""
        out: dict[Cell, list[Cell]] = {}
        for cell, group in sorted(self.groups.items()):
            if group != cell:
                out.setdefault(group, []).append(cell)
        return out


def _box(cell: Cell, stars: frozenset[int]) -> Cell:
    return tuple(ANY if i in stars else v for i, v in enumerate(cell))


def poststratify_collapsing(
    sample: Mapping[Cell, int], populations: Mapping[Cell, int], order: Sequence[int]
) -> CellWeights:
    """Post-stratification weights over the cells of ``populations`` (and ``sample``), merging
    cells that cannot be weighted — people and no respondent, or respondents and no people —
    across the dimensions at the positions ``order`` in turn (position 0, the subdistrict, is
    never merged). Each step merges a bad cell with every cell of its box one dimension wider
    (cells already merged included), so the merged cells nest. A box still bad once every
    dimension is merged is a subdistrict with people and no respondent (``uncovered``; its
    respondents, if the census has nobody there, get no weight)."""
    cells = sorted({*sample, *(k for k, v in populations.items() if v > 0)})
    group = {c: c for c in cells}

    def totals() -> tuple[dict[Cell, int], dict[Cell, int]]:
        n_g: dict[Cell, int] = {}
        big_g: dict[Cell, int] = {}
        for c in cells:
            g = group[c]
            n_g[g] = n_g.get(g, 0) + sample.get(c, 0)
            big_g[g] = big_g.get(g, 0) + populations.get(c, 0)
        return n_g, big_g

    for step in range(len(order)):
        stars = frozenset(order[: step + 1])
        n_g, big_g = totals()
        bad = {g for g in n_g if (n_g[g] > 0) != (big_g[g] > 0)}
        boxes = {_box(g, stars) for g in bad}
        for c in cells:
            wide = _box(c, stars)
            if wide in boxes:
                group[c] = wide
    n_g, big_g = totals()
    good = {g for g in n_g if n_g[g] > 0 and big_g[g] > 0}
    n = sum(n_g[g] for g in good)
    big_n = sum(big_g[g] for g in good)
    weights = {
        c: (big_g[group[c]] / big_n) / (n_g[group[c]] / n)
        for c in cells
        if sample.get(c, 0) > 0 and group[c] in good
    }
    uncovered = tuple(sorted(g for g in n_g if big_g[g] > 0 and n_g[g] == 0))
    return CellWeights(weights, {c: group[c] for c in cells}, uncovered)


class RakingError(ValueError):
    """Raking cannot meet the margins; the message says which, in Chinese."""


def rake(
    sample: Mapping[Cell, int],
    margins: Sequence[Mapping[str, int]],
    *,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> CellWeights:
    """Raking (iterative proportional fitting): weights per sample cell such that the weighted
    respondents add up to each dimension's margin (``margins[i]``: value at position i → people),
    then scaled to add up to n. Each pass multiplies the weights of the cells of each category
    by margin ÷ weighted total, dimension after dimension; it stops when every weighted total is
    within ``tolerance`` (relative) of its margin. Raises :class:`RakingError` for a category
    with people and no respondent, or no convergence in ``max_iterations`` passes."""
    cells = [c for c, k in sorted(sample.items()) if k > 0]
    for i, margin in enumerate(margins):
        present = {c[i] for c in cells}
        missing = sorted(v for v, people in margin.items() if people > 0 and v not in present)
        if missing:
            raise RakingError(f"第{i + 1}个维度的 {'、'.join(missing)} 有常住人口但没有受访者")
        extra = sorted(present - {v for v, people in margin.items() if people > 0})
        if extra:
            raise RakingError(f"第{i + 1}个维度的 {'、'.join(extra)} 有受访者但没有常住人口")
    w = dict.fromkeys(cells, 1.0)
    for iteration in range(1, max_iterations + 1):
        for i, margin in enumerate(margins):
            total: dict[str, float] = {}
            for c in cells:
                total[c[i]] = total.get(c[i], 0.0) + sample[c] * w[c]
            for c in cells:
                w[c] *= margin[c[i]] / total[c[i]]
        worst = 0.0
        for i, margin in enumerate(margins):
            total = {}
            for c in cells:
                total[c[i]] = total.get(c[i], 0.0) + sample[c] * w[c]
            worst = max(worst, *(abs(t - margin[v]) / margin[v] for v, t in total.items()))
        if worst <= tolerance:
            n = sum(sample[c] for c in cells)
            big_n = sum(sample[c] * w[c] for c in cells)
            scaled = {c: w[c] * n / big_n for c in cells}
            return CellWeights(scaled, {c: c for c in cells}, (), iteration)
    raise RakingError(f"迭代 {max_iterations} 次仍未收敛到各维度的人口数")


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    n: int
    n_eff: float
    se: float


def weighted_estimate(values: Sequence[float], weights: Sequence[float]) -> Estimate | None:
    """Weighted mean with its 95 % interval (module docstring); ``None`` without values."""
    pairs = [(float(y), float(w)) for y, w in zip(values, weights, strict=True) if w > 0]
    n = len(pairs)
    if n == 0:
        return None
    sw = sum(w for _y, w in pairs)
    mean = sum(w * y for y, w in pairs) / sw
    n_eff = sw * sw / sum(w * w for _y, w in pairs)
    if n < 2:
        return Estimate(mean, 0.0, 100.0, n, n_eff, math.inf)
    s2 = sum(w * (y - mean) ** 2 for y, w in pairs) / sw * n / (n - 1)
    se = math.sqrt(s2 / n_eff)
    return Estimate(mean, max(0.0, mean - Z95 * se), min(100.0, mean + Z95 * se), n, n_eff, se)
