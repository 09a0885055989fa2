"""The 30-day publication limit has one source (issue 15): the programme spec's item-6
indicator ``sampling_results_published_on_time`` (option ``within_days``), which the scorecard
measures with; the sampling pages read it. A sampling-plan spec that repeats the figure must
give the same one, or the publication page says which key disagrees instead of counting.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.test import Client

from foodsafe.programme.in_force import programme_spec
from foodsafe.samplingplan.in_force import (
    PUBLISHED_ON_TIME,
    publication_within_days,
    sampling_plan_spec,
)
from foodsafe.samplingplan.spec import DEFAULT_SPEC, SamplingPlanSpecError
from tests.conftest import DISTRICT


def _copy_with(source: Path, target: Path, change) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return target


def test_shipped_specs_set_it_once_and_the_pages_read_the_programme():
    # The shipped sampling-plan rules leave the figure out; the programme's indicator says 30.
    assert sampling_plan_spec().publication.within_days is None
    assert programme_spec().indicator(PUBLISHED_ON_TIME).options["within_days"] == 30
    assert publication_within_days() == 30


def test_programme_figure_is_the_one_the_pages_use(settings, tmp_path, district, office_admin):
    live = settings.FOODSAFE_PROGRAMME_SPEC

    def twenty(data):
        for indicator in data["indicators"]:
            if indicator["code"] == PUBLISHED_ON_TIME:
                indicator["options"]["within_days"] = 20

    settings.FOODSAFE_PROGRAMME_SPEC = str(
        _copy_with(Path(live), tmp_path / "programme.yaml", twenty)
    )
    assert publication_within_days() == 20
    client = Client()
    client.force_login(office_admin)
    page = client.get("/sampling-plan/publication/", {"org": DISTRICT, "month": "2021-09"})
    assert "报告日期后 20 日内公开" in page.content.decode()


def test_a_second_figure_that_differs_is_refused(settings, tmp_path, district, office_admin):
    def forty_five(data):
        data["publication"]["within_days"] = 45

    path = _copy_with(Path(DEFAULT_SPEC), tmp_path / "sampling.yaml", forty_five)
    settings.FOODSAFE_SAMPLING_PLAN_SPEC = str(path)
    with pytest.raises(SamplingPlanSpecError) as exc:
        publication_within_days()
    assert exc.value.key == "publication.within_days" and exc.value.path == str(path)
    assert "45" in exc.value.message and "30" in exc.value.message
    client = Client()
    client.force_login(office_admin)
    page = client.get("/sampling-plan/publication/", {"org": DISTRICT, "month": "2021-09"})
    text = page.content.decode()
    assert page.status_code == 200 and "publication.within_days" in text
    assert "报告日期后 — 日内公开" in text  # neither figure is used

    # The same figure repeated is allowed.
    settings.FOODSAFE_SAMPLING_PLAN_SPEC = str(
        _copy_with(
            Path(DEFAULT_SPEC),
            tmp_path / "same.yaml",
            lambda d: d["publication"].update(within_days=30),
        )
    )
    assert publication_within_days() == 30
