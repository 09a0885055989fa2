"""The 90-day closing limit of 不合格 核查处置 has one source, like the 30-day publication limit
(test_publication_limit.py): the programme spec's item-6 indicator
``nonconforming_disposed_on_time`` (option ``within_days``), which the scorecard measures the
on-time rate with; every disposal's 处置期限 is counted from it. A sampling-plan spec that
repeats the figure must give the same one (``disposal.close.days``), and may not switch to
working days; otherwise no disposal is opened and the error names the file, the key and both
figures. Before this the sampling-plan spec's own ``days: 90`` set the deadline and the
programme's 90 the rate, with nothing checking that they agreed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from django.test import Client

from foodsafe.programme.in_force import programme_spec
from foodsafe.samplingplan.disposal import disposal_open
from foodsafe.samplingplan.in_force import DISPOSED_ON_TIME, closing_limit, sampling_plan_spec
from foodsafe.samplingplan.models import Disposal
from foodsafe.samplingplan.spec import DEFAULT_SPEC, SamplingPlanSpecError
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory, SamplingBatchFactory


def _copy_with(source: Path, target: Path, change) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


@pytest.fixture
def failed(district):
    business = FoodBusinessFactory(org_unit_id=SUB_A, sector="sales", business_format="supermarket")
    return SamplingBatchFactory(
        org_unit_id=SUB_A, business=business, conclusion="nonconforming",
        sampled_on=date(2021, 8, 20), reported_on=date(2021, 9, 1),
    )  # fmt: skip


def test_shipped_specs_set_it_once(failed, office_admin):
    # The shipped sampling-plan rules leave the figure out; the programme's indicator says 90.
    assert sampling_plan_spec().disposal.close.days is None
    assert programme_spec().indicator(DISPOSED_ON_TIME).options["within_days"] == 90
    assert closing_limit().days == 90
    disposal = disposal_open(batch=failed, spec=sampling_plan_spec(), actor=office_admin)
    # 1 Sep + 90 calendar days: 29 more in September, 31 in October, 30 in November = 30 Nov.
    assert disposal.close_due_on == date(2021, 11, 30)


def test_the_programme_figure_sets_the_deadline(settings, tmp_path, failed, office_admin):
    def sixty(data):
        for indicator in data["indicators"]:
            if indicator["code"] == DISPOSED_ON_TIME:
                indicator["options"]["within_days"] = 60

    live = Path(settings.FOODSAFE_PROGRAMME_SPEC)
    settings.FOODSAFE_PROGRAMME_SPEC = str(_copy_with(live, tmp_path / "programme.yaml", sixty))
    disposal = disposal_open(batch=failed, spec=sampling_plan_spec(), actor=office_admin)
    # 1 Sep + 60 days: 29 more in September, 31 in October = 31 October.
    assert disposal.close_due_on == date(2021, 10, 31)


def test_a_second_figure_that_differs_is_refused(settings, tmp_path, failed, office_admin):
    path = _copy_with(
        Path(DEFAULT_SPEC), tmp_path / "sampling.yaml",
        lambda d: d["disposal"]["close"].update(days=120),
    )  # fmt: skip
    settings.FOODSAFE_SAMPLING_PLAN_SPEC = str(path)
    with pytest.raises(SamplingPlanSpecError) as exc:
        closing_limit()
    assert exc.value.key == "disposal.close.days" and exc.value.path == str(path)
    assert "120" in exc.value.message and "90" in exc.value.message
    # The page that opens a disposal says so and opens none (no deadline from either figure).
    client = Client()
    client.force_login(office_admin)
    page = client.post("/sampling-plan/disposals/open/", {"batch": failed.pk}, follow=True)
    assert "disposal.close.days" in page.content.decode()
    assert not Disposal.objects.exists()

    # Working days instead of the scorecard's calendar days are refused too.
    settings.FOODSAFE_SAMPLING_PLAN_SPEC = str(
        _copy_with(
            Path(DEFAULT_SPEC), tmp_path / "workdays.yaml",
            lambda d: d["disposal"]["close"].update(workdays=60),
        )
    )  # fmt: skip
    with pytest.raises(SamplingPlanSpecError) as exc:
        closing_limit()
    assert exc.value.key == "disposal.close.workdays" and "60" in exc.value.message

    # The same figure repeated is allowed.
    settings.FOODSAFE_SAMPLING_PLAN_SPEC = str(
        _copy_with(
            Path(DEFAULT_SPEC), tmp_path / "same.yaml",
            lambda d: d["disposal"]["close"].update(days=90),
        )
    )  # fmt: skip
    assert closing_limit().days == 90
