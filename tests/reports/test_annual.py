"""An indicator judged on the year (``Status.ANNUAL``, spec ``cycle: year``) in a part of the
year: every report carries 按年度判定 and counts it neither as 达标 nor as 未达标
(h-newuser3 N2)."""

from __future__ import annotations

from dataclasses import replace

import docx
import openpyxl
import pytest

from foodsafe.reports.docx import scorecard_to_docx
from foodsafe.reports.formatting import gap_text, summary_zh
from foodsafe.reports.sample import sample_scorecard
from foodsafe.reports.text import scorecard_to_text
from foodsafe.reports.xlsx import STATUS_COLOURS, scorecard_to_xlsx
from foodsafe.scorecard.results import ANNUAL_NOTE, Status


@pytest.fixture
def card():
    """The sample scorecard with its first indicator turned into a part-year progress value
    (its value kept, no gap, the note), as the engine makes it."""
    base = sample_scorecard()
    first = replace(base.indicators[0], status=Status.ANNUAL, gap=None, note=ANNUAL_NOTE)
    return replace(base, indicators=(first, *base.indicators[1:]))


def test_counts_and_summary(card):
    before = sample_scorecard().counts()
    counts = card.counts()
    # One indicator moved out of whichever verdict it had into 按年度判定; 达标 + 未达标 lose it.
    assert counts["annual"] == 1
    assert counts["met"] + counts["not_met"] == before["met"] + before["not_met"] - 1
    assert "按年度判定 1 项" in summary_zh(card)
    assert card.overall != "all_met"


def test_gap_text_says_the_year_decides(card):
    assert gap_text(card.indicators[0]) == "期内进度，目标按年度判定，见全年评价"


def test_text_table(card):
    assert "按年度判定" in scorecard_to_text(card)


def test_excel(card, tmp_path):
    ws = openpyxl.load_workbook(scorecard_to_xlsx(card, tmp_path / "s.xlsx"))["指标"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[3].value == card.indicators[0].name)
    assert row[9].value == "按年度判定"
    assert row[9].fill.fgColor.rgb[-6:].upper() == STATUS_COLOURS[Status.ANNUAL][0][1:]
    assert row[10].value == "期内进度，目标按年度判定，见全年评价"


def test_word(card, tmp_path):
    document = docx.Document(scorecard_to_docx(card, tmp_path / "s.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "按年度判定1项" in text
    assert "按年度判定" in cells
