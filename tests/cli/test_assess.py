"""``foodsafe assess``: argument checks before any work, the JSON shape, the report files."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.reports.management.commands import assess
from foodsafe.reports.sample import sample_scorecard
from foodsafe.reports.text import scorecard_to_text
from foodsafe.scorecard import engine

REPO_ROOT = Path(__file__).resolve().parents[2]
DISTRICT = "120101000000"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("assess", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def no_engine(monkeypatch):
    """Fail the test if the engine is asked to compute anything."""

    def boom(**kwargs):
        raise AssertionError("evaluate_scorecard must not run")

    monkeypatch.setattr(engine, "evaluate_scorecard", boom)


@pytest.mark.django_db
def test_unknown_org_unit_exits_2_and_writes_nothing(tmp_path, no_engine):
    out_dir = tmp_path / "out"
    with pytest.raises(CommandError) as info:
        run("--org", "999999999999", "--period", "2021", "--out", str(out_dir))
    assert info.value.returncode == 2
    message = str(info.value)
    assert "\n" not in message
    assert (
        "999999999999" in message and "未知的区划代码" in message and "unknown org unit" in message
    )
    assert not out_dir.exists()


@pytest.mark.parametrize("period", ["2021Q5", "2021S3", "202113", "21", ""])
def test_bad_period_exits_2_and_writes_nothing(tmp_path, district, no_engine, period):
    out_dir = tmp_path / "out"
    with pytest.raises(CommandError) as info:
        run("--org", DISTRICT, "--period", period, "--out", str(out_dir))
    assert info.value.returncode == 2
    assert "\n" not in str(info.value)
    assert "无效的期间" in str(info.value) and "invalid period" in str(info.value)
    assert not out_dir.exists()


def test_bad_as_of_exits_2(tmp_path, district, no_engine):
    with pytest.raises(CommandError) as info:
        run("--org", DISTRICT, "--period", "2021", "--as-of", "2021-13-01")
    assert info.value.returncode == 2


def test_bad_spec_exits_2(tmp_path, district, no_engine):
    bad = tmp_path / "bad.yaml"
    bad.write_text("programme: [", encoding="utf-8")
    out_dir = tmp_path / "out"
    with pytest.raises(CommandError) as info:
        run("--org", DISTRICT, "--period", "2021", "--spec", str(bad), "--out", str(out_dir))
    assert info.value.returncode == 2
    assert not out_dir.exists()


def test_json_is_the_scorecards_to_json(district, fake_engine):
    out, _ = run(
        "--org", DISTRICT, "--period", "2021S1", "--format", "json", "--as-of", "2021-06-30"
    )
    data = json.loads(out)
    assert set(data) == {
        "programme", "org_unit", "period", "indicators", "vetoes", "items", "as_of", "overall",
        "data_through",  # issue 10: 数据截至, the last date the ledgers reach
        "reporting",  # issue 10 §2: who has reported each ledger (数据上报情况)
    }  # fmt: skip
    expected = sample_scorecard(org_code=DISTRICT, org_name="和平区（测试）", period="2021S1")
    assert out.strip() == json.dumps(expected.to_json(), ensure_ascii=False, indent=2)
    assert fake_engine.calls[0].period == "2021S1"
    assert str(fake_engine.calls[0].as_of) == "2021-06-30"


def test_table_is_printed_by_default(district, fake_engine):
    out, _ = run("--org", DISTRICT, "--period", "2021")
    expected = sample_scorecard(org_code=DISTRICT, org_name="和平区（测试）", period="2021")
    assert out == scorecard_to_text(expected)
    assert "【示例数据】" in out
    assert "总体结果：存在差距" in out
    assert "否决项" in out
    assert "指标 13 项：达标 8 项，未达标 4 项" in out


def test_out_writes_three_reports_and_prints_paths(tmp_path, district, fake_engine):
    out_dir = tmp_path / "deep" / "out"
    out, _ = run("--org", DISTRICT, "--period", "2021", "--out", str(out_dir))
    names = sorted(p.name for p in out_dir.iterdir())
    assert names == [
        f"scorecard-{DISTRICT}-2021.json",
        f"scorecard-{DISTRICT}-2021.xlsx",
        f"self-evaluation-{DISTRICT}-2021.docx",
    ]
    for name in names:
        assert str(out_dir / name) in out
    data = json.loads((out_dir / f"scorecard-{DISTRICT}-2021.json").read_text(encoding="utf-8"))
    assert data["org_unit"]["code"] == DISTRICT


def test_json_with_out_keeps_stdout_valid_json(tmp_path, district, fake_engine):
    out, err = run(
        "--org", DISTRICT, "--period", "2021", "--format", "json", "--out", str(tmp_path)
    )
    json.loads(out)
    assert "scorecard-120101000000-2021.xlsx" in err


def test_real_engine_on_empty_ledgers(tmp_path, district):
    """With the real engine and spec and no ledger rows, every rate is 'no data', and the
    reports are still written."""
    out, _ = run("--org", DISTRICT, "--period", "2021", "--format", "json", "--out", str(tmp_path))
    data = json.loads(out)
    assert data["org_unit"] == {"code": DISTRICT, "name": "和平区（测试）", "is_example": False}
    assert data["programme"]["code"] == "heping-2021"
    assert len(data["items"]) == 33 and len(data["vetoes"]) == 5
    assert all(i["status"] in {"no_data", "met", "not_met"} for i in data["indicators"])
    assert len(list(tmp_path.iterdir())) == 3
    assert set(assess.report_paths(tmp_path, DISTRICT, "2021").values()) == set(tmp_path.iterdir())


def test_console_script_exit_code_and_one_line_message(tmp_path):
    """Through the real entry point: status 2 and one line on stderr, --out not created."""
    out_dir = tmp_path / "never"
    proc = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "foodsafe.cli", "assess", "--org", DISTRICT, "--period", "2021Q5",
         "--out", str(out_dir)],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "2021Q5" in lines[0]
    assert not out_dir.exists()
