"""Issue 18 point 6: the field reference for profile writers is generated from the ledger
definitions; docs/import-fields.md must be exactly what they give today."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.imports.field_reference import DOC_PATH, field_reference

ROOT = Path(__file__).resolve().parents[2]


def test_docs_match_the_ledger_definitions():
    """Fails when a ledger, column, limit or choice changes and the doc was not regenerated:
    run ``foodsafe import-fields --write docs/import-fields.md`` and commit the result."""
    assert (ROOT / DOC_PATH).read_text(encoding="utf-8") == field_reference(), (
        "docs/import-fields.md is out of date: run "
        "`foodsafe import-fields --write docs/import-fields.md`"
    )


def test_rows_carry_the_model_limits_and_choices():
    """Worked out from the models: FoodBusiness.registry_number is a CharField(max_length=40)
    (the "keys longer than 40 characters" of the issue), risk_level has choices A-D, and
    inspections.business references a business by 登记编号."""
    text = field_reference(["businesses", "inspections"])
    assert "| `registry_number` | 登记编号 | 必填 | 文本，不超过40个字 |" in text
    assert "| `risk_level` | 风险等级 |  | 选项：A、B、C、D |" in text
    assert (
        "| `business` | 登记编号 | 必填 | 引用：须为系统中已有的食品生产经营者的登记编号 |" in text
    )
    assert "## `sampling`" not in text


def test_command_prints_writes_and_checks(tmp_path):
    out = StringIO()
    call_command("import-fields", "findings", stdout=out)
    assert out.getvalue() == field_reference(["findings"])
    target = tmp_path / "fields.md"
    call_command("import-fields", "--write", str(target), stdout=StringIO())
    call_command("import-fields", "--check", str(target), stdout=StringIO())
    target.write_text(
        target.read_text(encoding="utf-8").replace("必填", "可选", 1), encoding="utf-8"
    )
    with pytest.raises(CommandError, match="与台账定义不一致"):
        call_command("import-fields", "--check", str(target), stdout=StringIO())
    with pytest.raises(CommandError, match="未知台账 nope"):
        call_command("import-fields", "nope")
