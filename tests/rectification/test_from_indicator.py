"""One click from a failed scorecard indicator: a rectification prefilled with the gap and the
responsible units; one per indicator, org unit and owner while it is not closed."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from foodsafe.rectification.models import Rectification
from foodsafe.rectification.services import _owner_and_partners, rectification_from_indicator
from foodsafe.reports.sample import sample_scorecard
from tests.conftest import DISTRICT
from tests.rectification.helpers import frozen
from tests.scorecard.conftest import full_spec

SPEC = full_spec()


@pytest.fixture
def card(district):
    return sample_scorecard(org_code=DISTRICT, org_name="和平区（测试）", is_example=False)


def click(card, code, actor, **kw):
    return rectification_from_indicator(
        scorecard=card, indicator_code=code, spec=SPEC, actor=actor, **kw
    )


def test_owner_is_the_lead_else_the_first_individual_unit():
    assert _owner_and_partners(SPEC, 13) == ("market-regulation", [])
    owner, partners = _owner_and_partners(SPEC, 5)  # seven units, all 责任
    assert owner == "market-regulation"
    assert partners == [
        "education", "urban-management", "commerce", "culture-tourism", "public-security",
        "subdistricts",
    ]  # fmt: skip
    assert _owner_and_partners(SPEC, 25)[0] == "market-regulation"  # 牵头
    assert _owner_and_partners(SPEC, 29) == ("education", [])
    # Items with collective entries only: the first one the plan names.
    assert _owner_and_partners(SPEC, 22) == ("subdistricts", ["committee-members"])


def test_indicator_lead_unit_owns_its_rectification():
    # The spec names 区市场监管局 as the lead of the term-start school checks (item 5): it owns
    # the rectification, the item's six other units cooperate.
    owner, partners = _owner_and_partners(SPEC, 5, "term_start_inspection_coverage")
    assert owner == "market-regulation"
    assert len(partners) == 6 and "market-regulation" not in partners
    # The indicator's own lead wins over the item's order: with education as the indicator's
    # lead (a spec that says so), education owns it although the item lists it second.
    ind = SPEC.indicator("term_start_inspection_coverage").model_copy(
        update={"lead_unit": "education"}
    )
    spec = SPEC.model_copy(
        update={"indicators": [ind if i.code == ind.code else i for i in SPEC.indicators]}
    )
    owner, partners = _owner_and_partners(spec, 5, "term_start_inspection_coverage")
    assert owner == "education"
    assert partners[0] == "market-regulation"
    # Another indicator of the same item without its own lead: the item's rule.
    assert _owner_and_partners(spec, 5, "biennial_inspection_coverage")[0] == "market-regulation"


def test_prefilled_from_the_indicator(card, programme, office_admin):
    r, created = click(card, "residue_sampling_per_thousand", office_admin)
    assert created
    assert r.source == "scorecard" and r.state == "open"
    assert r.owner_unit.code == "market-regulation"
    assert r.title == "和平区（测试）农药兽药残留抽检量未达标：还需抽检 312 批次"
    assert r.indicator_code == "residue_sampling_per_thousand"
    assert r.org_unit_id == DISTRICT
    assert r.item.number == 13 and r.item.programme == programme
    assert "差距：还需抽检 312 批次" in r.description
    assert "数值：1.1211 批次/千人；目标：>= 2" in r.description
    assert "期间：2021年" in r.description
    # 20 working days from Mon 2021-10-18: Oct 19–22 (4), Oct 25–29 (9), Nov 1–5 (14),
    # Nov 8–12 (19), Mon Nov 15 (20).
    assert r.created_on == date(2021, 10, 18) and r.deadline == date(2021, 11, 15)
    assert r.number == "ZG-2021-0001"


def test_cooperating_units_named(card, programme, office_admin):
    r, _ = click(card, "term_start_inspection_coverage", office_admin, working_days=5)
    assert r.owner_unit.code == "market-regulation"
    assert (
        "配合单位：区教育局、区城市管理委、区商务局、区文化和旅游局、公安和平分局、各街道办事处"
        in r.description
    )
    assert r.deadline == date(2021, 10, 25)


def test_second_click_creates_nothing_until_closed(card, programme, office_admin, reviewer):
    first, _ = click(card, "residue_sampling_per_thousand", office_admin)
    again, created = click(card, "residue_sampling_per_thousand", office_admin)
    assert not created and again == first
    Rectification.objects.filter(pk=first.pk).update(
        state="closed", closed_on=date(2021, 10, 18), verified_by=reviewer
    )
    third, created = click(card, "residue_sampling_per_thousand", office_admin)
    assert created and third != first
    assert Rectification.objects.count() == 2


def test_only_failed_indicators(card, programme, office_admin):
    with pytest.raises(ValidationError, match="只有未达标的指标"):
        click(card, "sampling_per_thousand", office_admin)  # met
    with pytest.raises(ValidationError, match="只有未达标的指标"):
        click(card, "satisfaction_score", office_admin)  # no data
    with pytest.raises(ValidationError, match="没有指标"):
        click(card, "no_such_indicator", office_admin)
    assert not Rectification.objects.exists()


@pytest.mark.parametrize("persona", ["reviewer", "market_user", "inspector", "outsider"])
def test_office_only(card, programme, persona, request):
    with pytest.raises(PermissionDenied):
        click(card, "residue_sampling_per_thousand", request.getfixturevalue(persona))


def test_units_must_be_loaded(card, office_admin):
    # No programme loaded: 区市场监管局 is not in the database.
    with pytest.raises(ValidationError, match="尚未载入"):
        click(card, "residue_sampling_per_thousand", office_admin)


def test_without_the_programme_items_the_item_is_left_empty(card, office_admin, market_user):
    # The unit exists (a persona made it), the programme's items were not loaded.
    with frozen(date(2021, 10, 18)):
        r, _ = click(card, "residue_sampling_per_thousand", office_admin)
    assert r.item is None and r.owner_unit.code == "market-regulation"
