"""The example district's 2021 sampling year through the real import path and services: the
plan reaches ≥ 4 and ≥ 2 per 1,000 and covers every cell (recomputed here from the saved
rows and the registry), one failure is disposed of through the workflow, the lists published."""

from __future__ import annotations

import math
from datetime import date

import pytest

from foodsafe.example.generate import generate_example_district
from foodsafe.imports.services import directory_import
from foodsafe.orgunits.models import Population
from foodsafe.registry.models import FoodBusiness
from foodsafe.samplingplan.demo import example_year
from foodsafe.samplingplan.in_force import sampling_plan_spec
from foodsafe.samplingplan.models import PlanLine, Publication

DISTRICT = "120101000000"


@pytest.mark.django_db
def test_example_district_2021(tmp_path):
    out = tmp_path / "district"
    generate_example_district(out=out, population=35_000, seed=2021)
    directory_import(directory=out)
    spec = sampling_plan_spec()
    result = example_year(spec=spec, org_code=DISTRICT, year=2021, actor=None)

    # Population of 2021: the district's own figure when it has one, else its subdistricts'.
    rows = Population.objects.filter(year=2021, org_unit__code__startswith="120101")
    own = rows.filter(org_unit_id=DISTRICT).first()
    people = own.resident_population if own else sum(r.resident_population for r in rows)
    assert result.plan.population == people
    lines = list(PlanLine.objects.filter(plan=result.plan).values_list(
        "stage", "business_format", "batches", "residue"
    ))  # fmt: skip
    total = sum(n for _s, _f, n, _r in lines)
    residue = sum(n for _s, _f, n, r in lines if r)
    assert total >= math.ceil(4 * people / 1000) and total * 1000 / people >= 4
    assert residue >= math.ceil(2 * people / 1000) and residue * 1000 / people >= 2
    # Every 环节 × 业态 cell of the businesses operating on 1 January 2021 has batches.
    stage = {"production": "production", "sales": "circulation", "catering": "catering"}
    day = date(2021, 1, 1)
    cells = {
        ("online" if b.business_format == "ordering_platform" else stage[b.sector], b.business_format)
        for b in FoodBusiness.objects.all()
        if (b.opened_on is None or b.opened_on <= day)
        and ((b.closed_on is None and b.status == "active") or (b.closed_on and b.closed_on > day))
    }  # fmt: skip
    assert cells and cells <= {(s, f) for s, f, _n, _r in lines}

    d = result.disposal
    assert d is not None and d.state == "closed"
    assert d.closed_on is not None and d.close_due_on is not None and d.closed_on <= d.close_due_on
    d.batch.refresh_from_db()
    assert d.batch.disposal_completed_on == d.closed_on
    assert Publication.objects.count() == 2
    # Running it again changes nothing.
    again = example_year(spec=spec, org_code=DISTRICT, year=2021, actor=None)
    assert again.plan.pk == result.plan.pk and Publication.objects.count() == 2
