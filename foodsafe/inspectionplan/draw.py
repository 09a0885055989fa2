"""The 双随机 draw (随机抽取检查对象、随机选派检查人员): a pure, reproducible function.

监督检查管理办法 第五条、第二十一条: operators are drawn at random, on top of those due, at a ratio
set by risk grade (and credit class when it exists); 第二十三条: at least two inspectors per
inspection, drawn at random from the roster.

:func:`draw_run` takes only plain data (registry numbers, staff numbers, ratios as strings)
and a seed, and uses nothing else: the same inputs and seed give the same result on any
machine (Python's ``random.Random`` is the Mersenne Twister, stable across versions for
``random()`` and ``sample()`` on a list). The plan stores inputs, seed and result;
:func:`draw_replay` re-runs it.

Inputs (``DrawInputs``, a dict):
- ``months``: the plan's length in months (3 for a quarter);
- ``due``: registry numbers of the operators due, in the plan's order;
- ``strata``: grade (``A``–``D``, ``ungraded``) → sorted registry numbers of the operators not due;
  with credit classes applied, a grade's operators with a credit class are in ``grade:class``
  (``B:D``: grade B, credit class D), drawn right after the grade's own stratum, classes D to A;
- ``ratios``: stratum → yearly ratio as a decimal string (``"0.20"``); the draw takes
  round-half-up(len(stratum) × ratio × months / 12) from each stratum;
- ``roster``: sorted staff numbers of the inspectors on duty;
- ``exclude``: registry number → staff numbers who must not go (last time's inspectors);
- ``per_inspection``: inspectors per inspection (≥ 2).

Result: ``counts`` (grade → drawn), ``random`` (registry numbers drawn, D first then C, B, A,
ungraded, each stratum in draw order), ``pairs`` (registry number → staff numbers) and
``unassigned`` (registry number → why no pair could be formed).
Workload: each inspection takes the inspectors with the fewest assignments so far, ties broken
by a random order drawn once; so loads differ by at most one unless exclusions force otherwise.
"""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

#: Strata in the order drawn and listed (highest risk first).
STRATA = ("D", "C", "B", "A", "ungraded")
#: Credit classes (信用风险分类) splitting a grade's stratum, in the order drawn.
CREDIT_CLASSES = ("D", "C", "B", "A")


def stratum_key(grade: str, credit: str | None) -> str:
    """The stratum of an operator of ``grade`` (or ``ungraded``) with credit class ``credit``
    (None: not classed, or credit not applied): ``"B"`` or ``"B:D"``."""
    return f"{grade}:{credit}" if credit else grade


def strata_order(strata: dict[str, Any]) -> list[str]:
    """The strata present in draw order: each grade of ``STRATA``, then its credit parts D–A.
    Plans made before credit classes have grade keys only and draw as they always did."""
    return [
        key
        for grade in STRATA
        for key in (grade, *(f"{grade}:{c}" for c in CREDIT_CLASSES))
        if key == grade or key in strata
    ]


DrawInputs = dict[str, Any]
DrawResult = dict[str, Any]


def draw_count(size: int, ratio: str | Decimal, months: int) -> int:
    """How many of a stratum of ``size`` are drawn: size × yearly ratio × months / 12, rounded
    half up (40 operators × 0.20 × 3/12 = 2; 30 × 0.10 × 3/12 = 0.75 → 1). Never more than
    ``size``."""
    exact = Decimal(size) * Decimal(str(ratio)) * Decimal(months) / Decimal(12)
    return min(size, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def draw_run(inputs: DrawInputs, seed: int) -> DrawResult:
    """Draw the operators and the inspector pairs (see the module doc). Pure."""
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    drawn: list[str] = []
    strata: dict[str, list[str]] = inputs["strata"]
    for grade in strata_order(strata):
        pool = list(strata.get(grade, []))
        n = draw_count(len(pool), inputs["ratios"].get(grade, "0"), int(inputs["months"]))
        counts[grade] = n
        drawn.extend(rng.sample(pool, n))
    roster: list[str] = list(inputs["roster"])
    tiebreak = {staff: rng.random() for staff in roster}
    load = dict.fromkeys(roster, 0)
    per = int(inputs["per_inspection"])
    exclude: dict[str, list[str]] = inputs.get("exclude", {})
    pairs: dict[str, list[str]] = {}
    unassigned: dict[str, str] = {}
    for number in [*inputs["due"], *drawn]:
        barred = set(exclude.get(number, ()))
        eligible = [s for s in roster if s not in barred]
        if len(eligible) < per:
            unassigned[number] = f"可派人员 {len(eligible)} 人，少于每次检查所需 {per} 人" + (
                f"（已排除上次检查人员 {len(barred & set(roster))} 人）" if barred else ""
            )
            continue
        chosen = sorted(eligible, key=lambda s: (load[s], tiebreak[s]))[:per]
        for staff in chosen:
            load[staff] += 1
        pairs[number] = sorted(chosen)
    return {"counts": counts, "random": drawn, "pairs": pairs, "unassigned": unassigned}


def draw_replay(inputs: DrawInputs, seed: int, stored: DrawResult) -> bool:
    """Whether re-running the draw from its stored inputs and seed gives the stored result."""
    return draw_run(inputs, seed) == stored
