"""The terminal table: CJK display width, wrapping, alignment; shared number formatting."""

from __future__ import annotations

from decimal import Decimal

from foodsafe.reports.formatting import (
    display_width,
    format_decimal,
    format_target,
    format_value,
    pad,
    wrap,
)
from foodsafe.reports.sample import sample_scorecard
from foodsafe.reports.text import HEADERS, scorecard_to_text


def test_display_width_counts_cjk_as_two():
    assert display_width("abc") == 3
    assert display_width("达标") == 4
    assert display_width("98.5%（全年）") == 5 + 8
    assert display_width(pad("未达标", 10)) == 10


def test_wrap_keeps_every_character_and_width():
    text = "区市场监管局、区委政法委、公安和平分局、区检察院、区法院、区卫生健康委"
    lines = wrap(text, 20)
    assert "".join(lines) == text
    assert all(display_width(line) <= 20 for line in lines)
    assert lines[0].endswith("、")


def test_format_numbers():
    assert format_decimal(Decimal("1200")) == "1200"
    assert format_decimal(Decimal("97.535")) == "97.54"
    assert format_decimal(None) == "—"
    card = sample_scorecard(period="2021S1")
    sampling = card.indicator("residue_sampling_per_thousand")
    assert format_value(sampling) == "1.12 批次/千人"
    assert format_target(sampling) == "≥ 2 批次/千人"


def test_pro_rated_target_shows_the_plans_target():
    from dataclasses import replace

    sampling = sample_scorecard().indicator("sampling_per_thousand")
    half = replace(sampling, target_value=Decimal("2"))
    assert format_target(half) == "≥ 2 批次/千人（全年 ≥ 4）"


def test_table_columns_line_up():
    text = scorecard_to_text(sample_scorecard())
    lines = text.splitlines()
    header = next(line for line in lines if line.strip().startswith("序号"))
    status_col = display_width(header[: header.index("状态")])
    rows = [line for line in lines if "达标" in line and "批次/千人" in line]
    assert rows
    for row in rows:
        cut = next(i for i in range(len(row)) if display_width(row[:i]) == status_col)
        assert row[cut:].startswith(("达标", "未达标"))
    assert all(h in header for h in HEADERS)
    assert not any(line != line.rstrip() for line in lines)
