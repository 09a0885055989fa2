"""The loader rejects bad specs with a ProgrammeSpecError naming the file and the key.

Every case runs twice: on plain data (``parse_programme_spec``) and from a YAML file on disk
(``load_programme_spec``). No database.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from foodsafe.programme.spec import (
    ProgrammeSpecError,
    load_programme_spec,
    parse_programme_spec,
)

MINIMAL: dict[str, Any] = {
    "programme": {
        "code": "test-2021",
        "version": "0.1.0",
        "name": "测试方案",
        "document_number": "测试〔2021〕1号",
        "issued_on": date(2021, 8, 17),
        "year": 2021,
        "org_unit": "120101000000",
    },
    "responsible_units": [
        {"code": "market-regulation", "name": "区市场监管局"},
        {"code": "subdistricts", "name": "各街道办事处", "collective": True},
    ],
    "groups": [{"code": "outcomes", "number": 4, "title": "食品安全状况"}],
    "items": [
        {
            "number": 22,
            "group": "outcomes",
            "title": "群众满意度",
            "text": "群众食品安全满意度达到80分以上。",
            "units": [{"unit": "subdistricts"}],
            "evidence": ["满意度测评报告"],
        },
        {
            "number": 24,
            "group": "outcomes",
            "title": "抽检合格率",
            "text": "食品评价性抽检合格率达到98%以上。",
            "units": [{"unit": "market-regulation"}],
        },
    ],
    "indicators": [
        {
            "code": "evaluation_pass_rate",
            "item": 24,
            "metric": "evaluation_pass_rate",
            "name": "食品评价性抽检合格率",
            "unit": "%",
            "target": ">= 98",
            "gap": {"zh": "超出 {shortfall} 批次", "en": "{shortfall} batches over"},
        }
    ],
    "vetoes": [
        {
            "code": "veto_evaluation_pass_rate",
            "number": 5,
            "text": "食品评价性抽检合格率未达到98%",
            "rule": "indicator",
            "indicator": "evaluation_pass_rate",
        }
    ],
    "phases": [
        {
            "code": "launch",
            "number": 1,
            "name": "启动阶段",
            "start": date(2021, 1, 1),
            "end": date(2021, 6, 30),
        }
    ],
}


def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


def load_from_dict(data: dict[str, Any], tmp_path: Path, **kwargs: Any):
    return parse_programme_spec(data, path="minimal.yaml", **kwargs)


def load_from_file(data: dict[str, Any], tmp_path: Path, **kwargs: Any):
    path = tmp_path / "minimal.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_programme_spec(path, **kwargs)


LOADERS = pytest.mark.parametrize("load", [load_from_dict, load_from_file], ids=["dict", "file"])


def expect_error(load: Callable, data: dict[str, Any], tmp_path: Path, key: str, **kwargs: Any):
    with pytest.raises(ProgrammeSpecError) as info:
        load(data, tmp_path, **kwargs)
    err = info.value
    assert "minimal.yaml" in str(err)
    assert key in str(err)
    assert err.key == key
    return err


@LOADERS
def test_minimal_spec_loads(load, tmp_path):
    spec = load(minimal(), tmp_path)
    assert [i.number for i in spec.items] == [22, 24]
    assert spec.indicator("evaluation_pass_rate").target.is_met(98)


def test_file_load_sets_path_and_sha256(tmp_path):
    spec = load_from_file(minimal(), tmp_path)
    assert spec.path.endswith("minimal.yaml")
    assert len(spec.sha256) == 64


def test_missing_file(tmp_path):
    with pytest.raises(ProgrammeSpecError) as info:
        load_programme_spec(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(info.value)
    assert info.value.key == "(file)"


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("programme:\n  code: x\n  name: [unclosed\nitems: 1\n", encoding="utf-8")
    with pytest.raises(ProgrammeSpecError) as info:
        load_programme_spec(path)
    assert "broken.yaml" in str(info.value)
    assert info.value.key == "line 4"


def test_root_must_be_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(ProgrammeSpecError) as info:
        load_programme_spec(path)
    assert "list.yaml" in str(info.value)
    assert info.value.key == "(root)"


@LOADERS
def test_unknown_top_level_key(load, tmp_path):
    data = minimal()
    data["weights"] = {"22": 3}
    expect_error(load, data, tmp_path, "weights")


@LOADERS
def test_unknown_key_inside_an_item(load, tmp_path):
    data = minimal()
    data["items"][1]["weight"] = 3
    expect_error(load, data, tmp_path, "items[1].weight")


@LOADERS
def test_missing_required_key(load, tmp_path):
    data = minimal()
    del data["items"][0]["text"]
    expect_error(load, data, tmp_path, "items[0].text")


@LOADERS
def test_bad_target_string(load, tmp_path):
    data = minimal()
    data["indicators"][0]["target"] = "at least 4"
    err = expect_error(load, data, tmp_path, "indicators[0].target")
    assert "at least 4" in err.message


@LOADERS
def test_indicator_names_unknown_item(load, tmp_path):
    data = minimal()
    data["indicators"][0]["item"] = 99
    expect_error(load, data, tmp_path, "indicators[0].item")


@LOADERS
def test_item_names_unknown_unit(load, tmp_path):
    data = minimal()
    data["items"][1]["units"].append({"unit": "education", "role": "cooperating"})
    err = expect_error(load, data, tmp_path, "items[1].units[1].unit")
    assert "education" in err.message


@LOADERS
def test_item_names_unknown_group(load, tmp_path):
    data = minimal()
    data["items"][0]["group"] = "nowhere"
    expect_error(load, data, tmp_path, "items[0].group")


@LOADERS
def test_unknown_role(load, tmp_path):
    data = minimal()
    data["items"][0]["units"][0]["role"] = "supervising"
    expect_error(load, data, tmp_path, "items[0].units[0].role")


@LOADERS
def test_duplicate_item_number(load, tmp_path):
    data = minimal()
    data["items"][1]["number"] = 22
    err = expect_error(load, data, tmp_path, "items[1]")
    assert "22" in err.message


@LOADERS
def test_duplicate_unit_code(load, tmp_path):
    data = minimal()
    data["responsible_units"][1]["code"] = "market-regulation"
    expect_error(load, data, tmp_path, "responsible_units[1]")


@LOADERS
def test_unknown_metric_when_known_metrics_given(load, tmp_path):
    data = minimal()
    data["indicators"][0]["metric"] = "pass_rate_typo"
    err = expect_error(
        load, data, tmp_path, "indicators[0].metric", known_metrics={"evaluation_pass_rate"}
    )
    assert "pass_rate_typo" in err.message


@LOADERS
def test_any_metric_when_known_metrics_not_given(load, tmp_path):
    data = minimal()
    data["indicators"][0]["metric"] = "pass_rate_typo"
    assert load(data, tmp_path).indicators[0].metric == "pass_rate_typo"


@LOADERS
def test_veto_indicator_not_defined(load, tmp_path):
    data = minimal()
    data["vetoes"][0]["indicator"] = "satisfaction_score"
    err = expect_error(load, data, tmp_path, "vetoes[0].indicator")
    assert "satisfaction_score" in err.message


@LOADERS
def test_incident_veto_needs_lookback(load, tmp_path):
    data = minimal()
    data["vetoes"].append(
        {"code": "veto_major_incident", "number": 2, "text": "三年内…", "rule": "incident"}
    )
    expect_error(load, data, tmp_path, "vetoes[1].lookback_years")


@LOADERS
def test_phase_end_before_start(load, tmp_path):
    data = minimal()
    data["phases"][0]["end"] = date(2020, 12, 31)
    expect_error(load, data, tmp_path, "phases[0].end")


@LOADERS
def test_bad_org_unit_code(load, tmp_path):
    data = minimal()
    data["programme"]["org_unit"] = "120101"
    expect_error(load, data, tmp_path, "programme.org_unit")


REAL_SPEC = Path(__file__).resolve().parents[2] / "foodsafe/programme/specs/heping-2021.yaml"


def test_spec_rejects_loader_fields_and_unknown_veto_values():
    """path/sha256 are the loader's; a veto severity must be one of I–IV (a full-width Ⅱ is not);
    phase codes must be unique."""
    good = yaml.safe_load(REAL_SPEC.read_text(encoding="utf-8"))
    forged = copy.deepcopy(good)
    forged["sha256"] = "forged"
    with pytest.raises(ProgrammeSpecError, match=r"x\.yaml: sha256"):
        parse_programme_spec(forged, path="x.yaml")
    bad = copy.deepcopy(good)
    bad["vetoes"][1]["severities"] = ["Ⅱ"]
    with pytest.raises(ProgrammeSpecError, match=r"x\.yaml: vetoes\[1\]\.severities\[0\]"):
        parse_programme_spec(bad, path="x.yaml")
    dup = copy.deepcopy(good)
    dup["phases"][1]["code"] = dup["phases"][0]["code"]
    with pytest.raises(ProgrammeSpecError, match=r"x\.yaml: phases\[1\]"):
        parse_programme_spec(dup, path="x.yaml")


def test_targeted_indicator_needs_a_gap_and_vetoes_need_a_target():
    good = yaml.safe_load(REAL_SPEC.read_text(encoding="utf-8"))
    no_gap = copy.deepcopy(good)
    index = next(i for i, ind in enumerate(no_gap["indicators"]) if ind["code"] == "awareness_rate")
    del no_gap["indicators"][index]["gap"]
    with pytest.raises(ProgrammeSpecError, match=rf"x\.yaml: indicators\[{index}\]\.gap"):
        parse_programme_spec(no_gap, path="x.yaml")
    untargeted = copy.deepcopy(good)
    sat = next(ind for ind in untargeted["indicators"] if ind["code"] == "satisfaction_score")
    del sat["target"]
    veto = next(
        i for i, v in enumerate(untargeted["vetoes"]) if v.get("indicator") == "satisfaction_score"
    )
    with pytest.raises(ProgrammeSpecError, match=rf"x\.yaml: vetoes\[{veto}\]\.indicator"):
        parse_programme_spec(untargeted, path="x.yaml")


def test_phase_work_names_a_known_unit_and_a_start_before_its_due():
    """phases[].work (issue 17 point 3): an unknown unit, a repeated code and a start after the
    deadline are refused, each naming its key."""
    good = yaml.safe_load(REAL_SPEC.read_text(encoding="utf-8"))
    unknown = copy.deepcopy(good)
    unknown["phases"][0]["work"][1]["unit"] = "no-such-unit"
    with pytest.raises(ProgrammeSpecError, match=r"x\.yaml: phases\[0\]\.work\[1\]\.unit"):
        parse_programme_spec(unknown, path="x.yaml")
    dup = copy.deepcopy(good)
    dup["phases"][1]["work"][1]["code"] = dup["phases"][1]["work"][0]["code"]
    with pytest.raises(ProgrammeSpecError, match=r"x\.yaml: phases\[1\]\.work\[1\]"):
        parse_programme_spec(dup, path="x.yaml")
    late = copy.deepcopy(good)
    late["phases"][2]["work"][0]["start"] = date(2021, 9, 30)  # due 2021-09-10
    with pytest.raises(ProgrammeSpecError, match=r"x\.yaml: phases\[2\]\.work\[0\]\.start"):
        parse_programme_spec(late, path="x.yaml")
