"""Import templates: the sheets, marks and drop-downs, and every example row imports."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.ledgers.base import BoolType, Enum
from foodsafe.imports.readers import match_columns, read_table
from foodsafe.imports.services import ledger_import
from foodsafe.imports.templates import (
    EXAMPLE_SHEET,
    HELP_SHEET,
    OPTIONS_SHEET,
    header_text,
    ledger_template,
    template_filename,
)
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness

from .helpers import row_counts


def load(ledger: str) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(ledger_template(ledger)))


@pytest.mark.parametrize("name", sorted(LEDGERS))
def test_template_layout(name):
    ledger = LEDGERS[name]
    columns = ledger.bound_columns()
    book = load(name)
    assert book.sheetnames == [ledger.title, EXAMPLE_SHEET, HELP_SHEET, OPTIONS_SHEET]
    assert book[OPTIONS_SHEET].sheet_state == "hidden"
    data = book[ledger.title]
    header = [cell.value for cell in data[1]]
    assert header == [header_text(c) for c in columns]
    for cell, column in zip(data[1], columns, strict=True):
        assert cell.value.startswith("*") == column.required
        assert cell.font.b
        assert (
            cell.font.color is not None and cell.font.color.rgb == "FFC00000"
        ) == column.required
        assert cell.comment is not None and column.type.describe() in cell.comment.text
    assert data.max_row == 1  # nothing to import by mistake

    # A drop-down for every enumeration and yes/no column, listing exactly its labels.
    options = book[OPTIONS_SHEET]
    lists = {
        str(dv.sqref).split(":")[0]: dv.formula1
        for dv in data.data_validations.dataValidation
        if dv.type == "list"
    }
    for index, column in enumerate(columns):
        letter = openpyxl.utils.get_column_letter(index + 1)
        if isinstance(column.type, Enum):
            expected = column.type.labels()
        elif isinstance(column.type, BoolType):
            expected = ["是", "否"]
        else:
            assert f"{letter}2" not in lists, column.header
            continue
        source = lists[f"{letter}2"].split("!")[1].replace("$", "")
        first, last = source.split(":")
        assert [c.value for row in options[first:last] for c in row] == expected, column.header

    # The importer finds every column of its own template.
    table = read_table(Path("t.xlsx"), data=ledger_template(name), columns=ledger.columns)
    positions, problems = match_columns(ledger.columns, table.header)
    assert problems == [] and len(positions) == len(ledger.columns)

    # 说明: one line per column with 必填, meaning and format.
    help_rows = [
        row for row in book[HELP_SHEET].iter_rows(values_only=True) if isinstance(row[0], int)
    ]
    assert [(r[1], r[2], r[4]) for r in help_rows] == [
        (c.header, "是" if c.required else "否", c.type.describe()) for c in columns
    ]
    assert all(r[3] for r in help_rows), "every column says what it means"


def test_template_text_columns_keep_codes_as_text():
    data = load("businesses")["食品生产经营者"]
    assert data.column_dimensions["C"].number_format == "@"  # 统一社会信用代码
    assert data.column_dimensions["J"].number_format == "yyyy-mm-dd"  # 开业日期


def test_template_filename():
    assert template_filename("sampling") == "抽检批次导入模板（sampling）.xlsx"


@pytest.fixture
def above_the_example_units(db):
    """The units above the example rows' subdistrict, and a school canteen to refer to."""
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(
        code="120100000000", name="市辖区（测试）", level=2, parent_id="120000000000"
    )
    OrgUnit.objects.create(
        code="120101000000", name="和平区（测试）", level=3, parent_id="120100000000"
    )


def test_every_example_row_imports_in_ledger_order(above_the_example_units, tmp_path):
    for name in LEDGERS:
        if name == "school_canteens":
            FoodBusiness.objects.create(
                registry_number="B0002",
                name="和平区示例小学食堂",
                sector="catering",
                business_format="school_canteen",
                org_unit_id="120101001000",
            )
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(ledger_template(name))
        result = ledger_import(ledger=name, path=path, sheet=EXAMPLE_SHEET)
        assert (result.rows, result.added) == (1, 1), name
    counts = row_counts()
    assert counts["imports.ImportLog"] == len(LEDGERS)


def test_template_command(tmp_path, capsys):
    out = tmp_path / "s.xlsx"
    call_command("template", "sampling", "--out", str(out))
    assert openpyxl.load_workbook(out).sheetnames[0] == "抽检批次"
    call_command("template", "--all", "--out", str(tmp_path / "all"))
    assert sorted(p.stem for p in (tmp_path / "all").iterdir()) == sorted(LEDGERS)
    assert str(out) in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "请给出台账名或 --all"),
        (("--all",), "--all 需要 --out 目录"),
        (("sampling", "--all", "--out", "x"), "--all 与台账名不能同时使用"),
    ],
)
def test_template_command_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("template", *args)
