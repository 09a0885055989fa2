"""The self-evaluation report, read back with python-docx."""

from __future__ import annotations

from dataclasses import replace

import docx
import pytest
from docx.oxml.ns import qn

from foodsafe.reports.docx import TABLE_HEADERS, report_title, scorecard_to_docx
from foodsafe.reports.sample import sample_scorecard
from foodsafe.scorecard.results import VetoStatus


@pytest.fixture
def scorecard():
    return sample_scorecard()


@pytest.fixture
def document(scorecard, tmp_path):
    path = scorecard_to_docx(scorecard, tmp_path / "report.docx")
    assert path.exists()
    return docx.Document(str(path))


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def section(document, heading: str) -> list[str]:
    """Paragraph texts after ``heading`` up to the next first-level heading."""
    out, inside = [], False
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            inside = p.text == heading
            continue
        if inside and p.text:
            out.append(p.text)
    return out


def test_title(document, scorecard):
    assert report_title(scorecard) == "和平区2021年创建国家食品安全示范城市工作自查自评报告"
    title = document.paragraphs[0]
    assert title.text.replace("\n", "") == "和平区2021年创建国家食品安全示范城市工作自查自评报告"
    rfonts = title.runs[0]._element.rPr.find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def test_page_layout_gbt_9704(document):
    s = document.sections[0]
    assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    assert round(s.top_margin.mm) == 37 and round(s.bottom_margin.mm) == 35
    assert round(s.left_margin.mm) == 28 and round(s.right_margin.mm) == 26
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"
    heading = document.styles["Heading 1"]
    assert heading.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


def test_example_notice_on_first_page(document):
    assert "示例数据" in document.paragraphs[1].text
    assert "示例数据" in document.sections[0].header.paragraphs[0].text


def test_no_notice_for_real_data(tmp_path):
    path = scorecard_to_docx(sample_scorecard(is_example=False), tmp_path / "r.docx")
    d = docx.Document(str(path))
    assert not any("示例数据" in t for t in texts(d))


def test_summary_paragraph(document):
    summary = " ".join(section(document, "一、总体情况"))
    assert "13项量化指标中，达标8项，未达标4项，无数据1项" in summary
    assert "3项未触发" in summary and "2项待认定" in summary
    assert "总体结果：存在差距" in summary


def test_one_table_per_group(document, scorecard):
    assert len(document.tables) == len(scorecard.groups) == 5
    for table in document.tables:
        assert [c.text for c in table.rows[0].cells] == list(TABLE_HEADERS)
    first = document.tables[0]
    rows = [[c.text for c in row.cells] for row in first.rows[1:]]
    row = next(r for r in rows if r[1] == "食品安全违法案件办结率")
    assert row == [
        "7",
        "食品安全违法案件办结率",
        "91.67%",
        "≥ 100%",
        "未达标",
        "还有 3 件案件未办结",
    ]
    # Items without an indicator are in their group's table too.
    third = [[c.text for c in row.cells] for row in document.tables[2].rows[1:]]
    assert [r[0] for r in third] == ["17", "18", "19", "20", "21"]


def test_veto_section(document):
    vetoes = section(document, "三、否决项情况")
    assert vetoes[0] == "5项否决项中，3项未触发，2项待认定或暂无数据，须尽快核实。"
    assert any(t.startswith("2．三年内发生重大及以上食品安全事故：未触发") for t in vetoes)
    assert any("群众食品安全满意度未达到80分：无数据" in t for t in vetoes)


def test_vetoed_report(tmp_path, scorecard):
    vetoes = tuple(
        replace(v, status=VetoStatus.VETOED) if v.number == 5 else v for v in scorecard.vetoes
    )
    d = docx.Document(
        str(scorecard_to_docx(replace(scorecard, vetoes=vetoes), tmp_path / "v.docx"))
    )
    assert "否决项第5项已触发，创建工作一票否决。" in section(d, "三、否决项情况")[0]
    assert "总体结果：否决" in " ".join(section(d, "一、总体情况"))


def test_gaps_listed_with_units(document):
    gaps = section(document, "四、差距与责任单位")
    text = "\n".join(gaps)
    assert "农药兽药残留抽检量（第13项）" in text
    assert "还需抽检 312 批次" in text
    line = next(t for t in gaps if "校园食品安全开学检查覆盖率（第5项）" in t)
    assert "责任单位：区市场监管局、区教育局、各街道办事处" in line
    assert "群众食品安全满意度（第22项）" in text  # no data is a gap too
    assert "食品评价性抽检合格率（第24项）" not in text  # met
    assert "区市场监管局：校园食品安全开学检查覆盖率、食品安全违法案件办结率" in text


def test_spec_adds_document_number(tmp_path, scorecard):
    from foodsafe.programme.in_force import programme_spec

    spec = programme_spec()
    d = docx.Document(str(scorecard_to_docx(scorecard, tmp_path / "s.docx", spec=spec)))
    assert any(spec.programme.document_number in t for t in texts(d))


def test_reporting_sentence(scorecard, tmp_path):
    from tests.reports.test_xlsx import _with_reporting

    path = scorecard_to_docx(_with_reporting(scorecard), tmp_path / "r.docx")
    overall = section(docx.Document(str(path)), "一、总体情况")
    # Two ledgers, one not fully reported (B街道 of the incident ledger).
    assert overall[-1] == (
        "数据上报情况：2类台账中1类未上报或未报齐：食品安全事件台账（B街道）。"
        "未上报台账的相关指标记为无数据，下级单位未报齐的汇总结果记为不完整，均不判定达标。"
    )


def test_reporting_sentence_when_complete(scorecard, tmp_path):
    from foodsafe.reports.formatting import reporting_sentence
    from foodsafe.scorecard.results import LedgerReport, UnitReport

    card = replace(
        scorecard,
        reporting=(
            LedgerReport("a", "甲台账", "county", ("x",), (UnitReport("x", "rows"),), ()),
            LedgerReport("b", "乙台账", "county", ("x",), (UnitReport("x", "zero_report"),), ()),
        ),
    )
    assert reporting_sentence(card) == "数据上报情况：2类台账均已上报（其中1类含零报告）。"
