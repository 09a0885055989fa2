"""A saved plan reaches the targets and covers every cell: recomputed from the saved rows."""

from __future__ import annotations

import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.registry.models import FoodBusiness
from foodsafe.samplingplan.in_force import sampling_plan_spec
from foodsafe.samplingplan.models import PlanLine, SamplingPlan
from foodsafe.samplingplan.services import PlanError, plan_line_add
from tests.conftest import DISTRICT


@pytest.mark.django_db
def test_saved_plan_reaches_4_and_2_per_thousand_and_every_cell(registry, tmp_path):
    out = tmp_path / "plan.xlsx"
    call_command("sampling-plan", "--org", DISTRICT, "--year", "2022", "--save", "--xlsx", str(out))
    plan = SamplingPlan.objects.get()
    assert (plan.version, plan.population) == (1, 20_345)  # 2021's figures, sum of A and B
    rows = list(PlanLine.objects.filter(plan=plan).values_list(
        "stage", "business_format", "batches", "residue"
    ))  # fmt: skip
    total = sum(n for _s, _f, n, _r in rows)
    residue = sum(n for _s, _f, n, r in rows if r)
    # 20,345 residents: 4/1,000 → ceil(81.38) = 82; 2/1,000 → ceil(40.69) = 41. The eight
    # cells need at most 8 of the 82 − 41 = 41 batches left, so the plan lands on 82 (4.03 per
    # 1,000; it was 108 and 5.31 when every cell and 大类 took a batch on top of the target).
    assert total == 82 and total * 1000 / 20_345 >= 4
    assert residue == 41 and residue * 1000 / 20_345 >= 2
    # The district's cells: operating businesses' (环节, 业态), ordering platforms at 网络.
    stage = {"production": "production", "sales": "circulation", "catering": "catering"}
    cells = {
        ("online" if b.business_format == "ordering_platform" else stage[b.sector], b.business_format)
        for b in FoodBusiness.objects.filter(status="active")
    }  # fmt: skip
    assert len(cells) == 8
    assert cells <= {(s, f) for s, f, _n, _r in rows}  # 100 % coverage
    assert ("circulation", "food_stall") not in {(s, f) for s, f, _n, _r in rows}
    assert out.stat().st_size > 0


@pytest.mark.django_db
def test_versions_and_special_lines(registry, office_admin):
    call_command("sampling-plan", "--org", DISTRICT, "--year", "2022", "--save")
    call_command("sampling-plan", "--org", DISTRICT, "--year", "2022", "--save")
    first, second = SamplingPlan.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.lines.count() == second.lines.count()  # same inputs, same plan
    with pytest.raises(PlanError, match="现行版本"):
        plan_line_add(
            plan=first, special="两节", category_code="24", stage="circulation",
            business_format="supermarket", month_from=1, month_to=2, batches=5, actor=office_admin,
        )  # fmt: skip
    with pytest.raises(PlanError, match="没有带农药兽药残留"):
        plan_line_add(
            plan=second, special="两节", category_code="24", stage="circulation",
            business_format="supermarket", month_from=1, month_to=2, batches=5, residue=True,
            actor=office_admin,
        )  # fmt: skip
    line = plan_line_add(
        plan=second, special="两节", category_code="24", stage="circulation",
        business_format="supermarket", month_from=1, month_to=2, batches=5, actor=office_admin,
    )  # fmt: skip
    assert line.history.get().history_user == office_admin


@pytest.mark.django_db
def test_the_plan_says_which_years_population_it_used(registry, capsys):
    """New-user finding N13: the 2027 plan used the 2021 figure without saying so. The fixture
    has 2021 figures only (20,345 for A and B): a 2022 plan says it rests on 2021's."""
    call_command("sampling-plan", "--org", DISTRICT, "--year", "2022")
    assert "常住人口 20345，2021 年数据，尚无 2022 年数据" in capsys.readouterr().out
    call_command("sampling-plan", "--org", DISTRICT, "--year", "2021")
    out = capsys.readouterr().out
    assert "常住人口 20345，2021 年数据）" in out and "尚无" not in out


@pytest.mark.django_db
def test_no_population_is_a_clear_error(district):
    with pytest.raises(CommandError, match="没有 2022 年及以前的常住人口数据"):
        call_command("sampling-plan", "--org", DISTRICT, "--year", "2022")


def test_spec_readings_are_listed():
    spec = sampling_plan_spec()
    keys = [k for k, _p in spec.readings()]
    assert "balance" in keys and "disposal.close" in keys and "targets" not in keys
    assert math.isclose(spec.balance.tolerance, 0.10)
