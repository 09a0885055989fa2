"""The example district: generated files go through the real import path and show the gaps.

The figures are counted straight from the ledger tables with the formulas in ``figures.py``,
not through the scorecard engine.
"""

from __future__ import annotations

import pytest

from foodsafe.example.generate import generate_example_district
from foodsafe.imports.models import ImportLog
from foodsafe.imports.services import directory_import
from foodsafe.orgunits.models import OrgUnit, Population
from foodsafe.registry.models import FoodBusiness

from .figures import figures

DISTRICT = "120101000000"
WEAK = "120101006000"  # 南市街道
SUBDISTRICTS = (
    "120101001000",
    "120101002000",
    "120101003000",
    "120101004000",
    "120101005000",
    WEAK,
)


def load(tmp_path, population: int) -> dict[str, int]:
    out = tmp_path / f"district-{population}"
    counts = generate_example_district(out=out, population=population, seed=2021)
    results = directory_import(directory=out)
    assert {r.ledger: r.added for r in results} == counts
    assert all(r.updated == 0 and r.unchanged == 0 for r in results)
    return counts


def assert_common(f: dict) -> None:
    """What holds at any size: the targets met and missed on purpose."""
    assert f["sampling_per_1000"] == pytest.approx(3.6, abs=0.01)  # not met (≥ 4)
    assert f["rapid_tests"] > 0  # generated, not counted
    assert f["residue_per_1000"] == pytest.approx(2.2, abs=0.01)  # met (≥ 2)
    assert f["evaluation_pass_rate"] >= 98.0  # met
    assert f["cells_covered"] == 11  # every surveillance coverage cell
    assert f["satisfaction"] == pytest.approx(84, abs=0.5)  # met (≥ 80)
    assert f["awareness"] == pytest.approx(88, abs=0.5)  # met (≥ 85)
    assert 95.0 <= f["on_time_rate"] < 98.0  # not met (≥ 98)
    assert f["canteens_without_bright_kitchen"] == 2  # not met (100%)
    assert f["spring_term_start_missed"] == 0
    assert f["autumn_term_start_missed"] == 1  # not met (100%)
    assert 96.0 <= f["inspection_coverage"] < 100.0  # not met (every 2 years)
    assert f["grain_monitored"] == pytest.approx(27, abs=0.1)  # met (≥ 25%)
    assert f["grain_problems"] >= 1 and f["grain_problems_handled"] == f["grain_problems"]
    assert 70.0 <= f["professional_share"] <= 80.0  # met (≥ 70%)
    assert f["training_coverage"] == 100.0  # met
    assert f["under_40_hours"] >= 1  # not met (≥ 40 学时 each)
    assert f["filing_rate"] == 100.0 and f["closing_rate"] == 100.0
    assert f["self_report_rate"] == 100.0
    assert f["responses"] == 1200


def assert_example_marked() -> None:
    units = OrgUnit.objects.all()
    assert units.count() == 9
    assert all(u.is_example and u.name.endswith("（示例）") for u in units)
    assert not FoodBusiness.objects.exclude(name__contains="示例").exists()


@pytest.mark.django_db
def test_small_district_imports_and_shows_the_gaps(tmp_path):
    counts = load(tmp_path, 35_000)
    assert counts["businesses"] == 140  # 4 per 1,000
    assert_example_marked()
    assert Population.objects.get(org_unit_id=DISTRICT, year=2021).resident_population == 35_000
    assert (
        sum(
            Population.objects.filter(org_unit_id__in=SUBDISTRICTS, year=2021).values_list(
                "resident_population", flat=True
            )
        )
        == 35_000
    )
    f = figures(DISTRICT)
    assert_common(f)
    assert f["batches"] == 126
    assert ImportLog.objects.count() == len(counts)

    # The gaps sit in the weak subdistrict.
    weak = figures(WEAK)
    assert weak["canteens_without_bright_kitchen"] == 2
    assert weak["autumn_term_start_missed"] == 1
    # Liability insurance (issue 19): the weak subdistrict's uninsured canteen, and one
    # group-meal distributor whose policy lapsed on 2021-10-31.
    assert weak["uninsured"] >= 1
    assert f["uninsured"] == 2


def test_generating_twice_gives_identical_files(tmp_path):
    first = tmp_path / "a"
    second = tmp_path / "b"
    generate_example_district(out=first, population=35_000, seed=2021)
    generate_example_district(out=second, population=35_000, seed=2021)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert "manifest.json" in names and "README.txt" in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert "示例数据 / EXAMPLE DATA" in (first / "README.txt").read_text(encoding="utf-8")
    other = tmp_path / "c"
    generate_example_district(out=other, population=35_000, seed=7)
    assert (other / "03_businesses.xlsx").read_bytes() != (
        first / "03_businesses.xlsx"
    ).read_bytes()


@pytest.mark.slow
@pytest.mark.django_db
def test_default_district_headline_figures(tmp_path):
    """The default 355,000 residents: the figures the README and the docstring promise."""
    counts = load(tmp_path, 355_000)
    assert counts["businesses"] == 1420
    assert counts["surveys"] == 1200
    f = figures(DISTRICT)
    assert_common(f)
    assert f["batches"] == 1278  # 3.6 × 355
    assert f["evaluation_pass_rate"] == pytest.approx(98.5, abs=0.1)
    assert f["on_time_rate"] == pytest.approx(96, abs=0.3)
    assert f["inspection_coverage"] == pytest.approx(97, abs=0.2)
    assert f["professional_share"] == pytest.approx(75, abs=0.5)

    # Drill-down: the weak subdistrict is clearly behind the others.
    by_unit = {code: figures(code) for code in SUBDISTRICTS}
    weak = by_unit.pop(WEAK)
    for other in by_unit.values():
        assert weak["on_time_rate"] < other["on_time_rate"]
        assert weak["satisfaction"] < other["satisfaction"]
        assert weak["sampling_per_1000"] < other["sampling_per_1000"]
        assert other["canteens_without_bright_kitchen"] == 0
    assert weak["inspection_coverage"] == min(
        [weak["inspection_coverage"], *(o["inspection_coverage"] for o in by_unit.values())]
    )
