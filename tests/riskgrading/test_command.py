"""``foodsafe grade``: check a spec, grade and confirm a year as the office, export."""

from __future__ import annotations

from datetime import date
from io import StringIO

import openpyxl
import pytest
import time_machine
from django.core.management import CommandError, call_command

from foodsafe.registry.models import RiskGrade
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory

from .helpers import NATIONAL

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("grade", *args, stdout=out)
    return out.getvalue()


def test_check_a_spec_file(tmp_path):
    assert run("--check", str(NATIONAL)).startswith("OK national-2016@1 sha256 ")
    bad = tmp_path / "province.yaml"
    bad.write_text(NATIONAL.read_text(encoding="utf-8").replace("static_max: 40", "static_max: -1"))
    with pytest.raises(CommandError, match="province.yaml: scale.static_max: "):
        run("--check", str(bad))


def test_grade_confirm_and_export(district, office_admin, inspector, tmp_path):
    FoodBusinessFactory(business_format="central_kitchen", org_unit_id=SUB_A)  # Ⅳ → 32 → B
    with time_machine.travel(date(2022, 1, 5), tick=False):
        with pytest.raises(CommandError, match="不是创城办用户"):
            run("--year", "2021", "--as", "inspector")
        out = run("--year", "2021", "--as", "office_admin", "--step", "assess",
                  "--step", "confirm-grade", "--export", str(tmp_path / "t.xlsx"))  # fmt: skip
    assert "assess: 1 家" in out and "confirm-grade: 1 家" in out
    assert RiskGrade.objects.get().level == "B"
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["风险等级确定表"]
    assert sheet.cell(row=2, column=13).value == "B"  # 风险等级（确认）
