"""The census cells (分城乡性别年龄段常住人口) come in through the import with their source and
year, and the survey ledger carries each respondent's 城乡, 性别 and 年龄段: imported files
are weighted like the public page's answers (RULES-supervision.md §3.3)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.services import ledger_import
from foodsafe.surveys.models import CensusCell, SurveyResponse
from foodsafe.surveys.services import survey_weights_apply
from tests.conftest import DISTRICT, SUB_A, SUB_B
from tests.imports.helpers import write_csv

pytestmark = pytest.mark.django_db

CENSUS_HEADER = ["区划代码", "年度", "城乡", "性别", "年龄段", "常住人口", "来源"]
SURVEY_HEADER = [
    "问卷编号",
    "调查批次",
    "区划代码",
    "答卷日期",
    "满意度得分",
    "性别",
    "年龄段",
    "城乡",
]
SRC = "第七次全国人口普查（测试）"


def test_census_cells_and_respondents_imported_then_weighted(district, tmp_path):
    # Labels or codes are accepted: 城镇/urban, 女/f, "60岁及以上"/"60+".
    ledger_import(
        ledger="census_cells",
        path=write_csv(
            tmp_path / "census.csv",
            [
                CENSUS_HEADER,
                [SUB_A, 2020, "城镇", "男", "18-29", 600, SRC],
                [SUB_A, 2020, "城镇", "女", "60岁及以上", 400, SRC],
                [SUB_B, 2020, "urban", "m", "18-29", 500, SRC],
                [SUB_B, 2020, "urban", "f", "60+", 500, SRC],
            ],
        ),
    )
    assert CensusCell.objects.count() == 4
    assert set(CensusCell.objects.values_list("source", flat=True)) == {SRC}
    ledger_import(
        ledger="surveys",
        path=write_csv(
            tmp_path / "survey.csv",
            [
                SURVEY_HEADER,
                ["S1", "w", SUB_A, "2021-10-20", 80, "男", "18-29", "城镇"],
                ["S2", "w", SUB_A, "2021-10-20", 80, "女", "60岁及以上", "城镇"],
                ["S3", "w", SUB_A, "2021-10-20", 80, "女", "60岁及以上", "城镇"],
                ["S4", "w", SUB_B, "2021-10-20", 80, "男", "18-29", "城镇"],
                ["S5", "w", SUB_B, "2021-10-20", 80, "女", "60岁及以上", "城镇"],
            ],
        ),
    )
    summary = survey_weights_apply(wave="w", population_year=2020)
    # N = 2,000, n = 5, every cell has people and respondents:
    # A m·18–29 (600/2000)/(1/5) = 1.5; A f·60+ (400/2000)/(2/5) = 0.5;
    # B m·18–29 (500/2000)/(1/5) = 1.25; B f·60+ 1.25. Σw = 1.5 + 1 + 1.25 + 1.25 = 5 = n.
    assert dict(SurveyResponse.objects.values_list("response_number", "weight")) == {
        "S1": Decimal("1.5"),
        "S2": Decimal("0.5"),
        "S3": Decimal("0.5"),
        "S4": Decimal("1.25"),
        "S5": Decimal("1.25"),
    }
    assert summary.source == SRC


def test_a_bad_census_file_is_refused_whole_with_row_and_column(district, tmp_path):
    path = write_csv(
        tmp_path / "census.csv",
        [
            CENSUS_HEADER,
            [SUB_A, 2020, "城镇", "男", "18-29", 600, SRC],
            [DISTRICT, 2020, "城镇", "男", "18-29", 600, SRC],  # a district, not a 街道
            [SUB_B, 2020, "城镇", "男", "15-17", 10, SRC],  # no such age band
            [SUB_B, 2020, "城镇", "女", "18-29", 10, ""],  # no source
        ],
    )
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="census_cells", path=path)
    found = {(e.row, e.column): e.reason for e in excinfo.value.errors}
    assert found[(3, "区划代码")] == "须为街道（乡镇）的区划代码：后分层的格按街道划分"
    assert found[(4, "年龄段")].startswith("不是有效的选项")
    assert (5, "来源") in found
    assert not CensusCell.objects.exists()  # all or nothing
