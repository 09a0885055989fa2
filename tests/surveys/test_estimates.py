"""Survey arithmetic worked by hand (RULES-supervision.md §3.3)."""

from __future__ import annotations

import math

import pytest

from foodsafe.surveys.estimates import allocate, poststratify, sample_size, weighted_estimate


def test_sample_sizes_of_the_rules():
    # 1.96² × 0.25 / 0.05² = 0.9604 / 0.0025 = 384.16 → 385; / 0.03² = 1,067.1 → 1,068.
    assert sample_size(0.05) == 385
    assert sample_size(0.03) == 1068
    # 385 × 1.15 = 442.75 → 443 planned for 15 % invalid interviews.
    assert sample_size(0.05, allowance=0.15) == 443
    with pytest.raises(ValueError):
        sample_size(0)


def test_allocation_by_population_adds_up():
    # 443 over 50,000 / 30,000 / 20,000: 221.5 / 132.9 / 88.6 → floors 221 / 132 / 88 = 441;
    # the two left go to the largest remainders: .9 (B) and .6 (C).
    assert allocate(443, {"A": 50_000, "B": 30_000, "C": 20_000}) == {"A": 221, "B": 133, "C": 89}


def test_poststratification_weights():
    # 2 respondents in A (pop 3,000) and 2 in B (pop 1,000), none in C (pop 500):
    # N over covered cells = 4,000, n = 4. w_A = (3000/4000)/(2/4) = 1.5; w_B = 0.25/0.5 = 0.5.
    w = poststratify({"A": 2, "B": 2}, {"A": 3000, "B": 1000, "C": 500})
    assert w.by_cell == {"A": 1.5, "B": 0.5}
    assert w.uncovered == ("C",)
    assert 2 * 1.5 + 2 * 0.5 == 4  # the weights add up to n


def test_weighted_mean_and_interval_by_hand():
    # Scores A: 80, 100 (w 1.5); B: 60, 60 (w 0.5).
    # ȳ = (120 + 150 + 30 + 30) / 4 = 82.5 (unweighted it would be 75).
    # n_eff = 4² / (2 × 1.5² + 2 × 0.5²) = 16 / 5 = 3.2.
    # Σw(y − ȳ)² = 1.5×6.25 + 1.5×306.25 + 0.5×506.25 × 2 = 9.375 + 459.375 + 506.25 = 975;
    # s² = 975 / 4 × 4/3 = 325; se = √(325 / 3.2) = √101.5625 = 10.0778;
    # 82.5 ± 1.96 × 10.0778 = 82.5 ± 19.7525 → [62.7475, 102.25], clipped to 100.
    e = weighted_estimate([80, 100, 60, 60], [1.5, 1.5, 0.5, 0.5])
    assert e.value == pytest.approx(82.5)
    assert e.n_eff == pytest.approx(3.2)
    assert e.se == pytest.approx(math.sqrt(101.5625))
    assert e.low == pytest.approx(62.7475, abs=1e-4)
    assert e.high == 100.0


def test_awareness_is_a_weighted_proportion():
    # A: aware, not aware (w 1.5); B: aware, aware (w 0.5) → (150 + 50 + 50) / 4 = 62.5 %.
    e = weighted_estimate([100, 0, 100, 100], [1.5, 1.5, 0.5, 0.5])
    assert e.value == pytest.approx(62.5)
    assert weighted_estimate([], []) is None
