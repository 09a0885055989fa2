"""Member units on the sampling pages (issue 15): 区市场监管局's member-unit login (the bureau
that runs food sampling) reads the plans, their progress and the publication list and works the
核查处置 of the batches its own department (市场监管部门) sampled; a batch of 农业农村部门 is
that department's (read-only here); it makes no plan and records no publication, which the
office and inspectors do. 区教育局 sees nothing of it (403). The URL × persona matrix is in
tests/web/test_permissions.py; here the pages' contents and the ownership by department.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from foodsafe.samplingplan.models import Disposal, SamplingPlan
from tests.conftest import DISTRICT, SUB_A
from tests.factories import SamplingBatchFactory
from tests.factories import TestItemFactory as ItemFactory


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _failed(department: str, number: str):
    bad = SamplingBatchFactory(
        sample_number=number, org_unit_id=SUB_A, conclusion="nonconforming",
        sampled_on=date(2021, 9, 1), reported_on=date(2021, 9, 23), food_name="韭菜",
        category_code="32020201", department=department,
    )  # fmt: skip
    ItemFactory(batch=bad, name="腐霉利", category="pesticide_residue", conforming=False)
    return bad


@pytest.fixture
def plan(registry, office_admin):
    office = _client(office_admin)
    office.post("/sampling-plan/save/", {"org": DISTRICT, "year": 2022, "note": "初稿"})
    return SamplingPlan.objects.get()


@pytest.mark.django_db
def test_the_market_unit_reads_plans_and_progress_but_makes_none(plan, market_user):
    market = _client(market_user)
    listing = market.get("/sampling-plan/").content.decode()
    assert plan.number in listing
    assert "/sampling-plan/preview/" not in listing  # no 生成计划 form
    detail = market.get(f"/sampling-plan/{plan.pk}/", {"on": "2022-03-31"})
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "均衡推进" in text  # the progress section
    assert f"/sampling-plan/{plan.pk}/lines/" not in text  # no 专项 form
    assert market.get(f"/sampling-plan/{plan.pk}/export/").status_code == 200
    # Making plans is the inspectors' and the office's: refused, and nothing is written.
    assert market.get("/sampling-plan/preview/", {"org": DISTRICT, "year": 2023}).status_code == 403
    assert market.post("/sampling-plan/save/", {"org": DISTRICT, "year": 2023}).status_code == 403
    line = {"special": "两节", "category_code": "32", "stage": "circulation",
            "business_format": "supermarket", "month_from": 1, "month_to": 2, "batches": 5}  # fmt: skip
    assert market.post(f"/sampling-plan/{plan.pk}/lines/", line).status_code == 403
    assert SamplingPlan.objects.count() == 1 and not plan.lines.exclude(special="").exists()
    publication = market.get("/sampling-plan/publication/", {"org": DISTRICT, "month": "2021-09"})
    assert publication.status_code == 200
    assert "/sampling-plan/publication/record/" not in publication.content.decode()
    record = {"org": DISTRICT, "month": "2021-09", "kind": "results", "published_on": "2021-10-10"}
    assert market.post("/sampling-plan/publication/record/", record).status_code == 403


@time_machine.travel("2021-12-01 10:00 +0800", tick=False)
@pytest.mark.django_db
def test_the_market_unit_works_its_own_departments_disposals_only(district, market_user):
    market = _client(market_user)
    own = _failed("market_regulation", "DC21MARKET01")
    other = _failed("agriculture", "NY21AGRI0001")
    page = market.get("/sampling-plan/disposals/").content.decode()
    assert own.sample_number in page and other.sample_number in page  # both listed
    # One 立项 button: the 市场监管部门 batch; the 农业农村部门 one shows its department.
    assert page.count('action="/sampling-plan/disposals/open/"') == 1
    assert market.post("/sampling-plan/disposals/open/", {"batch": other.pk}).status_code == 403
    assert not Disposal.objects.exists()
    opened = market.post("/sampling-plan/disposals/open/", {"batch": own.pk})
    mine = Disposal.objects.get(batch=own)
    assert opened["Location"] == f"/sampling-plan/disposals/{mine.pk}/"
    act = f"/sampling-plan/disposals/{mine.pk}/act/"
    market.post(act, {"action": "serve", "on": "2021-09-30"})
    mine.refresh_from_db()
    assert mine.served_on == date(2021, 9, 30)  # written by the unit
    step = mine.steps.filter(party="department").first()
    market.post(act, {"action": "step", "step": step.pk, "on": "2021-10-20", "outcome": "已溯源"})
    step.refresh_from_db()
    assert step.done_on == date(2021, 10, 20) and step.outcome == "已溯源"
    history = mine.history.first()
    assert history.history_user == market_user  # audited with the unit's user

    # The 农业农村部门 disposal, opened by an inspector: the unit reads it, acts on nothing.
    theirs = Disposal.objects.create(
        batch=other, org_unit_id=SUB_A, reported_on=other.reported_on,
        serve_due_on=date(2021, 9, 30), spec_label="test", created_at=mine.created_at,
    )  # fmt: skip
    detail = market.get(f"/sampling-plan/disposals/{theirs.pk}/").content.decode()
    assert (
        other.sample_number in detail and f"/sampling-plan/disposals/{theirs.pk}/act/" not in detail
    )
    refused = market.post(
        f"/sampling-plan/disposals/{theirs.pk}/act/", {"action": "serve", "on": "2021-09-30"}
    )
    assert refused.status_code == 403
    theirs.refresh_from_db()
    assert theirs.served_on is None


@pytest.mark.django_db
def test_other_member_units_see_nothing_of_it(plan, education_user):
    education = _client(education_user)
    for url in (
        "/sampling-plan/",
        f"/sampling-plan/{plan.pk}/",
        f"/sampling-plan/{plan.pk}/export/",
        "/sampling-plan/disposals/",
        "/sampling-plan/publication/",
    ):
        assert education.get(url).status_code == 403, url
    home = education.get("/", follow=True).content.decode()
    assert "/sampling-plan/" not in home  # not in its menu
