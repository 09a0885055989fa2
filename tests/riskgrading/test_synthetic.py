"""The synthetic generator's checklists and static factors agree with the grading spec: each
checklist's stored score and failed counts are what the spec's rule gives for its answers, and
the result so derived is the inspection's result; each static record scores on its table."""

from __future__ import annotations

import json
from decimal import Decimal

from foodsafe.riskgrading.scoring import dynamic_score, static_score
from foodsafe.synthetic.services import synthetic_build

from .helpers import national


def test_generated_checklists_follow_the_rule():
    spec = national()
    ds = synthetic_build(population=30_000, seed=5)
    inspections = ds.tables["inspections_inspection"].columns
    checklists = ds.tables["riskgrading_checklist"].columns
    assert len(checklists["checklist"]) > 100
    business_of = inspections["business_id"]
    # one checklist per business: its latest full-checklist inspection
    owners = [business_of[i] for i in checklists["inspection_id"].tolist()]
    assert len(owners) == len(set(owners))
    for n, row in enumerate(checklists["inspection_id"].tolist()):
        answers = {k: v["answer"] for k, v in json.loads(checklists["answers"][n]).items()}
        scored = dynamic_score(spec, spec.checklist(checklists["checklist"][n]), answers)
        assert Decimal(str(checklists["dynamic_score"][n])) == scored.points
        assert (scored.key_failed, scored.general_failed) == (
            checklists["key_failed"][n],
            checklists["general_failed"][n],
        )
        assert scored.result == inspections["result"][row]
        assert inspections["full_checklist"][row]
    statics = ds.tables["riskgrading_staticfactors"].columns
    for table, values in zip(statics["table"], statics["values"], strict=True):
        assert static_score(spec.static_table(table), json.loads(values)).points <= 40
