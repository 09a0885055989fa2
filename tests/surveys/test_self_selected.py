"""The public web form's answers (网络自愿填答, ``self_selected``; new-user finding F10): kept and
marked, shown apart on the office's survey page with their own plain mean, left out of the
sample's results and of its weights (RULES-supervision.md §3.1: the evaluation survey is a
third party's random telephone sample; an open form is not a sample).

The wave "w1", worked by hand (convention (a): 100/80/60/40/20):

    sample (phone):  r1 A街道 Q1 比较满意 80, 知晓      r2 B街道 Q1 一般 60, 不知晓
    web (自愿填答):  p1 A街道 Q1 非常满意 100, 知晓    p2 A街道 Q1 不太满意 40, 知晓
                     p3 A街道 Q1 很不满意 20, 不知晓   p4 A街道 Q1 非常满意 100, 知晓, not 常住

    the sample's results: 2 answers, 满意度 (80 + 60) / 2 = 70, 知晓率 1 / 2 = 50 %
    the web answers: 4 stored, 3 valid; 满意度 (100 + 40 + 20) / 3 = 53.33 (p4 invalid, out);
                     知晓 2 / 3 = 66.67 %
"""

from __future__ import annotations

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from foodsafe.orgunits.models import Population
from foodsafe.surveys.models import SurveyResponse
from foodsafe.surveys.selectors import self_selected_summary, wave_results
from foodsafe.surveys.services import Respondent, survey_response_record, survey_weights_apply
from tests.conftest import SUB_A, SUB_B

pytestmark = pytest.mark.django_db


def record(number, unit, answers, *, web=False, resident=True):
    return survey_response_record(
        number=number,
        answers=answers,
        respondent=Respondent(org_unit_code=unit, resident_6m=resident),
        mode="online" if web else "phone",
        on=date(2021, 10, 8),
        wave="w1",
        interviewer="public" if web else "dh01",
        self_selected=web,
    )


@pytest.fixture
def wave(district):
    # A sample's answer is weighted as it is recorded (待加权, weight 0, without any
    # population figure): A and B alike keep r1 and r2 at weight 1.
    Population.objects.create(org_unit_id=SUB_A, year=2021, resident_population=1000)
    Population.objects.create(org_unit_id=SUB_B, year=2021, resident_population=1000)
    record("r1", SUB_A, {"Q1": "2", "A1": "1"})
    record("r2", SUB_B, {"Q1": "3", "A1": "2"})
    record("p1", SUB_A, {"Q1": "1", "A1": "1"}, web=True)
    record("p2", SUB_A, {"Q1": "4", "A1": "1"}, web=True)
    record("p3", SUB_A, {"Q1": "5", "A1": "2"}, web=True)
    record("p4", SUB_A, {"Q1": "1", "A1": "1"}, web=True, resident=False)


def test_web_answers_are_stored_and_marked(wave):
    marked = dict(SurveyResponse.objects.values_list("response_number", "self_selected"))
    assert marked == {
        "r1": False,
        "r2": False,
        "p1": True,
        "p2": True,
        "p3": True,
        "p4": True,
    }
    p3 = SurveyResponse.objects.get(response_number="p3")
    assert p3.satisfaction_score == Decimal("20.00") and p3.valid  # kept as answered


def test_the_samples_results_leave_them_out(wave):
    rows, total = wave_results("w1")
    assert (total.answered, total.valid) == (2, 2)  # r1, r2
    assert total.satisfaction.value == pytest.approx(70)  # (80 + 60) / 2
    assert total.awareness.value == pytest.approx(50)  # 1 / 2
    assert {r.code: r.answered for r in rows} == {SUB_A: 1, SUB_B: 1}


def test_their_own_summary(wave):
    s = self_selected_summary("w1")
    assert (s.answered, s.valid) == (4, 3)  # p4 not 常住: stored, not valid
    assert s.satisfaction == Decimal("53.33")  # (100 + 40 + 20) / 3 = 53.333…
    assert s.awareness == Decimal("66.67")  # 2 of 3 valid aware


def test_a_wave_without_web_answers(district):
    record("r1", SUB_A, {"Q1": "2"})
    s = self_selected_summary("w1")
    assert (s.answered, s.valid, s.satisfaction, s.awareness) == (0, 0, None, None)


def test_weighting_leaves_them_out(wave):
    """Population A 3,000, B 1,000; the sample has one respondent in each: w_A = (3/4)/(1/2)
    = 1.5, w_B = (1/4)/(1/2) = 0.5. Counting A's three valid web answers as respondents
    would have made A's sample share 4/5 and w_A = (3/4)/(4/5) = 0.9375; they keep weight 1."""
    Population.objects.create(org_unit_id=SUB_A, year=2020, resident_population=3000)
    Population.objects.create(org_unit_id=SUB_B, year=2020, resident_population=1000)
    survey_weights_apply(wave="w1", population_year=2020)
    weights = dict(SurveyResponse.objects.values_list("response_number", "weight"))
    assert weights == {
        "r1": Decimal("1.5"),
        "r2": Decimal("0.5"),
        "p1": Decimal("1"),
        "p2": Decimal("1"),
        "p3": Decimal("1"),
        "p4": Decimal("1"),
    }


def test_the_office_page_shows_them_apart(client, wave, office_admin):
    client.force_login(office_admin)
    page = client.get(reverse("surveys:results") + "?wave=w1").content.decode()
    assert "公众网页自愿填答（不计入满意度测评）" in page
    section = page[page.index('class="data survey-self-selected"') :]
    section = section[: section.index("</table>")]
    cells = [c.split("<")[0] for c in section.split('<td class="num">')[1:]]
    assert cells == ["4", "3", "53.33", "66.67"]  # module docstring
    results = page[page.index('class="data survey-results"') :]
    assert "70.00" in results[: results.index("</table>")]  # the sample's mean alone


def test_the_migration_marks_earlier_public_form_answers(district):
    """Answers the public form stored before the flag (number "WJ-…", mode 网络, interviewer
    "public") are marked; a phone interview and an imported online answer are not."""
    migration = importlib.import_module("foodsafe.surveys.migrations.0004_self_selected")
    record("WJ-abc", SUB_A, {"Q1": "5"}, web=True)
    record("DH-1", SUB_A, {"Q1": "5"})
    SurveyResponse.objects.create(
        response_number="WJ2021-0001",
        survey_code="w1",
        org_unit_id=SUB_A,
        responded_on=date(2021, 10, 8),
        mode="online",
        interviewer="third party",
    )
    SurveyResponse.objects.update(self_selected=False)  # as they were before the migration
    migration.mark_public_form_answers(apps, None)
    marked = dict(SurveyResponse.objects.values_list("response_number", "self_selected"))
    assert marked == {"WJ-abc": True, "DH-1": False, "WJ2021-0001": False}
