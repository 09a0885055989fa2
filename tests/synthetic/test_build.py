"""The generated tables follow the documented ratios (foodsafe/synthetic/ratios.py).

Ranges are the documented ratio ± sampling noise for 40,000 residents.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from stdnum.cn import uscc

from foodsafe.complaints.services import complaint_deadlines
from foodsafe.synthetic.geography import build_geography, shape_for, top_code
from foodsafe.synthetic.services import synthetic_build
from foodsafe.synthetic.workdays import WorkingDays
from foodsafe.workdays.calendar import seed_calendar

from .conftest import POPULATION, SEED

K = POPULATION / 1000


def col(ds, table, column):
    return ds.tables[table].columns[column]


def in_year(days, year):
    days = np.asarray(days, dtype="datetime64[D]")
    return (days >= np.datetime64(f"{year}-01-01")) & (days <= np.datetime64(f"{year}-12-31"))


def test_population_sums_to_n_at_every_level(dataset):
    codes = col(dataset, "orgunits_orgunit", "code")
    parents = dict(zip(codes, col(dataset, "orgunits_orgunit", "parent_code"), strict=True))
    pops = {}
    for c, y, p in zip(
        col(dataset, "orgunits_population", "org_unit_code"),
        col(dataset, "orgunits_population", "year").tolist(),
        col(dataset, "orgunits_population", "resident_population").tolist(),
        strict=True,
    ):
        pops[(c, y)] = p
    for year in (2020, 2021):
        assert pops[(dataset.code, year)] == POPULATION
        children = Counter()
        for c, parent in parents.items():
            if parent:
                children[parent] += pops[(c, year)]
        for parent, total in children.items():
            assert pops[(parent, year)] == total


def test_org_units_are_synthetic_examples(dataset):
    assert dataset.shape == "district"
    assert dataset.code.startswith("91") and dataset.code.endswith("000000")
    assert all(c.startswith(dataset.prefix) for c in col(dataset, "orgunits_orgunit", "code"))
    assert all(n.endswith("（合成）") for n in col(dataset, "orgunits_orgunit", "name"))
    assert col(dataset, "orgunits_orgunit", "is_example").all()
    assert len(dataset.tables["orgunits_orgunit"]) == 1 + 2  # the district and 2 subdistricts


def test_businesses_per_thousand_formats_and_risk(dataset):
    n = len(dataset.tables["registry_foodbusiness"])
    assert 13 * K <= n <= 17 * K  # ~15 per 1,000
    formats = Counter(col(dataset, "registry_foodbusiness", "business_format"))
    sectors = Counter(col(dataset, "registry_foodbusiness", "sector"))
    assert sectors.most_common(1)[0][0] == "catering"
    assert 0.3 * K <= formats["school_canteen"] <= 0.7 * K  # 1 per 2,000
    for fmt in ("chain_hq", "large_wholesaler", "wholesale_market"):
        assert formats[fmt] >= 1
    risk = Counter(col(dataset, "registry_foodbusiness", "risk_level"))
    for level, share in zip("ABCD", (0.40, 0.35, 0.20, 0.05), strict=True):
        assert abs(risk[level] / n - share) < 0.04
    codes = [u for u in col(dataset, "registry_foodbusiness", "uscc") if u]
    assert len(set(codes)) == len(codes)
    assert all(uscc.is_valid(u) for u in codes[:500])
    licences = [x for x in col(dataset, "registry_foodbusiness", "licence_number") if x]
    assert len(set(licences)) == len(licences)


def test_inspections_follow_risk_frequencies(dataset):
    business = col(dataset, "inspections_inspection", "business_id")
    kind = np.asarray(col(dataset, "inspections_inspection", "inspection_type"))
    risk = np.asarray(col(dataset, "registry_foodbusiness", "risk_level"))
    routine = business[
        (kind == "routine") & in_year(col(dataset, "inspections_inspection", "inspected_on"), 2021)
    ]
    per_level = Counter(risk[routine])
    levels = Counter(risk)
    # A ≥1 per 2 years, B 1, C 2, D 3 a year (less new and closed businesses and 2 % not done)
    for level, freq in zip("ABCD", (0.5, 1, 2, 3), strict=True):
        assert 0.75 * freq <= per_level[level] / levels[level] <= 1.05 * freq
    full = np.asarray(col(dataset, "inspections_inspection", "full_checklist"))
    assert full[kind == "routine"].mean() > 0.9
    assert (kind == "term_start").sum() > 0 and (kind == "follow_up").sum() > 0


def test_sampling_volume_types_residues_and_pass_rate(dataset):
    sampled = col(dataset, "sampling_samplingbatch", "sampled_on")
    stype = np.asarray(col(dataset, "sampling_samplingbatch", "sampling_type"))
    y21 = in_year(sampled, 2021)
    assert 4 * K <= y21.sum() <= 6.5 * K  # 4–6 batches per 1,000 in 2021
    assert 0.15 <= (stype == "evaluation").mean() <= 0.25
    items = dataset.tables["sampling_testitem"].columns
    residue = np.isin(items["category"], ["pesticide_residue", "vet_drug_residue"])
    residue_batches = np.unique(items["batch_id"][residue])
    assert 0.33 <= len(residue_batches) / len(sampled) <= 0.5
    conclusion = np.asarray(col(dataset, "sampling_samplingbatch", "conclusion"))
    decided = conclusion != "pending"
    assert 0.96 <= (conclusion[decided] == "conforming").mean() <= 0.995
    names = col(dataset, "sampling_samplingbatch", "sample_number")
    assert len(set(names)) == len(names)
    pairs = list(zip(items["batch_id"].tolist(), items["name"], strict=True))
    assert len(set(pairs)) == len(pairs)


def test_complaints_rate_and_deadlines(dataset):
    c = dataset.tables["complaints_complaint"].columns
    for year in (2020, 2021):
        assert 2.4 * K <= in_year(c["received_on"], year).sum() <= 3.6 * K
    assert 0.6 <= np.mean(c["is_food"]) <= 0.8
    for i in range(len(c["received_on"])):
        decided = c["decided_on"][i]
        expected = complaint_deadlines(
            calendar=seed_calendar(),
            received_on=c["received_on"][i].item(),
            decision=c["decision"][i],
            decided_on=None if np.isnat(decided) else decided.item(),
            suspended_working_days=int(c["suspended_working_days"][i]),
        )
        closing = c["closing_due_on"][i]
        assert (
            c["acceptance_due_on"][i].item(),
            None if np.isnat(closing) else closing.item(),
        ) == expected
    snapshot = np.datetime64("2021-12-31")
    for column in ("decided_on", "closed_on"):
        days = c[column][~np.isnat(c[column])]
        assert (days <= snapshot).all()


def test_staff_training_schools_grain_surveys(dataset):
    staff = dataset.tables["workforce_staffmember"].columns
    food = staff["is_food_inspector"].sum()
    expected = POPULATION / 3000  # ~1 per 3,000 residents (Poisson: ± 3 sd)
    assert abs(food - expected) <= 3 * expected**0.5
    assert 0.6 <= staff["is_professional"][staff["is_food_inspector"]].mean() <= 0.9
    hours = dataset.tables["workforce_trainingrecord"].columns["class_hours"]
    assert (hours > 0).all()
    canteens = len(dataset.tables["schools_schoolcanteen"])
    formats = Counter(col(dataset, "registry_foodbusiness", "business_format"))
    assert canteens == formats["school_canteen"]
    responses = in_year(col(dataset, "surveys_surveyresponse", "responded_on"), 2021).sum()
    assert 280 <= responses <= 320  # ~300 per district
    assert len(dataset.tables["grain_grainstock"]) >= 2
    scores = col(dataset, "surveys_surveyresponse", "satisfaction_score")
    assert ((scores >= 0) & (scores <= 100)).all()


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) and a.dtype.kind == "f":
        return np.array_equal(a, b, equal_nan=True)
    if isinstance(a, np.ndarray) and a.dtype.kind == "M":
        return np.array_equal(a.astype(np.int64), b.astype(np.int64))
    return list(a) == list(b)


def test_same_seed_same_rows_other_seed_other_rows(dataset):
    again = synthetic_build(population=POPULATION, seed=SEED)
    other = synthetic_build(population=POPULATION, seed=SEED + 1)
    assert again.counts() == dataset.counts()
    for name, table in dataset.tables.items():
        for column, values in table.columns.items():
            assert _same(values, again.tables[name].columns[column]), (name, column)
    assert other.counts() != dataset.counts()


def test_working_day_table_matches_add_working_days():
    wd = WorkingDays()
    rng = np.random.default_rng(1)
    starts = np.datetime64("2019-01-01") + rng.integers(0, 3 * 365, 400) * np.timedelta64(1, "D")
    ns = rng.integers(0, 70, 400)
    got = wd.add(starts, ns)
    for s, n, g in zip(starts.tolist(), ns.tolist(), got.tolist(), strict=True):
        assert g == seed_calendar().add_workdays(s, n).date
    assert wd.add(np.asarray([np.datetime64("2021-09-30")]), 7)[0] == np.datetime64("2021-10-15")


@pytest.mark.parametrize(
    ("population", "shape", "districts"),
    [(350_000, "district", 1), (10_000_000, "city", 16), (50_000_000, "province", 80)],
)
def test_size_decides_shape(population, shape, districts):
    geo = build_geography(np.random.default_rng(3), population=population, name=f"t{population}")
    assert shape_for(population) == shape
    assert geo.code == top_code(f"t{population}", shape)
    assert geo.population[geo.code] == {2020: population, 2021: population}
    assert abs(len(geo.district_code) - districts) <= max(2, districts // 10)
    assert sum(geo.leaf_population(2021)) == population
    if population == 350_000:
        assert len(geo.leaf_code) == 6
