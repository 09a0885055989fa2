"""No verdict on too small a sample: items 22 (满意度 ≥ 80 分), 23 (知晓率 ≥ 85 %) and veto 4.

RULES-supervision.md §3.3 [I]: ``n = t²·p(1−p)/e²`` = 1.96² × 0.5 × 0.5 ÷ 0.05² = 384.16 → 385
valid answers for ±5 points at 95 %; no official minimum exists, so the figure is the spec's
option ``min_valid_sample`` (385 on both indicators). Below it the value is shown for
reference, the status is 无数据 with the reason, and veto 4 is pending (无数据), never 触发否决:
one phone interview in an otherwise empty year no longer fails the city.

n counts the answers the estimate rests on: valid, not 网络自愿填答 (``self_selected: exclude``),
answering the question, and under the weighted estimate weighing above 0.

The small cases use the real spec's items 22, 23 and veto 4 with ``min_valid_sample: 4``
(conftest ``any_sample``), worked by hand:

    4 counted answers of 70 (aware: yes, yes, no, no) → n = 4 ≥ 4: 满意度 280 / 4 = 70 分
        未达标, veto 4 触发否决; 知晓率 2 / 4 = 50 % 未达标
    3 counted answers of 70 → n = 3 < 4: 70 分 for reference, 无数据
        "有效样本 3 份，少于 4 份，不作判定", veto 4 无数据
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from foodsafe.reports.formatting import gap_text
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.scorecard.results import Status, VetoStatus
from foodsafe.surveys.models import SurveyResponse
from tests.factories import SurveyResponseFactory

from .conftest import DISTRICT, SUB_A, SUB_B, any_sample, full_spec

CODES = ("satisfaction_score", "awareness_rate")


def spec(minimum: int | None = 4):
    """Items 22 and 23 and veto 4 of the real spec; ``minimum`` replaces its 385 (None: 385)."""
    full = full_spec()
    narrowed = full.model_copy(
        update={
            "indicators": [full.indicator(code) for code in CODES],
            "vetoes": [v for v in full.vetoes if v.code == "veto_satisfaction"],
        }
    )
    return narrowed if minimum is None else any_sample(narrowed, minimum)


def card(minimum: int | None = 4, org_unit: str = DISTRICT):
    return evaluate_scorecard(spec=spec(minimum), org_unit=org_unit, period="2021")


def answer(score: str | None = "70", aware: bool | None = True, unit: str = SUB_A, **kw):
    return SurveyResponseFactory(
        org_unit__code=unit,
        satisfaction_score=None if score is None else Decimal(score),
        aware_of_programme=aware,
        **kw,
    )


def test_the_spec_takes_385_on_both_and_says_so():
    for code in CODES:
        ind = full_spec().indicator(code)
        assert ind.options["min_valid_sample"] == 385  # ⌈1.96² × 0.25 ÷ 0.05²⌉ = ⌈384.16⌉
        assert "有效样本少于 385 份时数值仅供参考，不作判定" in ind.reading


def test_exactly_at_the_minimum_there_is_a_verdict(district):
    for aware in (True, True, False, False):
        answer("70", aware)
    c = card()
    sat = c.indicator("satisfaction_score")
    assert (sat.numerator, sat.denominator, sat.value) == (280, 4, Decimal("70"))  # 4 × 70 / 4
    assert sat.status is Status.NOT_MET and sat.note == ""
    assert sat.gap.text_zh == "满意度还差 10 分"  # 80 − 70
    aware = c.indicator("awareness_rate")
    assert aware.value == Decimal("50") and aware.status is Status.NOT_MET  # 2 / 4
    (veto,) = c.vetoes
    assert veto.status is VetoStatus.VETOED  # 70 < 80, on a sample of the minimum size


def test_one_below_the_minimum_no_verdict_and_veto_4_pending(district):
    for aware in (True, True, False):
        answer("70", aware)
    c = card()
    sat = c.indicator("satisfaction_score")
    # The value stays, for reference; the verdict and its gap go.
    assert (sat.numerator, sat.denominator, sat.value) == (210, 3, Decimal("70"))
    assert sat.status is Status.NO_DATA
    assert sat.note == "有效样本 3 份，少于 4 份，不作判定"
    assert sat.gap is None and sat.forecast is None
    assert gap_text(sat) == "有效样本 3 份，少于 4 份，不作判定"  # CLI, Excel, Word, page
    (other,) = sat.readings  # the unweighted reading: same n, no verdict either, no flip
    assert (other.value, other.status, other.flips) == (Decimal("70"), Status.NO_DATA, False)
    aware = c.indicator("awareness_rate")
    assert aware.value == Decimal("66.67")  # 2 / 3, for reference
    assert aware.status is Status.NO_DATA
    assert aware.note == "有效样本 3 份，少于 4 份，不作判定"
    (veto,) = c.vetoes
    assert veto.status is VetoStatus.NO_DATA  # not 触发否决 on 3 answers of 70
    assert veto.basis == (
        "群众食品安全满意度：无数据（有效样本 3 份，少于 4 份，不作判定；参考值 70.00分）"
    )
    item = next(i for i in c.items if i.number == 22)
    assert item.status is Status.NO_DATA  # never 达标 or 未达标 on it
    js = c.to_json()["indicators"][0]
    assert (js["status"], js["value"], js["note"]) == ("no_data", 70, sat.note)


def test_invalid_and_self_selected_answers_do_not_count_toward_n(district):
    """3 counted + 1 invalid (not 常住 6 months) + 1 网络自愿填答 = 5 rows, n = 3 < 4."""
    for _ in range(3):
        answer("90")
    answer("90", valid=False)
    answer("90", self_selected=True, mode="online")
    c = card()
    for code in CODES:
        r = c.indicator(code)
        assert r.denominator == 3  # Σ weight 1 × 3: the two others are in no part
        assert r.status is Status.NO_DATA
        assert r.note == "有效样本 3 份，少于 4 份，不作判定"
    # Counting the web answers is configuration (self_selected: include): then n = 4.
    included = spec().model_copy(
        update={
            "indicators": [
                i.model_copy(update={"options": {**i.options, "self_selected": "include"}})
                for i in spec().indicators
            ]
        }
    )
    sat = evaluate_scorecard(spec=included, org_unit=DISTRICT, period="2021").indicator(
        "satisfaction_score"
    )
    assert (sat.denominator, sat.status) == (4, Status.MET)  # 360 / 4 = 90 ≥ 80


def test_each_question_has_its_own_n(district):
    """Item 23's n is the answers to the awareness question: 4 scored, 3 of them asked."""
    for aware in (True, True, True, None):
        answer("85", aware)
    c = card()
    assert c.indicator("satisfaction_score").status is Status.MET  # n = 4: 340 / 4 = 85
    aware = c.indicator("awareness_rate")
    assert aware.value == Decimal("100")  # 3 / 3, for reference
    assert aware.note == "有效样本 3 份，少于 4 份，不作判定"


