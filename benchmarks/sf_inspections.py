"""San Francisco's inspection files (../shared/data/sf-health-inspections) as operator histories
for the replay benchmark: read straight from the CSVs, kept apart from the app's ledger reads
(foodsafe.riskrank.selectors), and mapped onto the same records the app's features read.

Mapping (docs/inspection-order.md): routine inspections with a score only (SF scores routine
visits; the one complaint visit has none); result from the legend's bands as the ``sf_health``
import profile maps them (≤ 70 不符合, 71–85 限期整改, above 符合); each violation's severity
from foodsafe/riskrank/severity.yaml; the format (业态) from words in the business's name (the
files have no format; everything else is 餐馆); no grades, complaints, sampling or opening dates
(the files have none), so those features are constant and carry no weight.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from foodsafe.riskrank.history import OperatorHistory, PastInspection
from foodsafe.riskrank.severity import severity_spec

SF_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "sf-health-inspections"
SF_UNIT = "990000000000"
#: Words in an SF business name → our format (业态); first match wins, default 餐馆.
NAME_FORMATS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("school_canteen", ("SCHOOL", "ACADEMY", "PRESCHOOL", "CHILD")),
    ("central_kitchen", ("CATERING", "COMMISSARY")),
    ("workplace_canteen", ("CAFETERIA", "HOSPITAL", "HOTEL", "PANTRY")),
    ("supermarket", ("SAFEWAY", "WHOLE FOODS", "TRADER JOE", "SUPERMARKET", "WALGREENS")),
    ("grocery", ("MARKET", "GROCERY", "LIQUOR", "MART", "DELI")),
    ("food_stall", ("CART", "TRUCK", "KIOSK", "STAND")),
    (
        "small_eatery",
        ("CAFE", "COFFEE", "TEA", "STARBUCKS", "BAKERY", "DONUT", "JUICE", "ICE CREAM", "PEET"),
    ),
)


def name_format(name: str) -> str:
    upper = f" {name.upper()} "
    for fmt, words in NAME_FORMATS:
        if any(w in upper for w in words):
            return fmt
    return "restaurant"


def band_result(score: int) -> str:
    """legend.csv's bands as the sf_health profile maps them."""
    if score <= 70:
        return "noncompliant"
    if score <= 85:
        return "rectify"
    return "compliant"


def _day(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


@dataclass(frozen=True)
class SfData:
    histories: dict[int, OperatorHistory]


def load_sf(directory: Path = SF_DIR) -> SfData:
    """Every business with at least one scored routine inspection, its inspections oldest
    first. ``FileNotFoundError`` names the missing file."""
    spec = severity_spec()
    with open(directory / "businesses.csv", encoding="cp1252", newline="") as f:
        names = {int(r["business_id"]): r["name"] for r in csv.DictReader(f)}
    findings: dict[tuple[int, date], dict[str, int]] = defaultdict(
        lambda: {"high": 0, "moderate": 0, "low": 0}
    )
    with open(directory / "violations.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            text = r["description"].split("[")[0].strip()
            findings[int(r["business_id"]), _day(r["date"])][spec.classify(text)] += 1
    visits: dict[int, list[PastInspection]] = defaultdict(list)
    with open(directory / "inspections.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["type"] != "routine" or not r["score"].strip():
                continue
            b, on, score = int(r["business_id"]), _day(r["date"]), int(r["score"])
            c = findings.get((b, on), {})
            visits[b].append(
                PastInspection(
                    on=on,
                    result=band_result(score),
                    score=score,
                    high=c.get("high", 0),
                    moderate=c.get("moderate", 0),
                    low=c.get("low", 0),
                )
            )
    return SfData(
        histories={
            b: OperatorHistory(
                operator_id=b,
                name=names.get(b, str(b)),
                business_format=name_format(names.get(b, "")),
                org_unit=SF_UNIT,
                inspections=tuple(sorted(v, key=lambda i: i.on)),
            )
            for b, v in visits.items()
        }
    )
