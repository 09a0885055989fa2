"""Which targets are judged on the year (spec ``cycle: year``, h-newuser3 N2): the spec, the
docs table and the item status agree."""

from __future__ import annotations

import re
from pathlib import Path

from foodsafe.scorecard.engine import _item_status
from foodsafe.scorecard.results import Status

from .conftest import full_spec

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scorecard.md"


def test_the_docs_table_lists_every_targeted_indicator_with_the_specs_cycle():
    """docs/scorecard.md "Cycles" names each indicator with a target once, with the cycle the
    spec gives it (the choice is a reading [I], so it is stated, not hidden in code)."""
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("### Cycles")[1].split("\n\n")[1]
    documented: dict[str, str] = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        for code in re.findall(r"([a-z_]+)(?:,| \()", cells[0]):
            documented[code] = cells[1].strip("*")
    for ind in full_spec().indicators:
        if ind.target is None:
            continue
        assert documented.get(ind.code) == ind.cycle, ind.code
    # The five judged on the year (the decisions of h-newuser3 N2).
    assert sorted(i.code for i in full_spec().indicators if i.cycle == "year") == [
        "grain_monitoring_coverage",
        "self_inspection_report_rate",
        "small_operator_inspection_coverage",
        "surveillance_sampling_coverage",
        "training_coverage",
    ]


def test_no_pro_rated_indicator_is_also_judged_on_the_year():
    """An indicator pro-rated by its own reading (``annualised``) keeps its verdict in a part
    of the year: it cannot be ``cycle: year`` as well."""
    for ind in full_spec().indicators:
        assert not (ind.annualised and ind.cycle == "year"), ind.code


def test_an_item_with_a_yearly_indicator_is_judged_on_the_year():
    """达标 + 按年度判定 → 按年度判定 (never 达标 on a part of the year); 未达标, 无数据 and
    不完整 still come first; evidence missing does not make it 待核验材料 before the year."""
    assert _item_status([Status.MET, Status.ANNUAL]) is Status.ANNUAL
    assert _item_status([Status.ANNUAL, Status.NOT_MET]) is Status.NOT_MET
    assert _item_status([Status.ANNUAL, Status.NO_DATA]) is Status.NO_DATA
    assert _item_status([Status.ANNUAL, Status.INCOMPLETE]) is Status.INCOMPLETE
    assert _item_status([Status.ANNUAL], missing_evidence=["x"]) is Status.ANNUAL
