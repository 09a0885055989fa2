"""The 双随机 draw: counts per stratum worked by hand, reproducibility, inspector pairs."""

from __future__ import annotations

from collections import Counter

from foodsafe.inspectionplan.draw import draw_count, draw_replay, draw_run


def inputs(**kw):
    base = {
        "months": 3,
        "due": ["D1", "D2"],
        "strata": {
            "A": [f"A{i:02d}" for i in range(30)],
            "B": [f"B{i:02d}" for i in range(40)],
            "C": [f"C{i:02d}" for i in range(6)],
            "D": [],
            "ungraded": ["U1"],
        },
        "ratios": {"A": "0.10", "B": "0.20", "C": "0.30", "D": "0.50", "ungraded": "0.20"},
        "roster": ["S1", "S2", "S3", "S4", "S5"],
        "exclude": {},
        "per_inspection": 2,
    }
    base.update(kw)
    return base


def test_counts_per_stratum_by_hand():
    # A quarter is 3/12 of a year. A: 30 × 0.10 × 0.25 = 0.75 → 1. B: 40 × 0.20 × 0.25 = 2.
    # C: 6 × 0.30 × 0.25 = 0.45 → 0. D: empty → 0. Ungraded: 1 × 0.20 × 0.25 = 0.05 → 0.
    assert draw_count(30, "0.10", 3) == 1
    assert draw_count(40, "0.20", 3) == 2
    assert draw_count(6, "0.30", 3) == 0
    # Half up: 10 × 0.20 × 3/12 = 0.5 → 1 (not banker's rounding to 0).
    assert draw_count(10, "0.20", 3) == 1
    # Never more than the stratum: 3 × 1.0 × 12/12 = 3.
    assert draw_count(3, "1", 12) == 3
    result = draw_run(inputs(), seed=7)
    assert result["counts"] == {"D": 0, "C": 0, "B": 2, "A": 1, "ungraded": 0}
    drawn = result["random"]
    # B's two come before A's one (highest risk first); all distinct, all from their strata.
    assert len(drawn) == 3 and len(set(drawn)) == 3
    assert [x[0] for x in drawn] == ["B", "B", "A"]


def test_same_seed_same_list_other_seed_other_list():
    first = draw_run(inputs(), seed=2021)
    assert draw_run(inputs(), seed=2021) == first
    assert draw_replay(inputs(), 2021, first)
    # Over a few seeds the draw changes (it is random, not a fixed pick).
    assert len({tuple(draw_run(inputs(), seed=s)["random"]) for s in range(10)}) > 1
    # A changed stored result is caught by the replay.
    tampered = {**first, "random": list(reversed(first["random"]))}
    assert not draw_replay(inputs(), 2021, tampered)


def test_pairs_exclude_last_inspectors_and_balance_workload():
    # 5 items (2 due + 3 drawn) × 2 inspectors = 10 assignments over 5 inspectors: each gets
    # exactly 2 when nothing is excluded (fewest-so-far first).
    result = draw_run(inputs(), seed=3)
    loads = Counter(s for pair in result["pairs"].values() for s in pair)
    assert sorted(loads.values()) == [2, 2, 2, 2, 2]
    assert all(len(set(p)) == 2 for p in result["pairs"].values())
    # D1 was last inspected by S1 and S2: neither goes again.
    result = draw_run(inputs(exclude={"D1": ["S1", "S2"]}), seed=3)
    assert not {"S1", "S2"} & set(result["pairs"]["D1"])
    loads = Counter(s for pair in result["pairs"].values() for s in pair)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_too_few_inspectors_is_said_not_hidden():
    # Roster of 3, D1 barred S1 and S2: one left, fewer than 2 → unassigned with the reason.
    result = draw_run(inputs(roster=["S1", "S2", "S3"], exclude={"D1": ["S1", "S2"]}), seed=1)
    assert "D1" not in result["pairs"]
    assert "少于每次检查所需 2 人" in result["unassigned"]["D1"]
    assert "已排除上次检查人员 2 人" in result["unassigned"]["D1"]
