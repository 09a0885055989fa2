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
- Weighted mean ``ȳ = Σwy / Σw``; its standard error by Kish's effective sample size
  ``n_eff = (Σw)² / Σw²`` (Kish, *Survey Sampling*, 1965, §11.7): ``se = √(s² / n_eff)`` with
  ``s² = Σw(y − ȳ)² / Σw · n / (n − 1)``; interval ``ȳ ± 1.96 se`` clipped to [0, 100]. With
  y ∈ {0, 100} (知晓率) this is the Wald interval of a proportion on n_eff respondents.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
