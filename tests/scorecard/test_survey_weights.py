"""Items 22 and 23 use the survey design's weighted estimate (issue 16 §3, RULES-supervision.md
§3.3 [I]); the unweighted mean is the other reading, shown beside it.

The small sample, worked by hand (wave "2021-满意度", all valid, 常住人口 2021: A 50,000 and
B 50,000, so each subdistrict is half the population):

    A街道: 4 respondents, scores 80, 75, 70, 75 (Σ 300), aware: yes, yes, yes, no
    B街道: 1 respondent,  score 95,                        aware: yes

Post-stratification weight w_h = (N_h/N) / (n_h/n), n = 5:
    w_A = 0.5 / (4/5) = 0.625        w_B = 0.5 / (1/5) = 2.5      (Σw = 4 × 0.625 + 2.5 = 5 = n)

满意度, weighted:   Σw·y = 0.625 × 300 + 2.5 × 95 = 187.5 + 237.5 = 425;  425 / 5 = 85 → 达标
满意度, unweighted: Σy = 300 + 95 = 395;  395 / 5 = 79 → 未达标 (the verdict flips)
知晓率, weighted:   Σw(aware) = 0.625 × 3 + 2.5 = 4.375;  4.375 / 5 = 87.5 % → 达标 (≥ 85)
知晓率, unweighted: 4 / 5 = 80 % → 未达标
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from foodsafe.orgunits.models import Population
from foodsafe.scorecard.results import Status
from foodsafe.surveys.models import SurveyResponse
from foodsafe.surveys.selectors import wave_results
from foodsafe.surveys.services import survey_weights_apply
from tests.factories import SurveyResponseFactory

from .conftest import DISTRICT, SUB_A, SUB_B


@pytest.fixture
def indicator(small_sample_indicator):
    """These tests work the estimate's arithmetic on a handful of answers: the spec with
    ``min_valid_sample: 1`` (conftest ``any_sample``); the minimum is test_survey_sample.py's."""
    return small_sample_indicator


WAVE = "2021-满意度"


def respond(unit: str, score: str | None, aware: bool | None) -> SurveyResponse:
    return SurveyResponseFactory(
        org_unit__code=unit,
        survey_code=WAVE,
        satisfaction_score=None if score is None else Decimal(score),
        aware_of_programme=aware,
    )


@pytest.fixture
def sample(district):
    for score, aware in (("80", True), ("75", True), ("70", True), ("75", False)):
        respond(SUB_A, score, aware)
    respond(SUB_B, "95", True)
    Population.objects.create(org_unit_id=SUB_A, year=2021, resident_population=50_000)
    Population.objects.create(org_unit_id=SUB_B, year=2021, resident_population=50_000)
    survey_weights_apply(wave=WAVE, population_year=2021)


def test_weights_are_the_designs(sample):
    weights = {
        (unit, w)
        for unit, w in SurveyResponse.objects.values_list("org_unit_id", "weight").distinct()
    }
    assert weights == {(SUB_A, Decimal("0.625")), (SUB_B, Decimal("2.5"))}  # module docstring


def test_satisfaction_verdict_uses_the_weighted_mean(sample, indicator):
    r = indicator("satisfaction_score")
    assert (r.numerator, r.denominator) == (Decimal("425"), Decimal("5"))  # Σw·y, Σw
    assert r.value == Decimal("85")  # 425 / 5
    assert r.status is Status.MET
    assert r.reading.startswith("后分层加权均值")  # the page's 口径 line
    (other,) = r.readings
    assert other.code == "unweighted"
    assert (other.numerator, other.denominator) == (Decimal("395"), Decimal("5"))
    assert other.value == Decimal("79")  # 395 / 5
    assert other.status is Status.NOT_MET
    assert other.flips  # the verdict hangs on the estimate


def test_awareness_verdict_uses_the_weighted_share(sample, indicator):
    r = indicator("awareness_rate")
    assert (r.numerator, r.denominator) == (Decimal("4.375"), Decimal("5"))
    assert r.value == Decimal("87.5")  # 4.375 / 5 × 100
    assert r.status is Status.MET
    (other,) = r.readings
    assert (other.numerator, other.denominator, other.value) == (4, 5, Decimal("80"))
    assert other.status is Status.NOT_MET and other.flips


def test_the_scorecard_figure_is_the_survey_pages(sample, indicator):
    """The survey page's estimate (surveys.estimates, with its interval) is the same Σw·y/Σw."""
    _, total = wave_results(WAVE)
    assert total.satisfaction.value == pytest.approx(85.0)
    assert total.awareness.value == pytest.approx(87.5)


