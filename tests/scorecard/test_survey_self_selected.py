"""The public web form's answers (网络自愿填答, ``self_selected``) and items 22, 23 and veto 4
(new-user finding F10).

The evaluation survey is a third party's random telephone sample (RULES-supervision.md §3.1);
an open web form anyone may answer again and again is not a sample. The spec's reading [I]:
``self_selected: exclude`` on both indicators — the web answers stay in the ledger but do not
count; ``include`` is the configuration that counts them (metrics/surveys.py).

The sample, worked by hand (wave "2021-满意度", every row valid, weight 1 as stored, so the
weighted mean Σw·y/Σw is the plain mean):

    A街道: 90, 90, 90, 75, 75 (Σ 420)    aware: yes × 5
    B街道: 90, 90, 90, 75, 75 (Σ 420)    aware: yes × 4, no × 1
    满意度 = 840 / 10 = 84 分 ≥ 80 → 达标, veto 4 clear
    知晓率 = 9 / 10 = 90 % ≥ 85 → 达标

and 50 answers of the public web form in A街道, 很不满意 on all four core items (20 points
each under convention (a), the lowest the form can give) and "不知道" the drive:

    counted (include): 满意度 = (840 + 50 × 20) / (10 + 50) = 1840 / 60 = 30.666… → 30.67 分,
                       未达标, veto 4 fires; 知晓率 = 9 / 60 = 15 % → 未达标
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.scorecard.results import Status, VetoStatus
from tests.factories import SurveyResponseFactory

from .conftest import DISTRICT, SUB_A, SUB_B, any_sample, full_spec

CODES = ("satisfaction_score", "awareness_rate")


def spec(self_selected: str | None = None):
    """The real spec's items 22 and 23 and veto 4; ``self_selected`` switches the option of
    both indicators (None: as the spec has it). With ``min_valid_sample: 1`` (conftest
    ``any_sample``): these tests are about which answers count, worked on ten; that the web
    answers do not count toward the 385 either is ``test_survey_sample.py``'s."""
    full = full_spec()
    indicators = [full.indicator(code) for code in CODES]
    if self_selected is not None:
        indicators = [
            i.model_copy(update={"options": {**i.options, "self_selected": self_selected}})
            for i in indicators
        ]
    return any_sample(
        full.model_copy(
            update={
                "indicators": indicators,
                "vetoes": [v for v in full.vetoes if v.code == "veto_satisfaction"],
            }
        )
    )


def card(self_selected: str | None = None, org_unit: str = DISTRICT):
    return evaluate_scorecard(spec=spec(self_selected), org_unit=org_unit, period="2021")


def sampled(unit: str, score: str, aware: bool):
    return SurveyResponseFactory(
        org_unit__code=unit, satisfaction_score=Decimal(score), aware_of_programme=aware
    )


def web(n: int, unit: str = SUB_A):
    for _ in range(n):
        SurveyResponseFactory(
            org_unit__code=unit,
            satisfaction_score=Decimal("20"),
            aware_of_programme=False,
            mode="online",
            interviewer="public",
            self_selected=True,
        )


@pytest.fixture
def sample(district):
    for unit in (SUB_A, SUB_B):
        for score in ("90", "90", "90", "75"):
            sampled(unit, score, True)
    sampled(SUB_A, "75", True)
    sampled(SUB_B, "75", False)


def test_the_spec_leaves_the_web_form_out():
    for code in CODES:
        assert full_spec().indicator(code).options["self_selected"] == "exclude"


def test_fifty_web_answers_do_not_move_the_score_or_the_veto(sample):
    web(50)
    c = card()
    sat = c.indicator("satisfaction_score")
    assert (sat.numerator, sat.denominator) == (Decimal("840"), Decimal("10"))  # the sample
    assert sat.value == Decimal("84")  # 840 / 10
    assert sat.status is Status.MET
    aware = c.indicator("awareness_rate")
    assert (aware.numerator, aware.denominator) == (Decimal("9"), Decimal("10"))
    assert aware.value == Decimal("90")  # 9 / 10 × 100
    assert aware.status is Status.MET
    (veto,) = c.vetoes
    assert veto.code == "veto_satisfaction" and veto.status is VetoStatus.CLEAR


def test_the_same_figures_without_the_web_answers(sample):
    """The web answers change nothing: the same card as with none at all."""
    sat = card().indicator("satisfaction_score")
    assert sat.value == Decimal("84") and sat.status is Status.MET


def test_counting_them_is_configuration_and_changes_the_verdict(sample):
    web(50)
    c = card("include")
    sat = c.indicator("satisfaction_score")
    assert (sat.numerator, sat.denominator) == (Decimal("1840"), Decimal("60"))  # 840 + 50 × 20
    assert sat.value == Decimal("30.67")  # 1840 / 60 = 30.666…
    assert sat.status is Status.NOT_MET
    aware = c.indicator("awareness_rate")
    assert (aware.numerator, aware.denominator) == (Decimal("9"), Decimal("60"))
    assert aware.value == Decimal("15")  # 9 / 60 × 100
    (veto,) = c.vetoes
    assert veto.status is VetoStatus.VETOED  # 30.67 < 80


def test_the_unweighted_reading_leaves_them_out_too(sample):
    """The alternative reading (estimate: unweighted) inherits the indicator's option."""
    web(50)
    (other,) = card().indicator("satisfaction_score").readings
    assert other.code == "unweighted"
    assert (other.numerator, other.denominator) == (Decimal("840"), Decimal("10"))


def test_an_invalid_web_answer_is_out_either_way(sample):
    """``include`` counts the web answers as valid responses: one not 常住 6 months is not."""
    SurveyResponseFactory(
        org_unit__code=SUB_A, satisfaction_score=Decimal("20"), self_selected=True, valid=False
    )
    sat = card("include").indicator("satisfaction_score")
    assert (sat.numerator, sat.denominator) == (Decimal("840"), Decimal("10"))


def test_web_answers_alone_are_not_the_survey_reported(district):
    """The survey ledger is the office's to report (spec ``reporting``: 创城办, county level):
    a district with nothing but web answers has not reported it — 未上报, no verdict — where
    the web rows used to make it "loaded" (the engine's presence check counts rows of the
    sample only, ``MetricContext.ledger_rows``)."""
    web(3)
    sat = card().indicator("satisfaction_score")
    assert sat.status is Status.NO_DATA
    assert sat.note == "未上报"
    (veto,) = card().vetoes
    assert veto.status is VetoStatus.NO_DATA


def test_an_unknown_option_is_an_error(sample):
    with pytest.raises(ValueError, match="self_selected must be one of"):
        card("sometimes")
