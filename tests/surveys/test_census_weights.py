"""Post-stratification to the census by 街道 × 城乡 × 性别 × 年龄段 (RULES-supervision.md §3.3),
worked by hand on 2 subdistricts × 2 sexes × 2 age bands (everyone 城镇), with the two ways out
for a cell with people and no respondent: collapsing (the questionnaire's reading) and raking.

Weights: w_h = (N_h / N) / (n_h / n) over the cells (merged where needed); the estimates follow
from the stored weights (Kish n_eff = (Σw)² / Σw²; ``surveys.estimates``).
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from foodsafe.orgunits.models import Population
from foodsafe.surveys.estimates import RakingError, poststratify_collapsing, rake
from foodsafe.surveys.models import CensusCell, SurveyResponse
from foodsafe.surveys.selectors import wave_results
from foodsafe.surveys.services import SurveyError, survey_weights_apply
from tests.conftest import SUB_A, SUB_B

pytestmark = pytest.mark.django_db

WAVE = "w-census"
Y, OLD = "18-29", "60+"
SOURCE = "测试：第七次全国人口普查（手算样例）"

# Census, people aged 18+ (N = 2,000): A m·18–29 300, m·60+ 200, f·18–29 300, f·60+ 200;
# B m·18–29 200, m·60+ 300, f·18–29 100, f·60+ 400.
CENSUS = {
    (SUB_A, "m", Y): 300,
    (SUB_A, "m", OLD): 200,
    (SUB_A, "f", Y): 300,
    (SUB_A, "f", OLD): 200,
    (SUB_B, "m", Y): 200,
    (SUB_B, "m", OLD): 300,
    (SUB_B, "f", Y): 100,
    (SUB_B, "f", OLD): 400,
}
# Respondents (n = 20), with their 满意度: A m·18–29 4 (60 each), m·60+ 2, f·18–29 3,
# f·60+ 1 (100); B m·18–29 2, m·60+ 3, f·18–29 none, f·60+ 5. All others score 80.
SAMPLE = {
    (SUB_A, "m", Y): (4, 60),
    (SUB_A, "m", OLD): (2, 80),
    (SUB_A, "f", Y): (3, 80),
    (SUB_A, "f", OLD): (1, 100),
    (SUB_B, "m", Y): (2, 80),
    (SUB_B, "m", OLD): (3, 80),
    (SUB_B, "f", OLD): (5, 80),
}


def _census(cells=CENSUS, year=2020):
    for (unit, sex, age), people in cells.items():
        CensusCell.objects.create(
            org_unit_id=unit,
            year=year,
            urban_rural="urban",
            sex=sex,
            age_band=age,
            population=people,
            source=SOURCE,
        )


def _respondents(sample=SAMPLE, **override):
    number = 0
    for (unit, sex, age), (count, score) in sample.items():
        for _ in range(count):
            number += 1
            SurveyResponse.objects.create(
                response_number=f"R{number:03d}",
                survey_code=WAVE,
                org_unit_id=unit,
                responded_on=date(2021, 10, 20),
                satisfaction_score=score,
                aware_of_programme=True,
                **{"urban_rural": "urban", "sex": sex, "age_band": age, **override},
            )


def _weights() -> dict[tuple[str, str, str], set[Decimal]]:
    out: dict[tuple[str, str, str], set[Decimal]] = {}
    for unit, sex, age, w in SurveyResponse.objects.values_list(
        "org_unit_id", "sex", "age_band", "weight"
    ):
        out.setdefault((unit, sex, age), set()).add(w)
    return out


def test_collapsing_merges_the_empty_cell_within_its_subdistrict(district):
    _census()
    _respondents()
    summary = survey_weights_apply(wave=WAVE, population_year=2020)
    # B f·18–29 has 100 people and no respondent: merged with B f's other age band (the
    # configured order starts with 年龄段): B f·(all ages) N = 100 + 400 = 500, n = 0 + 5 = 5.
    # Every cell then has people and respondents; N = 2,000, n = 20:
    #   A m·18–29 (300/2000)/(4/20) = 0.15/0.20 = 0.75   A m·60+ (200/2000)/(2/20) = 1
    #   A f·18–29 (300/2000)/(3/20) = 1                   A f·60+ (200/2000)/(1/20) = 2
    #   B m·18–29 (200/2000)/(2/20) = 1                   B m·60+ (300/2000)/(3/20) = 1
    #   B f·all   (500/2000)/(5/20) = 1
    # Σw = 4×0.75 + 2 + 3 + 2 + 2 + 3 + 5 = 20 = n.
    assert _weights() == {
        (SUB_A, "m", Y): {Decimal("0.75")},
        (SUB_A, "m", OLD): {Decimal("1")},
        (SUB_A, "f", Y): {Decimal("1")},
        (SUB_A, "f", OLD): {Decimal("2")},
        (SUB_B, "m", Y): {Decimal("1")},
        (SUB_B, "m", OLD): {Decimal("1")},
        (SUB_B, "f", OLD): {Decimal("1")},
    }
    assert summary.cells == 7
    assert summary.merged == ("B街道（测试）·城镇·女·各年龄段（2 格）",)
    assert summary.uncovered == ()
    assert summary.source == SOURCE
    assert summary.method.startswith("街道×城乡×性别×年龄段")

    # The estimate from the stored weights:
    # ȳ = (3×60 + 2×100 + 15×80) / 20 = (180 + 200 + 1200) / 20 = 79.0 (unweighted: 77.0).
    # Σw² = 4×0.5625 + 2 + 3 + 4 + 2 + 3 + 5 = 21.25 → n_eff = 20² / 21.25 = 18.8235.
    # Σw(y − ȳ)² = 3×19² + 2×21² + 15×1² = 1083 + 882 + 15 = 1980;
    # s² = 1980 / 20 × 20/19 = 104.2105; se = √(104.2105 / 18.8235) = √5.53618 = 2.35291;
    # 79 ± 1.96 × 2.35291 = 79 ± 4.6117 → [74.388, 83.612].
    _rows, total = wave_results(WAVE)
    e = total.satisfaction
    assert e.value == pytest.approx(79.0)
    assert e.n_eff == pytest.approx(400 / 21.25)
    assert e.se == pytest.approx(math.sqrt(1980 / 19 / (400 / 21.25)))
    assert (e.low, e.high) == (pytest.approx(74.388, abs=1e-3), pytest.approx(83.612, abs=1e-3))


def test_a_subdistrict_without_respondents_is_uncovered(district):
    _census()
    _respondents({k: v for k, v in SAMPLE.items() if k[0] == SUB_A})
    summary = survey_weights_apply(wave=WAVE, population_year=2020)
    # B's four cells have people and no respondent even merged over 年龄段, 性别 and 城乡: B
    # is not represented; A's cells are weighted over A alone (N = 1,000, n = 10):
    # m·18–29 (300/1000)/(4/10) = 0.75; m·60+ 0.2/0.2 = 1; f·18–29 0.3/0.3 = 1; f·60+ 0.2/0.1 = 2.
    assert _weights() == {
        (SUB_A, "m", Y): {Decimal("0.75")},
        (SUB_A, "m", OLD): {Decimal("1")},
        (SUB_A, "f", Y): {Decimal("1")},
        (SUB_A, "f", OLD): {Decimal("2")},
    }
    assert summary.uncovered == ("B街道（测试）·各城乡·各性别·各年龄段",)


def test_a_dimension_some_respondent_lacks_is_left_out_and_said(district):
    _census()
    _respondents(age_band="")  # e.g. a third party's file without 年龄段
    summary = survey_weights_apply(wave=WAVE, population_year=2020)
    # Cells 街道 × 城乡 × 性别 (census summed over age): A m 500 (n 6), A f 500 (n 4),
    # B m 500 (n 5), B f 500 (n 5); N 2,000, n 20: A m 0.25/0.3 = 0.8333, A f 0.25/0.2 = 1.25,
    # B m and B f 0.25/0.25 = 1.
    by_cell: dict[tuple[str, str], set[Decimal]] = {}
    for unit, sex, w in SurveyResponse.objects.values_list("org_unit_id", "sex", "weight"):
        by_cell.setdefault((unit, sex), set()).add(w)
    assert by_cell == {
        (SUB_A, "m"): {Decimal("0.8333")},
        (SUB_A, "f"): {Decimal("1.25")},
        (SUB_B, "m"): {Decimal("1")},
        (SUB_B, "f"): {Decimal("1")},
    }
    assert summary.notes == ("20 份有效问卷缺少年龄段，本批次不按年龄段分层",)
    assert summary.method.startswith("街道×城乡×性别，")


def test_without_census_cells_the_weights_are_by_subdistrict_and_it_is_said(district):
    _respondents()
    Population.objects.create(org_unit_id=SUB_A, year=2020, resident_population=3000)
    Population.objects.create(org_unit_id=SUB_B, year=2020, resident_population=1000)
    summary = survey_weights_apply(wave=WAVE, population_year=2020)
    # A: n 10 of 20, N 3,000 of 4,000 → 0.75/0.5 = 1.5; B: 0.25/0.5 = 0.5.
    assert {w for (u, _s, _a), ws in _weights().items() if u == SUB_A for w in ws} == {
        Decimal("1.5")
    }
    assert {w for (u, _s, _a), ws in _weights().items() if u == SUB_B for w in ws} == {
        Decimal("0.5")
    }
    assert summary.notes == ("没有2020年分城乡、性别、年龄段的常住人口数，只按街道常住人口加权",)


# -- raking (the other reading, method: rake) ---------------------------------------------------

# A sample whose counts are a product n·f(街道)·g(性别)·h(年龄段) — n 16, f A ½ B ½, g m ¼ f ¾,
# h ½ ½ — rakes exactly in one pass: adjusting one margin leaves the others met. Margins:
# 街道 A 1,200, B 800; 性别 m 1,000, f 1,000; 年龄段 18–29 800, 60+ 1,200 (N = 2,000).
# Weight (adding up to N) = N_s/(n f_s) × N_x/(N g_x) × N_a/(N h_a):
#   A: 1200/8 = 150; B: 800/8 = 100; m: 1000/500 = 2; f: 1000/1500 = 2/3; 18–29: 800/1000 =
#   0.8; 60+: 1.2. A m·18–29 = 150×2×0.8 = 240, A m·60+ 360, A f·18–29 80, A f·60+ 120,
#   B m·18–29 160, B m·60+ 240, B f·18–29 53.33, B f·60+ 80. Check A: 240 + 360 + 3×80 +
#   3×120 = 1,200; m: 240 + 360 + 160 + 240 = 1,000; 18–29: 240 + 240 + 160 + 160 = 800.
# Scaled to add up to n = 16 (× 16/2000 = 0.008): 1.92, 2.88, 0.64, 0.96, 1.28, 1.92, 0.4267,
# 0.64.
RAKE_SAMPLE = {
    (SUB_A, "m", Y): 1,
    (SUB_A, "m", OLD): 1,
    (SUB_A, "f", Y): 3,
    (SUB_A, "f", OLD): 3,
    (SUB_B, "m", Y): 1,
    (SUB_B, "m", OLD): 1,
    (SUB_B, "f", Y): 3,
    (SUB_B, "f", OLD): 3,
}
RAKED = {
    (SUB_A, "m", Y): 1.92,
    (SUB_A, "m", OLD): 2.88,
    (SUB_A, "f", Y): 0.64,
    (SUB_A, "f", OLD): 0.96,
    (SUB_B, "m", Y): 1.28,
    (SUB_B, "m", OLD): 1.92,
    (SUB_B, "f", Y): 0.64 * 2 / 3,
    (SUB_B, "f", OLD): 0.64,
}
MARGINS = [{SUB_A: 1200, SUB_B: 800}, {"m": 1000, "f": 1000}, {Y: 800, OLD: 1200}]


def test_raking_by_hand():
    w = rake(RAKE_SAMPLE, MARGINS)
    assert w.by_cell == pytest.approx(RAKED)
    assert w.iterations == 1


def test_raking_refuses_a_category_without_respondents():
    sample = {k: v for k, v in RAKE_SAMPLE.items() if k[2] == Y}
    with pytest.raises(RakingError, match="第3个维度的 60\\+ 有常住人口但没有受访者"):
        rake(sample, MARGINS)


def test_collapsing_by_hand_without_the_database():
    # The first test's figures, straight through the function: B f·18–29 merged.
    sample = {k: n for k, (n, _score) in SAMPLE.items()}
    w = poststratify_collapsing(sample, CENSUS, [2, 1])
    assert w.by_cell[(SUB_A, "m", Y)] == pytest.approx(0.75)
    assert w.by_cell[(SUB_A, "f", OLD)] == pytest.approx(2.0)
    assert w.merged == {(SUB_B, "f", "*"): [(SUB_B, "f", Y), (SUB_B, "f", OLD)]}


@pytest.fixture
def raking_spec(settings, tmp_path):
    """The questionnaire in force with ``weighting.method: rake`` (the other reading)."""
    original = Path(settings.FOODSAFE_SURVEY_SPEC).read_text(encoding="utf-8")
    path = tmp_path / "rake.yaml"
    path.write_text(original.replace("method: collapse", "method: rake"), encoding="utf-8")
    settings.FOODSAFE_SURVEY_SPEC = str(path)


def test_the_configured_raking_stores_the_raked_weights(district, raking_spec):
    # Census cells whose margins are the ones above (A 1,200 = 300 + 300 + 200 + 400, …): the
    # cells differ from a product, but raking reads the margins only.
    _census(
        {
            (SUB_A, "m", Y): 300,
            (SUB_A, "m", OLD): 300,
            (SUB_A, "f", Y): 200,
            (SUB_A, "f", OLD): 400,
            (SUB_B, "m", Y): 100,
            (SUB_B, "m", OLD): 300,
            (SUB_B, "f", Y): 200,
            (SUB_B, "f", OLD): 200,
        }
    )
    _respondents({k: (n, 80) for k, n in RAKE_SAMPLE.items()})
    summary = survey_weights_apply(wave=WAVE, population_year=2020)
    assert _weights() == {k: {Decimal(str(round(v, 4)))} for k, v in RAKED.items()}
    assert "raking" in summary.method
    assert summary.notes == ("迭代 1 次收敛",)


def test_configured_raking_that_cannot_meet_a_margin_is_an_error(district, raking_spec):
    _census()
    _respondents({k: v for k, v in SAMPLE.items() if k[2] == Y})  # nobody 60+
    with pytest.raises(SurveyError, match="60\\+ 有常住人口但没有受访者"):
        survey_weights_apply(wave=WAVE, population_year=2020)
