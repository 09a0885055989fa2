"""The survey import's optional column 网络自愿填答 (``SurveyResponse.self_selected``).

Without it, a file of the public web form's open answers imported by the office counted as the
sample in items 22, 23 and veto 4. 是/否, also 1/0 and Y/N (the import's yes/no words); a
blank cell, or no such column at all (an older file), is 否: the office's own survey files are
samples. Anything else is refused with file, sheet, row and column, and nothing is written.
"""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.services import ledger_import
from foodsafe.imports.templates import HELP_SHEET, ledger_template
from foodsafe.orgunits.models import Population
from foodsafe.programme.in_force import programme_spec
from foodsafe.scorecard.engine import evaluate_scorecard
from foodsafe.surveys.models import SurveyResponse
from tests.conftest import DISTRICT, SUB_A
from tests.imports.helpers import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["问卷编号", "调查批次", "区划代码", "答卷日期", "满意度得分", "网络自愿填答"]


def row(number: str, flag, score: int = 90) -> list:
    return [number, "w", SUB_A, "2021-10-20", score, flag]


def test_the_column_reads_yes_no_1_0_y_n_and_blank(district, tmp_path):
    path = write_xlsx(
        tmp_path / "survey.xlsx",
        [
            HEADER,
            row("S1", "是"),
            row("S2", "否"),
            row("S3", 1),
            row("S4", 0),
            row("S5", "Y"),
            row("S6", "n"),
            row("S7", None),  # blank = 否
        ],
    )
    ledger_import(ledger="surveys", path=path)
    assert dict(SurveyResponse.objects.values_list("response_number", "self_selected")) == {
        "S1": True,
        "S2": False,
        "S3": True,
        "S4": False,
        "S5": True,
        "S6": False,
        "S7": False,
    }


def test_a_file_without_the_column_is_a_sample(district, tmp_path):
    path = write_xlsx(tmp_path / "old.xlsx", [HEADER[:-1], row("S1", None)[:-1]])
    ledger_import(ledger="surveys", path=path)
    assert SurveyResponse.objects.get().self_selected is False


def test_a_bad_value_is_refused_with_file_sheet_row_and_column(district, tmp_path):
    path = write_xlsx(
        tmp_path / "web.xlsx",
        [HEADER, row("S1", "是"), row("S2", "也许"), row("S3", 2)],
        sheet="网上答卷",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="surveys", path=path)
    found = {(e.file, e.sheet, e.row, e.column, e.value): e.reason for e in excinfo.value.errors}
    assert found == {
        ("web.xlsx", "网上答卷", 3, "网络自愿填答", "也许"): "应填“是”或“否”",
        ("web.xlsx", "网上答卷", 4, "网络自愿填答", "2"): "应填“是”或“否”",
    }
    assert not SurveyResponse.objects.exists()  # all or nothing


def test_imported_web_answers_do_not_count_in_item_22(district, tmp_path):
    """3 sampled answers of 90 and 2 web answers of 20: item 22 counts the 3 (270 / 3 = 90),
    as the spec's ``self_selected: exclude`` says (``min_valid_sample: 1`` here: the sum is the
    point; with the spec's 385 neither would carry a verdict)."""
    # The import weights the sample (待加权 without any population figure): A alone, weight 1.
    Population.objects.create(org_unit_id=SUB_A, year=2021, resident_population=1000)
    path = write_xlsx(
        tmp_path / "mixed.xlsx",
        [HEADER, row("S1", "否"), row("S2", None), row("S3", 0), row("W1", "是", 20)]
        + [row("W2", "Y", 20)],
    )
    ledger_import(ledger="surveys", path=path)
    full = programme_spec()
    sat = full.indicator("satisfaction_score")
    sat = sat.model_copy(update={"options": {**sat.options, "min_valid_sample": 1}})
    spec = full.model_copy(update={"indicators": [sat], "vetoes": []})
    card = evaluate_scorecard(spec=spec, org_unit=DISTRICT, period="2021")
    sat = card.indicator("satisfaction_score")
    assert (sat.numerator, sat.denominator, sat.value) == (270, 3, Decimal("90"))


def test_the_template_has_the_column_and_says_blank_is_no():
    book = openpyxl.load_workbook(io.BytesIO(ledger_template("surveys")))
    header = [c.value for c in book["满意度和知晓率问卷"][1]]
    assert "网络自愿填答" in header  # optional: no "*"
    help_row = next(
        r for r in book[HELP_SHEET].iter_rows(values_only=True) if r[1] == "网络自愿填答"
    )
    assert help_row[2] == "否"  # not required
    assert "不填即“否”" in help_row[3]
