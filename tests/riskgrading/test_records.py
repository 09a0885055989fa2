"""The office's page for an operator's static factors and year-end adjustment facts: values
checked against the spec's table, each factor's points shown, history kept; facts checked and
counted by the adjustment. Points worked by hand from national-2016.yaml, catering table:
floor area 600 m² → band ≤ 1000 → 6; 热食类 40 → band ≤ 100 → 3.5; 易腐原料 yes → 3; the
rest blank → 0 (缺项得 0 分): static 12.5. A clean checklist on 2021-06-01 → dynamic 0 → 12.5
≤ 30 → A. An incident recorded for 2021-05-01 is 第二十八条（三）: up one grade → B next year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from foodsafe.riskgrading.adjustment import adjustments_propose
from foodsafe.riskgrading.grading import gradings_assess
from foodsafe.riskgrading.models import AdjustmentFact, Grading, StaticFactors
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

from .helpers import national, record_checklist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_2022():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


@pytest.fixture
def shop(district):
    return FoodBusinessFactory(
        name="示例餐馆",
        sector="catering",
        business_format="restaurant",
        org_unit_id=SUB_A,
        opened_on=date(2020, 6, 1),
    )


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_office_records_static_factors_and_grading_uses_them(shop, office_admin, settings):
    settings.FOODSAFE_GRADING_SPEC = "foodsafe/riskgrading/specs/national-2016.yaml"
    c = client_for(office_admin)
    url = reverse("riskgrading:records", args=[shop.pk])
    page = c.get(url).content.decode()
    assert "餐饮服务提供者静态风险因素量化分值表（餐馆、小餐饮等）" in page  # the format's table
    assert 'id="f-floor_area"' in page and 'name="f-perishable"' in page
    r = c.post(
        url,
        {
            "action": "static",
            "table": "catering",
            "f-floor_area": "600",
            "f-hot_food": "40",
            "f-perishable": "1",
            "f-raw_food": "",
        },
    )
    assert r.status_code == 302
    record = StaticFactors.objects.get(business=shop)
    assert record.table == "catering"
    assert record.values == {"floor_area": 600, "hot_food": 40, "perishable": True}
    assert record.history.latest().history_user == office_admin
    page = c.get(url).content.decode()
    assert "<strong>6</strong>" in page and "<strong>3.5</strong>" in page
    assert "office_admin" in page[page.index('id="static-history"') :]

    record_checklist(shop)  # every item 符合 → dynamic 0
    gradings_assess(spec=national(), year=2021, actor=office_admin)
    grading = Grading.objects.get(business=shop, year=2021)
    assert (grading.static_score, grading.total_score, grading.score_grade) == (
        Decimal("12.5"),
        Decimal("12.5"),
        "A",
    )


def test_bad_values_are_refused_naming_the_factor(shop, office_admin):
    c = client_for(office_admin)
    url = reverse("riskgrading:records", args=[shop.pk])
    r = c.post(
        url, {"action": "static", "table": "catering", "f-floor_area": "大", "f-hot_food": "-3"}
    )
    assert r.status_code == 400
    page = r.content.decode()
    assert "经营场所面积（floor_area）应为数字，实际为 &#x27;大&#x27;" in page
    assert "热食类单品数（hot_food）应为不小于 0 的数字" in page
    assert not StaticFactors.objects.exists()
    # a table of another sector is not offered to a restaurant
    assert c.get(url, {"table": "production"}).status_code == 404


def test_choice_factor_of_a_producer(district, office_admin):
    """Production table: 食品类别 is a multiple choice scored at the highest (就高不就低):
    0101 (13.5) and other (20) → 20; an unknown option is refused naming the options."""
    maker = FoodBusinessFactory(
        name="示例面粉厂", sector="production", business_format="food_producer", org_unit_id=SUB_A
    )
    c = client_for(office_admin)
    url = reverse("riskgrading:records", args=[maker.pk])
    table = national().static_table_for("production", "food_producer")
    assert table is not None and table.code == "production"
    r = c.post(url, {"action": "static", "table": "production", "f-food_category": ["0101", "x"]})
    assert r.status_code == 400 and "没有选项 &#x27;x&#x27;" in r.content.decode()
    c.post(url, {"action": "static", "table": "production", "f-food_category": ["0101", "other"]})
    assert StaticFactors.objects.get(business=maker).values == {"food_category": ["0101", "other"]}
    assert "<strong>20</strong>" in c.get(url).content.decode()


def test_facts_recorded_checked_and_counted(shop, office_admin):
    c = client_for(office_admin)
    url = reverse("riskgrading:records", args=[shop.pk])
    bad = c.post(
        url,
        {
            "action": "fact",
            "kind": "certification",
            "occurred_on": "2022-02-01",
            "valid_until": "2021-01-01",
            "description": "",
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "发生（取得）日期不能晚于今天" in text and "有效期至不能早于发生（取得）日期" in text
    assert "请填写情况说明" in text and not AdjustmentFact.objects.exists()
    r = c.post(
        url,
        {
            "action": "fact",
            "kind": "incident",
            "occurred_on": "2021-05-01",
            "description": "食物中毒事故，就餐者 12 人就医",
        },
    )
    assert r.status_code == 302
    fact = AdjustmentFact.objects.get()
    assert (fact.kind, fact.occurred_on, fact.recorded_by) == (
        "incident",
        date(2021, 5, 1),
        office_admin,
    )
    assert fact.history.latest().history_user == office_admin
    assert "食物中毒事故" in c.get(url).content.decode()

    # No static factors and no checklist, the registry records A: the grading keeps A (no
    # score) and the adjustment moves that recorded grade up one → B.
    shop.risk_level = "A"
    shop.save()
    spec = national()
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    adjustments_propose(spec=spec, year=2021, actor=office_admin)
    grading = Grading.objects.get(business=shop, year=2021)
    assert (grading.basis, grading.score_grade, grading.proposal) == ("recorded", "", "A")
    assert (grading.suggestion, grading.proposed_next_grade) == ("up", "B")


def test_only_the_office(shop, inspector, market_user, reviewer):
    url = reverse("riskgrading:records", args=[shop.pk])
    for user in (inspector, market_user, reviewer):
        assert client_for(user).get(url).status_code == 403
        assert client_for(user).post(url, {"action": "fact"}).status_code == 403
    assert Client().get(url).status_code == 302
