"""``foodsafe inspection-plan``: makes the plan and says what it drew; --if-missing keeps it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from foodsafe.inspectionplan.models import InspectionPlan
from tests.conftest import DISTRICT


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("inspection-plan", *args, stdout=out)
    return out.getvalue()


def test_command(small_district, education_user):
    out = run("--org", DISTRICT, "--period", "2021Q4", "--seed", "2021")
    # 2 due (C and D operators), 1 drawn from the ten B's (10 × 0.20 × 3/12 = 0.5 → 1).
    assert "到期应检 2 家，双随机抽取 1 家" in out and "随机种子 2021" in out
    plan = InspectionPlan.objects.get()
    assert plan.created_by is None and plan.seed == 2021
    assert "保留" in run("--org", DISTRICT, "--period", "2021Q4", "--if-missing")
    with pytest.raises(CommandError, match="已有计划"):
        run("--org", DISTRICT, "--period", "2021Q4")
    with pytest.raises(CommandError, match="无权"):
        run("--org", DISTRICT, "--period", "202110", "--as", "education_user")
    with pytest.raises(CommandError, match="未知的用户"):
        run("--org", DISTRICT, "--period", "202110", "--as", "nobody")
