"""The allocation rule on plain inputs, worked by hand (RULES-supervision.md §2.3 [I])."""

from __future__ import annotations

from decimal import Decimal

from foodsafe.sampling.categories import category_tree
from foodsafe.samplingplan.allocate import (
    Cell,
    Floor,
    PlanInputs,
    allocate,
    allocate_with_floor,
    apportion,
    targets,
    totals,
)
from foodsafe.samplingplan.spec import load_sampling_plan_spec

SPEC = load_sampling_plan_spec()


def test_apportion_largest_remainder():
    # 10 over three equal weights: 3.33 each → 3, 3, 3 and the one left to the first key.
    assert apportion(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    # 7 over 1:2:4 → exactly 1, 2, 4.
    assert apportion(7, {"x": 1, "y": 2, "z": 4}) == {"x": 1, "y": 2, "z": 4}
    # 5 over 0.6:0.4 → 3, 2; nothing to split → zeros.
    assert apportion(5, {"p": 0.6, "q": 0.4}) == {"p": 3, "q": 2}
    assert apportion(0, {"p": 1}) == {"p": 0}


def test_targets_round_up():
    # 第13条: 4 and 2 per 1,000. 12,345 residents → 49.38 → 50 and 24.69 → 25.
    assert targets(SPEC, 12_345) == (50, 25)
    assert targets(SPEC, 10_000) == (40, 20)


CELLS = (
    Cell("production", "manufacturer", 2, 2.0),
    Cell("circulation", "supermarket", 10, 12.0),
    Cell("circulation", "produce_market", 3, 3.0),
    Cell("catering", "restaurant", 20, 25.0),
    Cell("catering", "school_canteen", 4, 4.0),
    Cell("online", "ordering_platform", 1, 1.0),
)


def test_plan_reaches_targets_and_every_cell():
    inputs = PlanInputs(population=10_000, cells=CELLS)
    lines = allocate(SPEC, category_tree(), inputs)
    t = totals(lines, inputs.population, inputs.cells)
    # 10,000 residents: 40 batches (4/1,000), of which 20 residue (2/1,000). The six cells need
    # at most six batches of the 40 − 20 = 20 left after the residue reserve, so the cell
    # minimum forces nothing above the target: exactly 40, 4.00 per 1,000.
    assert t.batches == 40 and t.per_thousand == Decimal("4.00")
    assert t.residue_batches == 20 and t.residue_per_thousand == Decimal("2.00")
    assert (t.cells_covered, t.cells, t.coverage) == (6, 6, Decimal("100.0"))
    tree = category_tree()
    for line in lines:
        if line.residue:
            # Residue batches only go to 亚类 with residue-bearing 细类 below them.
            assert tree.residue_bearing(line.category_code)
        # 餐饮食品 (31) is never planned at production; 食用农产品 (32) never at production.
        if line.stage == "production":
            assert line.category_code[:2] not in ("31", "32")
    # Monthly plan: every line within one month; odd batches go round robin over the months,
    # so the monthly totals differ by one at most.
    assert all(line.month_from == line.month_to for line in lines)
    per_month = [sum(ln.batches for ln in lines if ln.month_from == m) for m in range(1, 13)]
    assert max(per_month) - min(per_month) <= 1


def test_residue_reserve_split_by_weights():
    inputs = PlanInputs(population=10_000, cells=CELLS)
    lines = allocate(SPEC, category_tree(), inputs)
    residue: dict[str, int] = {}
    for line in lines:
        if line.residue:
            residue[line.category_code] = residue.get(line.category_code, 0) + line.batches
    # 20 residue batches by weights 35:20:20:15:10:2:2 (sum 104): 蔬菜 6.73, 水果 3.85,
    # 畜禽肉 3.85, 水产品 2.88, 鲜蛋 1.92, 蜂蜜 0.38, 茶叶 0.38 → floors 6+3+3+2+1+0+0 = 15,
    # the 5 left by largest remainder: 鲜蛋 .92, 水产品 .88, 水果/畜禽 .85 (ties by code:
    # 3201 then 3204), 蔬菜 .73.
    assert residue == {"3202": 7, "3204": 4, "3201": 4, "3203": 3, "3205": 2}


def test_failure_rate_tilts_the_weights():
    base = PlanInputs(population=100_000, cells=CELLS)
    # 糕点 (24) failed 10 of 100 last year against 12 of 1,000 overall: rate ratio 0.1/0.012
    # = 8.3, tilt 1 + 0.5 × 7.3 capped at 2.0 → 糕点 gets about twice its share.
    tilted = PlanInputs(population=100_000, cells=CELLS, failures={"24": (10, 100), "01": (2, 900)})

    def count(inputs: PlanInputs, top: str) -> int:
        lines = allocate(SPEC, category_tree(), inputs)
        return sum(ln.batches for ln in lines if ln.category_code == top)

    before, after = count(base, "24"), count(tilted, "24")
    assert 1.8 * before <= after <= 2.1 * before


def test_small_district_hits_the_target_unless_the_cells_force_more():
    """1,000 residents and the six cells above, worked by hand (issue 15: a small district
    overshot the per-1,000 target because every cell and every 大类 took a batch on top).

    Targets: ceil(4 × 1) = 4 batches, ceil(2 × 1) = 2 residue.
    Residue: 2 over the weights 35:20:20:15:10:2:2 (sum 104) → exact 0.67, 0.38, 0.38, … all
    floor to 0; the two go to 蔬菜 3202 (.67) and, of the tied 3201/3204 (.38), 3201 (key order).
    Each goes to the heaviest cell that samples 食用农产品 (32): 餐馆 (25 of 12 + 3 + 25 + 4),
    so 餐馆 holds two; one moves to the heaviest cell with none that samples 32, 超市 (12):
    the residue reserve now covers 2 cells.
    The other 4 cells need a batch each (100 % coverage is a hard rule): 生产/食品生产企业 takes
    粮食加工品 (01, the heaviest 大类 allowed at production), 农产品市场 and 学校食堂 食用农产品
    (32), 网络订餐 餐饮食品 (31). Only 4 − 2 = 2 batches are left for them, so the plan holds
    2 + 4 = 6 batches: 6.00 per 1,000, 2 above the target, and the preview says why.
    """
    inputs = PlanInputs(population=1_000, cells=CELLS)
    lines, floor = allocate_with_floor(SPEC, category_tree(), inputs)
    t = totals(lines, inputs.population, inputs.cells)
    assert (t.batches, t.per_thousand) == (6, Decimal("6.00"))
    assert (t.residue_batches, t.residue_per_thousand) == (2, Decimal("2.00"))
    assert (t.cells_covered, t.cells) == (6, 6)
    assert floor == Floor(cells=6, uncovered=4, budget=2) and floor.over == 2
    by_cell: dict[tuple[str, str, str, bool], int] = {}
    for ln in lines:
        key = (ln.category_code, ln.stage, ln.business_format, ln.residue)
        by_cell[key] = by_cell.get(key, 0) + ln.batches
    assert by_cell == {
        ("3202", "catering", "restaurant", True): 1,
        ("3201", "circulation", "supermarket", True): 1,
        ("01", "production", "manufacturer", False): 1,
        ("32", "circulation", "produce_market", False): 1,
        ("32", "catering", "school_canteen", False): 1,
        ("31", "online", "ordering_platform", False): 1,
    }


def test_the_example_sized_district_lands_on_the_target():
    """20,345 residents (tests/samplingplan/conftest.py's district) had 107 batches, 5.26 per
    1,000, when every 大类 and cell took one on top. Targets ceil(81.38) = 82 and
    ceil(40.69) = 41; six cells need at most 6 of the 82 − 41 = 41 left: exactly 82."""
    inputs = PlanInputs(population=20_345, cells=CELLS)
    lines, floor = allocate_with_floor(SPEC, category_tree(), inputs)
    t = totals(lines, inputs.population, inputs.cells)
    assert (t.batches, t.residue_batches, t.cells_covered) == (82, 41, 6)
    assert t.per_thousand == Decimal("4.03") and floor.over == 0
