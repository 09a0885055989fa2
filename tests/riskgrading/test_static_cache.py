"""The static score cached on the static record (StaticFactors.score / score_inputs, keyed by
the scheme's sha256): written when a record is saved and by a grading that had to score it,
used by later gradings under the same scheme, ignored under another scheme.

Worked by hand (sales table, national-2016.yaml): floor area 1,500 m² → 2.5; chilled 250 → 3;
suppliers 120 → 4; the rest not given → 0: static 9.5. No checklist, opened 2021-02-01: a new
operator graded from its static score alone (第二十四条), dynamic 0 → 9.5 ≤ 30 → A."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from foodsafe.riskgrading.grading import gradings_assess
from foodsafe.riskgrading.models import Grading, StaticFactors
from foodsafe.riskgrading.services import static_factors_record
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

from .helpers import national

pytestmark = pytest.mark.django_db

VALUES = {"floor_area": 1500, "packaged_chilled": 250, "suppliers": 120}


@pytest.fixture(autouse=True)
def _after_2021():
    with time_machine.travel(date(2022, 1, 10), tick=False):
        yield


@pytest.fixture
def shop(district):
    return FoodBusinessFactory(
        sector="sales", business_format="supermarket", org_unit_id=SUB_A, opened_on=date(2021, 2, 1)
    )


def test_saving_a_record_scores_it(shop, office_admin):
    spec = national()
    record = static_factors_record(
        business=shop, spec=spec, table="sales", values=VALUES, actor=office_admin
    )
    record.refresh_from_db()
    assert (record.score, record.scored_under) == (Decimal("9.5"), spec.sha256)
    assert record.score_inputs["factors"]["floor_area"] == [1500, "2.5"]
    # the cache is not part of the audit trail
    assert not hasattr(record.history.latest(), "score")


def test_grading_fills_uses_and_drops_the_cache(shop, office_admin):
    """A record written without a score (as the generator or an import writes it) is scored by
    the grading, which writes the cache back. A later grading under the same scheme takes the
    cached score as it is: planted at 33 here, it grades the shop 33 → B, proving it was not
    re-scored. Under a scheme with another sha256 the plant is ignored and the record re-scored
    (9.5 → A) and re-cached."""
    spec = national()
    record = StaticFactors.objects.create(
        business=shop, table="sales", values=VALUES, recorded_on=date(2021, 1, 1)
    )
    assert record.score is None
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    grading = Grading.objects.get(business=shop, year=2021)
    assert (grading.static_score, grading.score_grade) == (Decimal("9.5"), "A")
    record.refresh_from_db()
    assert (record.score, record.scored_under) == (Decimal("9.5"), spec.sha256)
    assert record.score_inputs == grading.inputs["static"]

    planted = {**record.score_inputs, "points": "33.00"}
    StaticFactors.objects.filter(pk=record.pk).update(score=33, score_inputs=planted)
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    grading.refresh_from_db()
    assert (grading.static_score, grading.score_grade) == (Decimal(33), "B")
    assert grading.inputs["static"]["points"] == "33.00"

    other = spec.model_copy(update={"sha256": "f" * 64})
    gradings_assess(spec=other, year=2021, actor=office_admin)
    grading.refresh_from_db()
    assert (grading.static_score, grading.score_grade) == (Decimal("9.5"), "A")
    record.refresh_from_db()
    assert (record.score, record.scored_under) == (Decimal("9.5"), "f" * 64)


def test_an_unscorable_record_is_not_cached(shop, office_admin):
    """A value the table cannot score: graded from the format tier with the note, no cache."""
    spec = national()
    record = StaticFactors.objects.create(
        business=shop, table="sales", values={"floor_area": "大"}, recorded_on=date(2021, 1, 1)
    )
    gradings_assess(spec=spec, year=2021, actor=office_admin)
    grading = Grading.objects.get(business=shop, year=2021)
    assert "静态风险因素无法计分" in grading.inputs["static_note"]
    record.refresh_from_db()
    assert record.score is None and record.scored_under == ""
