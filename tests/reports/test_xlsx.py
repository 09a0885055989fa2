"""The scorecard workbook, read back with openpyxl."""

from __future__ import annotations

from dataclasses import replace

import openpyxl
import pytest

from foodsafe.reports.sample import sample_scorecard
from foodsafe.reports.xlsx import INDICATOR_HEADERS, STATUS_COLOURS, scorecard_to_xlsx
from foodsafe.scorecard.results import Status


@pytest.fixture
def scorecard():
    return sample_scorecard()


@pytest.fixture
def workbook(scorecard, tmp_path):
    path = scorecard_to_xlsx(scorecard, tmp_path / "scorecard.xlsx")
    assert path == tmp_path / "scorecard.xlsx"
    return openpyxl.load_workbook(path)


def fill(cell) -> str:
    return cell.fill.fgColor.rgb[-6:].upper()


def test_sheets(workbook):
    assert workbook.sheetnames[:2] == ["指标", "否决项"]
    assert "说明" in workbook.sheetnames


def test_indicator_sheet_headers_and_frozen_row(workbook):
    ws = workbook["指标"]
    assert [c.value for c in ws[1]] == list(INDICATOR_HEADERS)
    assert list(INDICATOR_HEADERS) == [
        "序号", "类别", "任务", "指标", "分子", "分母", "数值", "单位", "目标", "状态", "差距", "责任单位", "依据",
        "口径与另列",
    ]  # fmt: skip
    assert ws.freeze_panes == "A2"


def test_one_row_per_indicator(workbook, scorecard):
    ws = workbook["指标"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(scorecard.indicators) == 13
    names = [r[3] for r in rows]
    assert sorted(names) == sorted(i.name for i in scorecard.indicators)


def test_values_are_numbers_with_formats(workbook):
    ws = workbook["指标"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[3].value == "农药兽药残留抽检量")
    assert row[0].value == 13
    assert row[1].value == "能力建设" and row[2].value == "检验检测"
    assert row[4].value == 398 and row[5].value == 355000
    assert row[6].value == pytest.approx(1.1211)
    assert row[6].number_format == "#,##0.00"
    assert row[4].number_format == "#,##0"
    assert row[7].value == "批次/千人"
    assert row[9].value == "未达标"
    assert row[10].value == "还需抽检 312 批次"
    assert row[11].value == "区市场监管局"


def test_status_cells_are_coloured(workbook):
    ws = workbook["指标"]
    by_status = {row[9].value: row[9] for row in ws.iter_rows(min_row=2)}
    assert fill(by_status["达标"]) == STATUS_COLOURS[Status.MET][0][1:] == "C6EFCE"
    assert fill(by_status["未达标"]) == STATUS_COLOURS[Status.NOT_MET][0][1:] == "FFC7CE"
    assert fill(by_status["无数据"]) == "D9D9D9"


def test_evidence_needed_is_amber(tmp_path):
    scorecard = sample_scorecard()
    first = replace(scorecard.indicators[0], status=Status.EVIDENCE_NEEDED)
    scorecard = replace(scorecard, indicators=(first, *scorecard.indicators[1:]))
    ws = openpyxl.load_workbook(scorecard_to_xlsx(scorecard, tmp_path / "x.xlsx"))["指标"]
    assert ws["J2"].value == "待核验材料"
    assert fill(ws["J2"]) == "FFEB9C"


def test_no_data_row_has_empty_numbers(workbook):
    ws = workbook["指标"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[3].value == "群众食品安全满意度")
    assert row[4].value is None and row[6].value is None
    assert row[9].value == "无数据"


def test_veto_sheet(workbook):
    ws = workbook["否决项"]
    assert [c.value for c in ws[1]] == ["序号", "否决项", "状态", "依据"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0][2] == "待认定"


def test_notes_sheet_with_example_notice(workbook):
    text = "\n".join(
        str(v) for row in workbook["说明"].iter_rows(values_only=True) for v in row if v
    )
    assert "示例数据" in text
    assert "和平区2021年创建国家食品安全示范城市工作实施方案" in text
    assert "heping-2021" in text and "2021.1" in text
    assert "和平区（120101000000）" in text
    assert "2021年" in text and "2021-08-10" in text


def test_no_notice_for_real_data(tmp_path):
    scorecard = sample_scorecard(is_example=False)
    wb = openpyxl.load_workbook(scorecard_to_xlsx(scorecard, tmp_path / "real.xlsx"))
    text = "\n".join(str(v) for row in wb["说明"].iter_rows(values_only=True) for v in row if v)
    assert "示例数据" not in text


def _with_reporting(scorecard):
    """The sample scorecard with two ledgers' reporting (issue 10 §2): complaints reported by
    a zero report, incidents by 1 of 2 subdistricts; item 1 missing one evidence entry."""
    from foodsafe.scorecard.results import LedgerReport, UnitReport

    reporting = (
        LedgerReport(
            "complaints", "投诉举报台账", "county", ("区市场监管局",),
            (UnitReport("区市场监管局", "zero_report"),), ("投诉举报按时办结率",),
        ),
        LedgerReport(
            "incidents", "食品安全事件台账", "township", ("区市场监管局", "各街道"),
            (UnitReport("A街道", "rows"), UnitReport("B街道", "missing")), ("否决项2",),
        ),
    )  # fmt: skip
    items = tuple(
        replace(it, missing_evidence=("工作台账",)) if it.number == 1 else it
        for it in scorecard.items
    )
    return replace(scorecard, reporting=reporting, items=items)


def test_reporting_sheet_and_missing_column(scorecard, tmp_path):
    path = scorecard_to_xlsx(_with_reporting(scorecard), tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["上报情况"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["台账", "上报单位", "已上报/应上报", "各单位", "用于"]
    assert rows[1] == [
        "投诉举报台账",
        "区市场监管局",
        "1/1",
        "区市场监管局：零报告",
        "投诉举报按时办结率",
    ]
    # 1 of 2 subdistricts: grey (as 无数据), naming the one that has not reported.
    assert rows[2] == [
        "食品安全事件台账",
        "各街道",
        "1/2",
        "A街道：有台账数据；B街道：未上报",
        "否决项2",
    ]
    assert fill(ws["C3"]) == STATUS_COLOURS[Status.NO_DATA][0][1:]
    assert fill(ws["C2"]) == STATUS_COLOURS[Status.MET][0][1:]
    tasks = wb["任务"]
    assert tasks["H1"].value == "缺项"
    assert tasks["H2"].value == "证据缺：工作台账"  # item 1
