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
    """The demo's step on two operators with neither static factors nor a checklist: a central
    kitchen the registry records D keeps D (before: presumed Ⅳ → 32 → B, written over the D); a
    grocery with no recorded grade is 待评定 and is not confirmed. Assess 2, confirm 1."""
    FoodBusinessFactory(
        business_format="central_kitchen", org_unit_id=SUB_A, risk_level="D", name="甲厨房"
    )
    FoodBusinessFactory(business_format="grocery", sector="sales", org_unit_id=SUB_A, name="乙店")
    with time_machine.travel(date(2022, 1, 5), tick=False):
        with pytest.raises(CommandError, match="不是创城办用户"):
            run("--year", "2021", "--as", "inspector")
        out = run("--year", "2021", "--as", "office_admin", "--step", "assess",
                  "--step", "confirm-grade", "--export", str(tmp_path / "t.xlsx"))  # fmt: skip
    assert "assess: 2 家" in out and "confirm-grade: 1 家" in out
    grade = RiskGrade.objects.get()
    assert (grade.business.name, grade.level, grade.basis) == ("甲厨房", "D", "recorded")
    sheet = openpyxl.load_workbook(tmp_path / "t.xlsx")["风险等级确定表"]
    header = [c.value for c in sheet[1]]
    rows = {
        row[2].value: dict(zip(header, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    }
    kitchen, shop = rows["甲厨房"], rows["乙店"]
    assert (kitchen["风险等级得分"], kitchen["风险等级（确认）"]) == (None, "D")
    assert kitchen["评定依据"] == "缺少评定数据，沿用登记等级"
    assert shop["风险等级（确认）"] in (None, "") and shop["评定依据"] == "缺少评定数据，待评定"
    assert "缺少静态风险因素记录、检查要点记录（动态风险因素）" in shop["备注（情形依据）"]
