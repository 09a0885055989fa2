"""The pages as a bureau uses them: generate, preview, save, progress, export; open, serve,
work and close a disposal; the publication list and its record."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from foodsafe.samplingplan.models import Disposal, Publication, SamplingPlan
from tests.conftest import DISTRICT, SUB_A
from tests.factories import SamplingBatchFactory
from tests.factories import TestItemFactory as ItemFactory


@pytest.fixture
def office(office_admin):
    client = Client()
    client.force_login(office_admin)
    return client


@pytest.mark.django_db
def test_generate_preview_save_and_follow(registry, office):
    page = office.get("/sampling-plan/preview/", {"org": DISTRICT, "year": 2022})
    text = page.content.decode()
    assert page.status_code == 200 and "预览，未保存" in text
    assert "8/8（100.0%）" in text  # every registry cell covered
    assert not SamplingPlan.objects.exists()  # a preview saves nothing
    saved = office.post("/sampling-plan/save/", {"org": DISTRICT, "year": 2022, "note": "初稿"})
    plan = SamplingPlan.objects.get()
    assert saved["Location"] == f"/sampling-plan/{plan.pk}/"
    detail = office.get(f"/sampling-plan/{plan.pk}/", {"on": "2022-03-31"})
    assert detail.status_code == 200 and "现行" in detail.content.decode()
    export = office.get(f"/sampling-plan/{plan.pk}/export/")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.django_db
def test_unknown_unit_is_a_message_not_a_crash(district, office):
    page = office.get("/sampling-plan/preview/", {"org": "999999000000", "year": 2022}, follow=True)
    assert "未知的区划代码" in page.content.decode()


@time_machine.travel("2021-12-01 10:00 +0800", tick=False)
@pytest.mark.django_db
def test_disposal_through_the_pages_and_publication(district, office):
    bad = SamplingBatchFactory(
        org_unit_id=SUB_A, conclusion="nonconforming", sampled_on=date(2021, 9, 1),
        reported_on=date(2021, 9, 23), food_name="韭菜", category_code="32020201",
    )  # fmt: skip
    ItemFactory(batch=bad, name="腐霉利", category="pesticide_residue", conforming=False)
    listing = office.get("/sampling-plan/disposals/")
    assert bad.sample_number in listing.content.decode()
    opened = office.post("/sampling-plan/disposals/open/", {"batch": bad.pk})
    disposal = Disposal.objects.get()
    act = f"/sampling-plan/disposals/{disposal.pk}/act/"
    assert opened["Location"] == f"/sampling-plan/disposals/{disposal.pk}/"
    office.post(act, {"action": "serve", "on": "2021-09-30"})
    for step in disposal.steps.all():
        outcome = "未申请" if step.kind == "window" else "已完成"
        office.post(
            act, {"action": "step", "step": step.pk, "on": "2021-10-20", "outcome": outcome}
        )
    office.post(act, {"action": "close", "on": "2021-11-15", "evidence": "处置报告"})
    disposal.refresh_from_db()
    bad.refresh_from_db()
    assert disposal.state == "closed" and bad.disposal_completed_on == date(2021, 11, 15)

    month = {"org": DISTRICT, "month": "2021-09", "kind": "disposal"}
    page = office.get("/sampling-plan/publication/", month).content.decode()
    assert "腐霉利" in page and "已于 2021-11-15 办结" in page
    office.post(
        "/sampling-plan/publication/record/",
        {**month, "kind": "results", "published_on": "2021-10-10", "where": "https://example.gov.cn/x"},
    )  # fmt: skip
    assert Publication.objects.get().rows == 1
    bad.refresh_from_db()
    assert bad.published_on == date(2021, 10, 10)  # written into the sampling ledger


@pytest.mark.django_db
def test_preview_says_why_the_cells_force_more_than_the_target(registry, office):
    """1,000 residents in 2022 (600 + 400) and the registry's eight operating cells, by hand:
    targets 4 and 2. The two residue batches (蔬菜 3202, 水果 3201) both go to the heaviest
    cell sampling 食用农产品, 餐馆 (6 C operators × 1.5 = 9); one moves to the heaviest cell with
    none, 农产品市场 (4 D × 2 = 8). Six cells are left, one batch each, with 4 − 2 = 2 batches
    left of the target: 2 + 6 = 8 batches, 4 above the target."""
    from tests.factories import PopulationFactory

    PopulationFactory(org_unit_id=SUB_A, year=2022, resident_population=600)
    PopulationFactory(org_unit_id="120101002000", year=2022, resident_population=400)
    page = office.get("/sampling-plan/preview/", {"org": DISTRICT, "year": 2022})
    text = page.content.decode()
    assert "1000（2022 年数据）" in text and "8（目标 ≥ 4）" in text and "8/8（100.0%）" in text
    assert "比目标多 4 批" in text and "覆盖不到的 6 个（共 8 个）" in text and "只剩 2 批" in text