def test_a_zero_weight_answer_does_not_count_toward_n(district):
    """A weighted estimate rests on the rows weighing above 0: 3 of weight 1, 1 of 0 → n = 3."""
    for _ in range(4):
        answer("90")
    SurveyResponse.objects.filter(pk=SurveyResponse.objects.first().pk).update(weight=0)
    sat = card().indicator("satisfaction_score")
    assert (sat.numerator, sat.denominator) == (270, 3)  # 3 × 1 × 90 ÷ 3 × 1
    assert sat.note == "有效样本 3 份，少于 4 份，不作判定"


def test_the_same_minimum_for_a_subdistrict(district):
    """The district has n = 5 ≥ 4: a verdict; A街道's 3 and B街道's 2 answers give reference
    values only (the precision of an estimate depends on n, not on whom it describes)."""
    for _ in range(3):
        answer("90", unit=SUB_A)
    for _ in range(2):
        answer("70", unit=SUB_B)
    whole = card().indicator("satisfaction_score")
    assert (whole.value, whole.status) == (Decimal("82"), Status.MET)  # (270 + 140) / 5
    a = card(org_unit=SUB_A)
    assert a.indicator("satisfaction_score").value == Decimal("90")  # 270 / 3, reference
    assert a.indicator("satisfaction_score").note == "有效样本 3 份，少于 4 份，不作判定"
    b = card(org_unit=SUB_B)
    assert b.indicator("satisfaction_score").value == Decimal("70")  # 140 / 2, reference
    assert b.indicator("satisfaction_score").status is Status.NO_DATA  # not 未达标
    assert b.vetoes[0].status is VetoStatus.NO_DATA  # not 触发否决


@pytest.mark.parametrize(
    ("count", "status", "veto"),
    [
        (385, Status.NOT_MET, VetoStatus.VETOED),  # at the spec's 385: 79 < 80, a verdict
        (384, Status.NO_DATA, VetoStatus.NO_DATA),  # one below: no verdict, veto 4 pending
    ],
)
def test_the_real_spec_at_385_and_384(district, count, status, veto):
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            response_number=f"N{i:04d}",
            survey_code="2021-满意度",
            org_unit_id=SUB_A if i % 2 else SUB_B,
            responded_on="2021-07-01",
            satisfaction_score=Decimal("79"),
            aware_of_programme=True,
        )
        for i in range(count)
    )
    c = card(minimum=None)
    sat = c.indicator("satisfaction_score")
    assert sat.value == Decimal("79")  # count × 79 / count
    assert sat.status is status
    assert c.vetoes[0].status is veto
    if status is Status.NO_DATA:
        assert sat.note == "有效样本 384 份，少于 385 份，不作判定"


def test_one_phone_answer_in_an_empty_year_decides_nothing(district):
    """The finding: one interview of 40 分 used to trigger veto 4 and fail the city."""
    answer("40", aware=False)
    c = card(minimum=None)
    assert c.indicator("satisfaction_score").status is Status.NO_DATA
    assert c.indicator("awareness_rate").status is Status.NO_DATA
    assert c.vetoes[0].status is VetoStatus.NO_DATA
    assert "有效样本 1 份，少于 385 份，不作判定" in c.vetoes[0].basis


@pytest.mark.parametrize("bad", [0, -1, "385", 38.5, True])
def test_a_bad_minimum_is_an_error(district, bad):
    with pytest.raises(ValueError, match="min_valid_sample must be a whole number"):
        evaluate_scorecard(spec=any_sample(spec(None), bad), org_unit=DISTRICT, period="2021")
