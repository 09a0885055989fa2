"""The post-stratification weights follow every write of their inputs (h-recompute D3).

Items 22 and 23 (and veto 4) read the weighted estimate, 后分层加权 (RULES-supervision.md §3.3
[I]). The weights used to be computed only when someone pressed 按常住人口加权 on the survey
page: an imported wave kept the default weight 1 and the scorecard printed the plain mean
under the weighted label (84.00 for the example district, whose weighted figure is 84.09). Now
the survey, census-cell and population imports (and their rollback) and an answer of the sample
recorded by phone or with an invitation code reweight the waves in the same transaction
(``surveys.services.survey_weights_refresh``); a wave that cannot be weighted (no population
figure at all) is 待加权: weight 0, so the weighted estimate is 无数据, never the plain mean.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from foodsafe.imports.services import ledger_import
from foodsafe.orgunits.models import Population
from foodsafe.scorecard.results import Status
from foodsafe.surveys.models import SurveyResponse, SurveyWeighting
from foodsafe.surveys.services import Respondent, survey_response_record, survey_weights_apply
from tests.imports.helpers import write_csv

from .conftest import SUB_A, SUB_B

SAT = "satisfaction_score"
CENSUS = ["区划代码", "年度", "城乡", "性别", "年龄段", "常住人口", "来源"]
SURVEY = ["问卷编号", "调查批次", "区划代码", "答卷日期", "满意度得分", "性别", "年龄段", "城乡"]
SRC = "第七次全国人口普查（测试）"


def import_census(tmp_path, year: int = 2020, a_men: int = 600) -> None:
    # N = 2,000 adults in four cells (the same figures as tests/surveys/test_census_import.py).
    rows = [
        [SUB_A, year, "城镇", "男", "18-29", a_men, SRC],
        [SUB_A, year, "城镇", "女", "60+", 400, SRC],
        [SUB_B, year, "城镇", "男", "18-29", 500, SRC],
        [SUB_B, year, "城镇", "女", "60+", 500, SRC],
    ]
    ledger_import(ledger="census_cells", path=write_csv(tmp_path / f"c{year}.csv", [CENSUS, *rows]))


def import_answers(tmp_path) -> None:
    rows = [
        ["S1", "w", SUB_A, "2021-10-20", 90, "男", "18-29", "城镇"],
        ["S2", "w", SUB_A, "2021-10-20", 70, "女", "60+", "城镇"],
        ["S3", "w", SUB_A, "2021-10-20", 70, "女", "60+", "城镇"],
        ["S4", "w", SUB_B, "2021-10-20", 60, "男", "18-29", "城镇"],
        ["S5", "w", SUB_B, "2021-10-20", 100, "女", "60+", "城镇"],
    ]
    ledger_import(ledger="surveys", path=write_csv(tmp_path / "s.csv", [SURVEY, *rows]))


def weights() -> dict[str, Decimal]:
    return dict(SurveyResponse.objects.values_list("response_number", "weight"))


def test_imported_wave_is_weighted_without_the_page(small_sample_indicator, tmp_path):
    import_census(tmp_path)
    import_answers(tmp_path)
    # Nobody pressed 按常住人口加权. n = 5, N = 2,000, w = (N_h/N)/(n_h/n):
    # A m·18–29 (600/2000)/(1/5) = 1.5; A f·60+ (400/2000)/(2/5) = 0.5;
    # B m·18–29 (500/2000)/(1/5) = 1.25; B f·60+ 1.25.
    assert weights() == {
        "S1": Decimal("1.5"),
        "S2": Decimal("0.5"),
        "S3": Decimal("0.5"),
        "S4": Decimal("1.25"),
        "S5": Decimal("1.25"),
    }
    # The 2020 census cells for a 2021 wave: the latest figures up to the wave's year.
    record = SurveyWeighting.objects.get(survey_code="w")
    assert (record.population_year, record.chosen) == (2020, False)
    r = small_sample_indicator(SAT)
    # Σw·y / Σw = (1.5·90 + 0.5·70 + 0.5·70 + 1.25·60 + 1.25·100) / 5 = 405 / 5 = 81.00;
    # the plain mean (390 / 5 = 78.00) is the other reading, not the figure.
    assert r.value == Decimal("81.00")
    assert {x.code: x.value for x in r.readings}["unweighted"] == Decimal("78.00")


def test_answers_before_the_census_are_reweighted_when_it_comes(district, tmp_path):
    Population.objects.create(org_unit_id=SUB_A, year=2021, resident_population=3000)
    Population.objects.create(org_unit_id=SUB_B, year=2021, resident_population=1000)
    import_answers(tmp_path)
    # No census cells yet: by 街道 alone, N = 4,000, n = 5:
    # A (3000/4000)/(3/5) = 1.25; B (1000/4000)/(2/5) = 0.625.
    assert weights() == {
        "S1": Decimal("1.25"),
        "S2": Decimal("1.25"),
        "S3": Decimal("1.25"),
        "S4": Decimal("0.625"),
        "S5": Decimal("0.625"),
    }
    import_census(tmp_path)  # the census import reweights to its cells (figures above)
    assert weights()["S1"] == Decimal("1.5") and weights()["S4"] == Decimal("1.25")


def test_a_wave_without_any_population_figure_is_not_given_the_plain_mean(
    small_sample_indicator, tmp_path
):
    import_answers(tmp_path)
    # 待加权: nothing to weight to, so weight 0 — the weighted estimate has no data, where the
    # default weight 1 would have printed the plain mean 78.00 as 后分层加权.
    assert set(weights().values()) == {Decimal(0)}
    assert not SurveyWeighting.objects.exists()
    r = small_sample_indicator(SAT)
    assert (r.value, r.status) == (None, Status.NO_DATA)


def test_a_year_chosen_on_the_page_is_kept_when_an_answer_comes(district, tmp_path):
    import_census(tmp_path, 2020)
    import_census(tmp_path, 2021, a_men=1400)  # 2021: A m·18–29 1,400 → N = 2,800
    import_answers(tmp_path)
    assert weights()["S1"] == Decimal("2.5")  # default 2021: (1400/2800)/(1/5) = 2.5
    survey_weights_apply(wave="w", population_year=2020)  # the office picks 2020 on the page
    assert weights()["S1"] == Decimal("1.5")
    # A phone interview of the sample (A, no cell fields → not placeable in a cell; the
    # wave is then stratified by 街道 alone, said in the notes) still goes to 2020:
    survey_response_record(
        number="T1",
        answers={"Q1": "2", "A1": "1"},
        respondent=Respondent(org_unit_code=SUB_A, resident_6m=True),
        mode="phone",
        on=date(2021, 10, 21),
        wave="w",
    )
    record = SurveyWeighting.objects.get(survey_code="w")
    assert (record.population_year, record.chosen) == (2020, True)
    # 2020 by 街道: A 1,000 of 2,000 adults, 4 of 6 answers → (1000/2000)/(4/6) = 0.75;
    # B 1,000, 2 of 6 → (1000/2000)/(2/6) = 1.5.
    assert weights()["T1"] == Decimal("0.75") and weights()["S4"] == Decimal("1.5")
