"""Risk-grading inputs of a synthetic jurisdiction (合成数据): static factors and checklists.

- Static factors (静态风险因素) for a share of the businesses, on the table the grading spec in
  force gives their sector and format; each factor drawn from the table itself (a band, then a
  value inside it; an option; a yes/no), so a province's tables generate as well as ours.
- The checklist (监督检查要点记录) of each business's latest full-checklist inspection (the one
  grading uses): failed items consistent with the inspection's result under the spec's result
  rule (符合: none; 基本符合: 1 … n−1 general items; 不符合: a key item and some general ones),
  the dynamic score their points give, two inspectors, a signature or (2 %) a refusal, and
  (0.2 %) obstruction.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import numpy as np

from foodsafe.inspections.models import Inspection
from foodsafe.registry.models import FoodBusiness
from foodsafe.riskgrading.models import Checklist, StaticFactors
from foodsafe.riskgrading.spec import GradingSpec, StaticItem

from .tables import Table

#: Share of businesses with a static-factor record [I]; the rest are graded from their format.
STATIC_RECORD_SHARE = 0.8
REFUSED_SHARE = 0.02
OBSTRUCTED_SHARE = 0.002
RECORDED_AT = "2021-12-31 08:00:00+00:00"


def _factor_value(rng: np.random.Generator, item: StaticItem) -> Any:
    if item.kind == "flag":
        return bool(rng.random() < 0.4)
    if item.kind == "choice":
        return (
            [item.options[int(rng.integers(len(item.options)))].code]
            if item.multiple
            else (item.options[int(rng.integers(len(item.options)))].code)
        )
    k = int(rng.integers(len(item.bands)))
    top = item.bands[k].max
    bottom = item.bands[k - 1].max if k else None
    lo = float(bottom) + 1 if bottom is not None else 0.0
    hi = float(top) if top is not None else max(lo * 2, lo + 10)
    value = lo + rng.random() * max(hi - lo, 0)
    return int(round(value)) if item.integer else round(value, 1)


def generate_static_factors(
    rng: np.random.Generator, spec: GradingSpec, businesses: Table
) -> Table:
    sectors = businesses.columns["sector"]
    formats = businesses.columns["business_format"]
    chosen = np.flatnonzero(rng.random(len(sectors)) < STATIC_RECORD_SHARE)
    rows, tables, values = [], [], []
    for row in chosen.tolist():
        table = spec.static_table_for(sectors[row], formats[row])
        if table is None:
            continue
        rows.append(row)
        tables.append(table.code)
        values.append(
            json.dumps(
                {item.code: _factor_value(rng, item) for item in table.items}, ensure_ascii=False
            )
        )
    n = len(rows)
    return Table(
        StaticFactors,
        {
            "id": np.arange(n),
            "business_id": np.asarray(rows, dtype=np.int64),
            "table": tables,
            "values": values,
            "recorded_on": np.full(n, np.datetime64("2021-01-01", "D")),
            # score_inputs and scored_under are left to their defaults (no cached static score:
            # the first grading scores each record and caches it); the writer writes a JSON
            # default as JSON text.
        },
        fks={"business_id": FoodBusiness._meta.db_table},
    )


def generate_checklists(
    rng: np.random.Generator, spec: GradingSpec, businesses: Table, inspections: Table
) -> Table:
    cols = inspections.columns
    business = np.asarray(cols["business_id"])
    day = np.asarray(cols["inspected_on"])
    full = np.asarray(cols["full_checklist"])
    result = np.asarray(cols["result"], dtype=object)
    candidates = np.flatnonzero(full & (result != "not_scored"))
    order = candidates[np.lexsort((day[candidates], business[candidates]))]
    last = np.r_[business[order][1:] != business[order][:-1], True] if len(order) else order
    latest = order[last.astype(bool)] if len(order) else order
    sectors = businesses.columns["sector"]
    rule = spec.result_rule
    by_sector = {}
    for sector in ("production", "sales", "catering"):
        checklist = spec.checklist_for(sector)
        if checklist is not None:
            keys = [i for i in checklist.items if i.key]
            general = [i for i in checklist.items if not i.key]
            by_sector[sector] = (checklist, keys, general)
    inspector_names = cols.get("inspectors") or [""] * len(business)
    out: dict[str, list[Any]] = {k: [] for k in (
        "inspection_id", "checklist", "answers", "dynamic_score", "key_failed", "general_failed",
        "inspector_1", "inspector_1_badge", "inspector_2", "inspector_2_badge", "signed_by",
        "refused", "refusal_note", "obstructed",
    )}  # fmt: skip
    for row in latest.tolist():
        sector = sectors[business[row]]
        if sector not in by_sector:
            continue
        checklist, keys, general = by_sector[sector]
        if result[row] == "compliant":
            n_key, n_general = 0, 0
        elif result[row] == "rectify":
            n_key = 0
            n_general = int(min(1 + rng.poisson(1.5), rule.noncompliant_general - 1, len(general)))
        else:
            n_key = int(min(1 + (rng.random() < 0.3), len(keys)))
            n_general = int(min(rng.poisson(2), len(general)))
        failed = (
            {keys[i].code for i in rng.choice(len(keys), n_key, replace=False)} if n_key else set()
        )
        if n_general:
            failed |= {general[i].code for i in rng.choice(len(general), n_general, replace=False)}
        points = sum((i.points for i in checklist.items if i.code in failed), Decimal(0))
        answers = {
            i.code: {"answer": "no", "note": "合成数据：不符合"}
            if i.code in failed
            else {"answer": "yes"}
            for i in checklist.items
        }
        names = [x for x in str(inspector_names[row]).split("、") if x]
        first = names[0] if names else "合成检查员一"
        second = names[1] if len(names) > 1 and names[1] != first else f"{first}（同组）"
        refused = bool(rng.random() < REFUSED_SHARE)
        out["inspection_id"].append(row)
        out["checklist"].append(checklist.code)
        out["answers"].append(json.dumps(answers, ensure_ascii=False))
        out["dynamic_score"].append(float(min(points, spec.scale.dynamic_max)))
        out["key_failed"].append(n_key)
        out["general_failed"].append(n_general)
        out["inspector_1"].append(first[:40])
        out["inspector_1_badge"].append(f"S{row:09d}A")
        out["inspector_2"].append(second[:40])
        out["inspector_2_badge"].append(f"S{row:09d}B")
        out["signed_by"].append("" if refused else "合成负责人")
        out["refused"].append(refused)
        out["refusal_note"].append("合成数据：拒绝签字，两名检查人员见证" if refused else "")
        out["obstructed"].append(bool(rng.random() < OBSTRUCTED_SHARE))
    n = len(out["inspection_id"])
    return Table(
        Checklist,
        {
            "id": np.arange(n),
            "inspection_id": np.asarray(out.pop("inspection_id"), dtype=np.int64),
            "scheme": [spec.label] * n,
            "dynamic_score": np.asarray(out.pop("dynamic_score"), dtype=float),
            "key_failed": np.asarray(out.pop("key_failed"), dtype=np.int64),
            "general_failed": np.asarray(out.pop("general_failed"), dtype=np.int64),
            "refused": np.asarray(out.pop("refused"), dtype=bool),
            "obstructed": np.asarray(out.pop("obstructed"), dtype=bool),
            "recorded_at": [RECORDED_AT] * n,
            **out,
        },
        fks={"inspection_id": Inspection._meta.db_table},
    )
