"""The questionnaire as data, scoring conventions (a) and (b), recording respondents and their
post-stratification weights, and the public survey page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from foodsafe.orgunits.models import Population
from foodsafe.surveys.models import SurveyAnswer, SurveyResponse
from foodsafe.surveys.questionnaire import questionnaire
from foodsafe.surveys.selectors import wave_results
from foodsafe.surveys.services import (
    Respondent,
    SurveyError,
    current_wave,
    survey_response_record,
    survey_weights_apply,
)
from tests.conftest import SUB_A, SUB_B
from tests.public.helpers import solve

pytestmark = pytest.mark.django_db


def test_convention_a_and_b():
    q = questionnaire()
    answers = {"Q1": "1", "Q2": "2", "Q3": "3", "Q4": "9", "A1": "1"}
    # (a): Q1 100, Q2 80, Q3 60, Q4 "don't know" left out → (100 + 80 + 60) / 3 = 80.00.
    assert q.satisfaction_score(answers) == Decimal("80.00")
    # (b): satisfied Q1, Q2 → 100, 100; Q3 → 0 → 200 / 3 = 66.67.
    b = q.model_copy(update={"convention": q.convention.model_copy(update={"kind": "b"})})
    assert b.satisfaction_score(answers) == Decimal("66.67")
    assert q.aware(answers) is True
    assert q.aware({"A1": "2"}) is False
    assert q.check_answers({"Q1": "7", "X": "1"}) == ["题目 Q1 没有答案代码 '7'", "未知题目 X"]


def record(number, unit, answers, resident=True):
    return survey_response_record(
        number=number,
        answers=answers,
        respondent=Respondent(org_unit_code=unit, resident_6m=resident),
        mode="phone",
        on=date(2021, 10, 8),
        wave="w1",
    )


def test_records_weights_and_results(district):
    record("r1", SUB_A, {"Q1": "2", "A1": "1"})  # 80, aware
    record("r2", SUB_A, {"Q1": "1", "A1": "2"})  # 100, not aware
    record("r3", SUB_B, {"Q1": "3", "A1": "1"})  # 60, aware
    record("r4", SUB_B, {"Q1": "3", "A1": "1"})  # 60, aware
    record("r5", SUB_B, {"Q1": "1", "A1": "1"}, resident=False)  # invalid: not 常住
    assert record("r1", SUB_A, {"Q1": "5"}).satisfaction_score == Decimal("80.00")  # stored once
    assert SurveyAnswer.objects.filter(response__response_number="r1").count() == 2
    with pytest.raises(SurveyError):
        record("r9", SUB_A, {"Q1": "7"})
    Population.objects.create(org_unit_id=SUB_A, year=2020, resident_population=3000)
    Population.objects.create(org_unit_id=SUB_B, year=2020, resident_population=1000)
    survey_weights_apply(wave="w1", population_year=2020)
    weights = dict(SurveyResponse.objects.values_list("response_number", "weight"))
    # As in test_estimates: A 1.5, B 0.5 (2 valid each); the invalid one 0.
    assert weights == {
        "r1": Decimal("1.5"),
        "r2": Decimal("1.5"),
        "r3": Decimal("0.5"),
        "r4": Decimal("0.5"),
        "r5": Decimal("0"),
    }
    rows, total = wave_results("w1")
    assert total.answered == 5 and total.valid == 4
    assert total.satisfaction.value == pytest.approx(82.5)  # hand-worked in test_estimates
    assert total.awareness.value == pytest.approx(62.5)
    by = {r.code: r for r in rows}
    assert by[SUB_B].satisfaction.value == pytest.approx(60)  # the invalid 100 left out
    assert by[SUB_A].awareness.value == pytest.approx(50)


def test_public_survey_page(client, district, settings):
    settings.FOODSAFE_PUBLIC_MIN_FILL_SECONDS = 0
    html = client.get(reverse("public:survey")).content.decode()
    token, answer = solve(html)
    data = {
        "token": token,
        "answer": answer,
        "org_unit_code": SUB_A,
        "urban_rural": "urban",
        "age_band": "30-39",
        "sex": "f",
        "resident_6m": "1",
        "q_Q1": "1",
        "q_Q2": "2",
        "q_Q3": "2",
        "q_Q4": "3",
        "q_A1": "1",
    }
    done = client.post(reverse("public:survey"), data)
    assert "感谢参与" in done.content.decode()
    r = SurveyResponse.objects.get()
    # (100 + 80 + 80 + 60) / 4 = 80.00
    assert (r.satisfaction_score, r.aware_of_programme, r.mode) == (
        Decimal("80.00"),
        True,
        "online",
    )
    assert r.phone_hash == "" and r.valid
    # F10: stored and marked 网络自愿填答 (left out of items 22, 23 and veto 4 by the spec's
    # reading; tests/scorecard/test_survey_self_selected.py), in the wave of the day.
    assert (r.self_selected, r.interviewer) == (True, "public")
    assert r.survey_code == current_wave(r.responded_on)  # "heping-2021-<year>"
    assert client.post(reverse("public:survey"), data).status_code == 200
    assert SurveyResponse.objects.count() == 1  # the same form twice: stored once


def test_office_results_page(client, district, office_admin):
    # Figures first: the answer is weighted as it is recorded (A alone: weight 1).
    Population.objects.create(org_unit_id=SUB_A, year=2020, resident_population=3000)
    record("r1", SUB_A, {"Q1": "2", "A1": "1"})
    client.force_login(office_admin)
    page = client.get(
        reverse("surveys:results") + "?margin=5&allowance=15&year=2020"
    ).content.decode()
    assert "443" in page  # 385 × 1.15 → 443, all to A街道
    assert "80.00" in page
    response = client.post(reverse("surveys:weights"), {"wave": "w1", "year": "2020"})
    assert response.status_code == 302
