"""Satisfaction (第22条, ≥ 80 分, veto 4) and awareness (第23条, ≥ 85%).

Rules (metrics/surveys.py): satisfaction = mean score of the period's responses that have a
score; awareness = aware respondents ÷ respondents who answered the awareness question. The
spec's reading is the weighted estimate (test_survey_weights.py); here every response has the
model's default weight 1, so Σw·y / Σw is the plain mean and the figures are those by count.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from foodsafe.scorecard.results import Status
from tests.factories import SurveyResponseFactory

from .conftest import SUB_A, SUB_B


@pytest.fixture
def indicator(small_sample_indicator):
    """These tests work the estimate's arithmetic on a handful of answers: the spec with
    ``min_valid_sample: 1`` (conftest ``any_sample``); the minimum is test_survey_sample.py's."""
    return small_sample_indicator


def response(score: str | None = "80", aware: bool | None = True, unit: str = SUB_A, **kw):
    return SurveyResponseFactory(
        satisfaction_score=None if score is None else Decimal(score),
        aware_of_programme=aware,
        org_unit__code=unit,
        **kw,
    )


def test_mean_78_5_is_not_met_gap_1_5_points(indicator):
    response("77")
    response("80", unit=SUB_B)
    response(None)  # no score: not counted
    response("10", responded_on=date(2020, 12, 31))  # before the period
    r = indicator("satisfaction_score")
    assert (r.numerator, r.denominator) == (157, 2)  # 77 + 80 over 2 scored responses
    assert r.value == Decimal("78.5")  # 157 / 2
    assert r.status is Status.NOT_MET
    assert r.gap.amount == Decimal("1.5")  # 80 − 78.5
    assert r.gap.unit_zh == "分"
    assert r.gap.text_zh == "满意度还差 1.5 分"


def test_mean_exactly_80_is_met(indicator):
    response("79.5")
    response("80.5", unit=SUB_B)
    r = indicator("satisfaction_score")
    assert r.value == Decimal("80")  # (79.5 + 80.5) / 2
    assert r.status is Status.MET
    assert r.gap is None


def test_mean_is_exact_with_decimal_scores(indicator):
    # 78.1 + 79.8 + 82.1 = 240.0 exactly, mean 80: met. Summed as binary floats it would be
    # 239.99999999999997 and the mean would fall just short (and trigger veto 4).
    response("78.1")
    response("79.8")
    response("82.1")
    r = indicator("satisfaction_score")
    assert r.numerator == 240
    assert r.value == Decimal("80")
    assert r.status is Status.MET


def test_satisfaction_splits_by_subdistrict(indicator):
    response("70")
    response("90")
    response("85", unit=SUB_B)
    assert indicator("satisfaction_score").value == Decimal("81.67")  # 245 / 3 = 81.666…
    assert indicator("satisfaction_score", org_unit=SUB_A).value == Decimal("80")  # 160 / 2
    assert indicator("satisfaction_score", org_unit=SUB_B).value == Decimal("85")  # 85 / 1


def test_no_scored_response_is_no_data(indicator):
    response(None)
    r = indicator("satisfaction_score")
    assert r.denominator is None  # Σ weight over no scored row: SQL's SUM of nothing is NULL
    assert r.value is None
    assert r.status is Status.NO_DATA
    assert r.gap is None


def test_awareness_exactly_85_is_met(indicator):
    for _ in range(17):
        response(aware=True)
    for _ in range(3):
        response(aware=False, unit=SUB_B)
    response(aware=None)  # did not answer: not in the valid sample
    r = indicator("awareness_rate")
    assert (r.numerator, r.denominator) == (17, 20)
    assert r.value == Decimal("85")  # 17 / 20 × 100
    assert r.status is Status.MET


def test_awareness_below_85_gap_in_respondents(indicator):
    for _ in range(16):
        response(aware=True)
    for _ in range(4):
        response(aware=False)
    r = indicator("awareness_rate")
    assert (r.numerator, r.denominator) == (16, 20)
    assert r.value == Decimal("80")  # 16 / 20 × 100
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 1  # 85% of 20 = 17 aware needed; 17 − 16
    assert r.gap.text_zh == "按加权样本还差 1 名知晓创建工作的受访者（加权有效样本 20）"


def test_no_awareness_answers_is_no_data(indicator):
    response(aware=None)
    r = indicator("awareness_rate")
    assert r.value is None
    assert r.status is Status.NO_DATA


def test_invalid_responses_are_left_out(indicator):
    """A respondent stored as invalid (not 常住 6 months, issue 16) counts in neither item."""
    from foodsafe.surveys.models import SurveyResponse

    response("90")
    response("70", aware=False)
    SurveyResponse.objects.filter(satisfaction_score=Decimal("70")).update(valid=False)
    r = indicator("satisfaction_score")
    assert (r.numerator, r.denominator) == (Decimal("90"), 1)  # the 70 left out
    a = indicator("awareness_rate")
    assert (a.numerator, a.denominator) == (1, 1)  # the unaware invalid one left out
