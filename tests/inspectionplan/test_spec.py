"""The plan spec: the shipped file loads; bad files are refused naming the file and the key."""

from __future__ import annotations

import copy

import pytest
import yaml
from django.conf import settings

from foodsafe.inspectionplan.spec import PlanSpecError, load_plan_spec, parse_plan_spec


@pytest.fixture(scope="module")
def raw():
    with open(settings.FOODSAFE_PLAN_SPEC, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_shipped_spec_loads_and_lists_its_readings():
    spec = load_plan_spec(settings.FOODSAFE_PLAN_SPEC)
    assert spec.label == "plan-2021@1"
    assert spec.publication.working_days == 20  # 第三十九条
    assert spec.full_checklist.months == 24  # 第二十二条
    assert spec.inspectors.per_inspection == 2  # 第二十三条
    parts = {name: tag for name, tag, _ in spec.open_parts()}
    assert parts["双随机抽查比例"] == "[I]"
    assert parts["信用风险分类系数"] == "[M]"
    assert "两年全项目检查" not in parts  # [P]


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda d: d["frequency"].update(table="draft-2099"), "frequency.table", "未知的频次表"),
        (
            lambda d: d["frequency"]["counted_types"].append("visit"),
            "frequency.counted_types[4]",
            "未知的检查类型",
        ),
        (
            lambda d: d["random_inspection"]["annual_ratio"].pop("C"),
            "random_inspection.annual_ratio.C",
            "缺少",
        ),
        (
            lambda d: d["random_inspection"]["annual_ratio"].update(B=1.5),
            "random_inspection.annual_ratio.B",
            "0–1",
        ),
        (lambda d: d["inspectors"].update(per_inspection=1), "inspectors.per_inspection", ""),
        (
            lambda d: d["key_supervision"]["categories"][3].update(formats=["castle"]),
            "key_supervision.categories[3].formats",
            "未知的业态",
        ),
        (
            lambda d: d["planning_units"]["units"].update({"x": [120101000000]}),
            "planning_units.units.x[0]",
            "加引号",
        ),
        (lambda d: d.update(colour="red"), "colour", ""),
        (lambda d: d["publication"].pop("working_days"), "publication.working_days", ""),
    ],
)
def test_bad_spec_names_file_and_key(raw, change, key, words):
    data = copy.deepcopy(raw)
    change(data)
    with pytest.raises(PlanSpecError) as err:
        parse_plan_spec(data, path="plan.yaml")
    assert err.value.path == "plan.yaml"
    assert err.value.key == key
    assert words in err.value.message


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(PlanSpecError, match="无法读取"):
        load_plan_spec(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanSpecError) as err:
        load_plan_spec(bad)
    assert str(bad) in str(err.value) and "YAML" in str(err.value)
