"""The real San Francisco inspection data through the sf_health profile, and its 2017 scorecard.

Every row of the three files arrives or is listed with its reason, and the scorecard's counts
for the indicators this data supports equal counts made here directly on the CSV files with
the csv module. The data lives in ../shared/data/sf-health-inspections beside the clone (as in
CI); without it the test is skipped.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from foodsafe.imports.profiles import load_profile
from foodsafe.imports.profiles.sf_data import SF_CODE, load_sf_data
from foodsafe.inspections.models import Finding, Inspection
from foodsafe.registry.models import FoodBusiness

REPO_ROOT = Path(__file__).resolve().parents[2]
SF_DIR = Path(REPO_ROOT).parent / "shared/data/sf-health-inspections"

pytestmark = pytest.mark.skipif(
    not (SF_DIR / "violations.csv").is_file(),
    reason=f"the real SF data is not at {SF_DIR} (shared/ beside the clone)",
)

#: What the data supports: the two-year coverage and the per-business monitoring figures.
SUPPORTED = {"biennial_inspection_coverage", "inspections_per_business", "findings_per_business"}


def _rows(name: str, encoding: str = "utf-8") -> list[dict[str, str]]:
    with (SF_DIR / name).open(encoding=encoding, newline="") as handle:
        return [{k: v.strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _expected() -> dict:
    """Counts made on the CSV files themselves, with the profile's documented rules."""
    businesses = _rows("businesses.csv", "cp1252")
    inspections = _rows("inspections.csv")
    violations = _rows("violations.csv")
    inspected = {(r["business_id"], r["date"]) for r in inspections}
    missing, repeats, kept = [], [], set()
    for number, row in enumerate(violations, start=2):  # row 1 is the header
        key = (row["business_id"], row["date"])
        if key not in inspected:
            missing.append(number)
        elif (*key, row["description"]) in kept:
            repeats.append(number)
        else:
            kept.add((*key, row["description"]))
    covered = {
        r["business_id"]
        for r in inspections
        if r["type"] == "routine" and "20160101" <= r["date"] <= "20171231"
    }
    return {
        "businesses": len(businesses),
        "inspections": len(inspections),
        "violations": len(violations),
        "missing": missing,
        "repeats": repeats,
        "biennial_inspection_coverage": (len(covered), len(businesses)),
        "inspections_per_business": (
            sum(r["date"].startswith("2017") for r in inspections),
            len(businesses),
        ),
        "findings_per_business": (sum(k[1].startswith("2017") for k in kept), len(businesses)),
    }


def test_score_bands_are_the_legend():
    fields = load_profile("sf_health").sources["inspections"].steps[0].fields
    assert fields["result"].bands is not None
    bands = [(b.min, b.max, b.label) for b in fields["result"].bands]
    legend = [
        (float(r["Minimum_Score"]), float(r["Maximum_Score"]), r["Description"])
        for r in _rows("legend.csv")
    ]
    assert bands == legend


def test_sf_real_data_import_and_2017_scorecard(db):
    expected = _expected()
    assert (expected["businesses"], expected["inspections"], expected["violations"]) == (
        6399,
        14233,
        39006,
    )

    load = load_sf_data(SF_DIR)

    # Every business and inspection arrives; every violation arrives or is listed with why.
    assert FoodBusiness.objects.filter(org_unit_id=SF_CODE).count() == 6399
    assert Inspection.objects.filter(business__org_unit_id=SF_CODE).count() == 14233
    findings = Finding.objects.filter(inspection__business__org_unit_id=SF_CODE).count()
    assert findings + len(load.rejected) == 39006
    assert (load.count("businesses"), load.count("inspections"), load.count("findings")) == (
        6399,
        14233,
        findings,
    )
    assert all(r.file == "violations.csv" and r.ledger == "findings" for r in load.rejected)
    by_check = {
        check: sorted(r.row for r in load.rejected if r.check == check)
        for check in {r.check for r in load.rejected}
    }
    assert by_check == {
        "require_existing[0]": expected["missing"],
        "drop_repeats": expected["repeats"],
    }
    assert (len(expected["missing"]), len(expected["repeats"])) == (932, 11)
    assert all(r.reason for r in load.rejected)
    # Two inspections of one business on one day are both kept, the second numbered -2.
    assert Inspection.objects.filter(inspection_number__endswith="-2").count() == 3
    assert FoodBusiness.objects.get(registry_number="SF-75448").name == "LAGUNA CAFÉ"

    # The scorecard through the command, as a user runs it.
    out = StringIO()
    call_command("assess", "--org", SF_CODE, "--period", "2017", "--format", "json", stdout=out)
    card = json.loads(out.getvalue())
    assert card["period"]["start"] == str(date(2017, 1, 1))
    indicators = {i["code"]: i for i in card["indicators"]}
    for code in SUPPORTED:
        numerator, denominator = expected[code]
        shown = indicators[code]
        assert (shown["numerator"], shown["denominator"]) == (numerator, denominator), code
        factor = 100 if code == "biennial_inspection_coverage" else 1
        value = (Decimal(numerator * factor) / Decimal(denominator)).quantize(Decimal("0.01"))
        assert Decimal(str(shown["value"])) == value, code
    assert indicators["biennial_inspection_coverage"]["status"] == "not_met"  # target ≥ 100%
    assert indicators["inspections_per_business"]["status"] == "info"
    assert indicators["findings_per_business"]["status"] == "info"
    for code, shown in indicators.items():
        if code in SUPPORTED:
            continue
        # No ledger behind it (no sampling, complaints, … for San Francisco): 无数据, never
        # 0 and 未达标 — the sampling indicators included, whose population is loaded.
        assert shown["status"] == "no_data", (code, shown["status"], shown["numerator"])

    # Importing the same files again changes nothing.
    again = load_sf_data(SF_DIR)
    assert all(r.added == r.updated == 0 for p in again.results for r in p.results)
    assert len(again.rejected) == len(load.rejected)