def test_within_one_subdistrict_the_weights_cancel(sample, indicator):
    """Every respondent in A has the same weight, so A's weighted mean is its plain mean:
    0.625 × 300 / (0.625 × 4) = 75 — and so is its unweighted reading (no flip)."""
    r = indicator("satisfaction_score", org_unit=SUB_A)
    assert r.value == Decimal("75")
    assert r.readings[0].value == Decimal("75") and not r.readings[0].flips


def test_weighted_awareness_gap_in_weighted_respondents(district, indicator):
    """A: 4 aware, B: 1 not aware, weights 0.625 and 2.5 as above. Weighted share
    0.625 × 4 / 5 = 2.5 / 5 = 50 %; aware weight needed 85 % × 5 = 4.25, short by 1.75 → 2."""
    for _ in range(4):
        respond(SUB_A, "80", True)
    respond(SUB_B, "80", False)
    Population.objects.create(org_unit_id=SUB_A, year=2021, resident_population=50_000)
    Population.objects.create(org_unit_id=SUB_B, year=2021, resident_population=50_000)
    survey_weights_apply(wave=WAVE, population_year=2021)
    r = indicator("awareness_rate")
    assert r.value == Decimal("50")
    assert r.status is Status.NOT_MET
    assert r.gap.amount == 2
    assert r.gap.text_zh == "按加权样本还差 2 名知晓创建工作的受访者（加权有效样本 5）"


def test_no_responses_is_no_data_for_both_estimates(district, indicator):
    """No survey row in the period: Σw over no rows is NULL (a COUNT would be 0); both
    readings are 无数据, not 0 分 and not a veto."""
    SurveyResponseFactory(org_unit__code=SUB_A, responded_on=date(2020, 6, 1))  # other year
    for code in ("satisfaction_score", "awareness_rate"):
        r = indicator(code)
        assert r.status is Status.NO_DATA and r.value is None and r.gap is None
        assert r.denominator is None  # SUM(weight) over no rows
        assert r.readings[0].status is Status.NO_DATA
        assert r.readings[0].denominator == 0  # COUNT over no rows


def test_only_zero_weight_rows_is_no_data(district, indicator):
    """A cell the design could not weight gets weight 0: Σw = 0, so no weighted estimate
    (无数据); the unweighted reading still has its 1 response."""
    SurveyResponseFactory(org_unit__code=SUB_A, satisfaction_score=Decimal("90"))
    SurveyResponse.objects.update(weight=Decimal(0))
    r = indicator("satisfaction_score")
    assert (r.numerator, r.denominator) == (0, 0)
    assert r.status is Status.NO_DATA
    assert r.readings[0].value == Decimal("90") and r.readings[0].status is Status.MET


def _satisfaction_row(client) -> str:
    html = client.get(
        reverse("web:scorecard", kwargs={"org_code": DISTRICT, "period": "2021"})
    ).content.decode()
    return re.search(r'<tr id="indicator-satisfaction_score">(.*?)</tr>', html, re.S).group(1)


def test_the_page_says_which_estimate_the_verdict_used(
    sample, client, office_user, settings, tmp_path
):
    """The spec in force with ``min_valid_sample: 1`` (a copy of the real file): the two
    estimates' verdicts on these five answers, as the page shows them."""
    live = Path(settings.FOODSAFE_PROGRAMME_SPEC)
    text = live.read_text(encoding="utf-8")
    option = "\n      min_valid_sample: 385\n"  # items 22 and 23's options (not the comments)
    assert text.count(option) == 2
    copy = tmp_path / "programme.yaml"
    copy.write_text(text.replace(option, "\n      min_valid_sample: 1\n"), "utf-8")
    settings.FOODSAFE_PROGRAMME_SPEC = str(copy)
    client.force_login(office_user)
    row = _satisfaction_row(client)
    assert "口径：后分层加权均值" in row and "85" in row and "达标" in row
    other = re.search(r'data-reading="unweighted">(.*?)</div>', row, re.S).group(1)
    assert "未加权均值" in other and "79" in other and "未达标" in other and "结论不同" in other


def test_the_page_gives_no_verdict_on_five_answers(sample, client, office_user):
    """The real spec: 5 answers < 385 (RULES-supervision.md §3.3 [I]) — 85 for reference, 无数据
    with the reason under the status, and neither reading a verdict nor a flip."""
    client.force_login(office_user)
    row = _satisfaction_row(client)
    assert "85" in row and "无数据" in row and "达标" not in row
    assert row.count("有效样本 5 份，少于 385 份，不作判定") == 2  # under the status, as the gap
    other = re.search(r'data-reading="unweighted">(.*?)</div>', row, re.S).group(1)
    assert "79" in other and "无数据" in other and "结论不同" not in other
