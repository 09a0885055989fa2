"""The scorecard cache: served again while nothing changed, recomputed after any change."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from foodsafe.programme.in_force import programme_spec
from foodsafe.programme.models import VetoFinding
from foodsafe.sampling.models import SamplingBatch
from foodsafe.scorecard import engine
from foodsafe.scorecard.cache import cached_scorecards, data_version
from tests.conftest import DISTRICT, SUB_A
from tests.factories import SamplingBatchFactory


@pytest.fixture
def calls(district, monkeypatch, settings):
    """Engine runs, counted; the cache on and empty."""
    settings.FOODSAFE_SCORECARD_CACHE_SECONDS = 60
    cache.clear()
    runs: list[list[str]] = []
    real = engine.evaluate_scorecards

    def counted(**kwargs):
        runs.append(list(kwargs["org_units"]))
        return real(**kwargs)

    monkeypatch.setattr(engine, "evaluate_scorecards", counted)
    yield runs
    cache.clear()


def evaluate(**kwargs):
    return cached_scorecards(
        spec=programme_spec(), org_units=[DISTRICT, SUB_A], period="2021", **kwargs
    )


def test_served_again_until_a_ledger_row_is_added_changed_or_deleted(calls):
    first = evaluate()
    assert evaluate() == first
    assert len(calls) == 1
    batch = SamplingBatchFactory(org_unit_id=SUB_A, sampled_on=date(2021, 5, 1))
    added = evaluate()
    assert len(calls) == 2 and added != first
    batch.sampled_on = date(2020, 5, 1)  # out of the period: none counted in 2021
    batch.save()
    moved = evaluate()[0].indicator("sampling_per_thousand")
    # Recomputed, and with no batch of 2021 left the ledger says nothing of 2021: 无数据
    # (未上报), no longer 0 (F9: no verdict without rows for the period).
    assert len(calls) == 3 and (moved.numerator, moved.note) == (None, "未上报")
    assert added[0].indicator("sampling_per_thousand").numerator == 1
    SamplingBatch.objects.get(pk=batch.pk).delete()
    evaluate()
    assert len(calls) == 4


def test_a_finding_or_another_as_of_is_another_key(calls):
    spec = programme_spec()
    evaluate()
    evaluate(as_of=date(2021, 6, 30))
    assert len(calls) == 2
    VetoFinding.objects.create(
        programme_code=spec.programme.code,
        veto_code=next(v.code for v in spec.vetoes if v.rule == "finding"),
        org_unit_id=DISTRICT, year=2021, vetoed=True, basis="认定",
    )  # fmt: skip
    card = evaluate()[0]
    assert len(calls) == 3
    assert any(v.basis == "认定" for v in card.vetoes)


def test_off_by_default(district, monkeypatch, settings):
    settings.FOODSAFE_SCORECARD_CACHE_SECONDS = 0
    runs = []
    monkeypatch.setattr(engine, "evaluate_scorecards", lambda **kw: runs.append(kw) or [])
    evaluate()
    evaluate()
    assert len(runs) == 2


def test_data_version_is_one_query(district, django_assert_num_queries):
    with django_assert_num_queries(1):
        before = data_version()
    SamplingBatchFactory(org_unit_id=SUB_A)
    assert data_version() != before
