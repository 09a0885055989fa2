"""The grading spec: the shipped national 2016 scheme loads, its [M]/[I] parts are flagged, and
bad specs are refused naming the file and the key. No database."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from foodsafe.riskgrading.spec import GradingSpecError, load_grading_spec, parse_grading_spec

NATIONAL = Path("foodsafe/riskgrading/specs/national-2016.yaml")


@pytest.fixture(scope="module")
def data():
    return yaml.safe_load(NATIONAL.read_text(encoding="utf-8"))


def test_national_2016_loads_with_the_numbers_of_rules_md():
    spec = load_grading_spec(NATIONAL)
    assert spec.label == "national-2016@1"
    assert len(spec.sha256) == 64
    # RULES.md §2.2: static 40 + dynamic 60; bands 30/45/60 [M]; frequencies A ≥1 … D 3–4 [S].
    assert (spec.scale.static_max, spec.scale.dynamic_max) == (40, 60)
    assert [(b.grade, b.max) for b in spec.bands.rows] == [
        ("A", 30),
        ("B", 45),
        ("C", 60),
        ("D", None),
    ]
    assert spec.bands.certainty == "M"
    assert {g: (f.min, f.max) for g, f in spec.frequencies.per_year.items()} == {
        "A": (1, None),
        "B": (1, 2),
        "C": (2, 3),
        "D": (3, 4),
    }
    # RULES.md §2.3 sales table: floor area 2001–3000 m² scores 3; suppliers > 300 score 6.
    sales = spec.static_table("sales")
    assert sales.certainty == "S" and sales.max_points == 40
    area = sales.item("floor_area")
    assert [(b.max, b.points) for b in area.bands][3] == (3000, 3)
    assert sales.item("suppliers").bands[-1].points == 6
    # Health food: 提取物 13 points; 就高不就低 (multiple choice scored at the highest).
    health = spec.static_table("health_food")
    assert health.item("main_material").multiple
    assert {o.code: o.points for o in health.item("main_material").options}["extract"] == 13
    # The dynamic sales checklist's retrieved first items keep their points (§1.4 [S]).
    checklist = spec.checklist_for("sales")
    assert checklist is not None
    assert checklist.item("3.1").points == 1 and checklist.item("1.1").points == Decimal("0.5")
    # Every checklist can reach the 60-point dynamic maximum (the [I] items were set so).
    for c in spec.checklists:
        assert sum(i.points for i in c.items) == 60, c.code
    # 第二十八条 has seven up cases, 第三十条 four down cases.
    assert len(spec.adjustment.up) == 7 and len(spec.adjustment.down) == 4


def test_table_for_an_operator_follows_sector_and_format():
    spec = load_grading_spec(NATIONAL)
    assert spec.static_table_for("catering", "school_canteen").code == "canteen"
    assert spec.static_table_for("catering", "central_kitchen").code == "group_meal"
    assert spec.static_table_for("catering", "restaurant").code == "catering"
    assert spec.static_table_for("sales", "supermarket").code == "sales"
    # production: the general table first; the health-food table is chosen on the record
    assert spec.static_table_for("production", "manufacturer").code == "production"


def test_open_parts_are_listed_for_the_pages():
    spec = load_grading_spec(NATIONAL)
    parts = {name: tag for name, tag, _ in spec.open_parts()}
    assert parts["风险等级分值区间"] == "[M]"
    assert parts["新开办企业"] == "[I]"
    assert parts["检查结果判定"] == "[M]"
    # the retrieved sales table is [S], so not listed; the catering table is [I]
    assert "食品销售企业静态风险因素量化分值表" not in parts
    assert parts["餐饮服务提供者静态风险因素量化分值表（餐馆、小餐饮等）"] == "[I]"


def _broken(data, change):
    bad = copy.deepcopy(data)
    change(bad)
    return bad


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda d: d["bands"]["rows"].pop(), "bands.rows[2].max", "最后一档不应设上限"),
        (
            lambda d: d["bands"]["rows"][1].update(max=20),
            "bands.rows[1].max",
            "递增",
        ),
        (
            lambda d: d["static_tables"][0]["items"][0]["bands"][0].update(points=9),
            "static_tables[0].items[0].max_points",
            "超过该因素满分",
        ),
        (
            lambda d: d["static_tables"][0]["items"][1].update(code="floor_area"),
            "static_tables[0].items[1]",
            "重复",
        ),
        (
            lambda d: d["adjustment"]["up"][0].update(detector="astrology"),
            "adjustment.up[0].detector",
            "未知的认定方式",
        ),
        (
            lambda d: d["adjustment"]["up"][2]["options"].pop("kind"),
            "adjustment.up[2].options.kind",
            "kind",
        ),
        (
            lambda d: d["checklists"][0]["items"][0].update(points=-1),
            "checklists[0].items[0].points",
            "greater than 0",
        ),
        (lambda d: d["frequencies"]["per_year"].pop("D"), "frequencies.per_year", "D"),
        (lambda d: d["scale"].update(static_max="forty"), "scale.static_max", "decimal"),
        (
            lambda d: (
                d["static_tables"][2]["formats"].append("restaurant_x")
                or d["static_tables"][3]["formats"].append("restaurant_x")
            ),
            "static_tables[3].formats",
            "已由",
        ),
        (lambda d: d.update(sha256="x"), "sha256", "由加载程序填写"),
        (lambda d: d.update(extra_key=1), "extra_key", "Extra inputs"),
    ],
)
def test_bad_spec_names_the_key(data, change, key, words):
    with pytest.raises(GradingSpecError) as exc:
        parse_grading_spec(_broken(data, change), path="province.yaml")
    assert exc.value.path == "province.yaml"
    assert exc.value.key == key
    assert words in exc.value.message
    assert str(exc.value).startswith(f"province.yaml: {key}: ")


def test_bad_files_name_the_file(tmp_path):
    missing = tmp_path / "none.yaml"
    with pytest.raises(GradingSpecError, match="none.yaml: \\(file\\)"):
        load_grading_spec(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("code: [unclosed\n", encoding="utf-8")
    with pytest.raises(GradingSpecError, match="broken.yaml: line 2: YAML"):
        load_grading_spec(broken)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just text\n", encoding="utf-8")
    with pytest.raises(GradingSpecError, match="scalar.yaml: \\(root\\)"):
        load_grading_spec(scalar)
