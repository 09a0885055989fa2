"""Issue 18 point 7: real formats with no obvious place, each decided (docs/import-profiles.md,
"Real formats: what was decided") and shown working through a profile.

- 许可现场核查 is no 监督检查: set aside by a step filter with the rule in the reason.
- Violation counts without text: ``split: {count: true}`` makes one finding per counted
  violation, each saying that the file gave only the count.
- Licence numbers of an older or foreign form: kept out of 许可证编号 (blanked by a ``case``),
  the business still imported.
- Several problem flags per grain record: 发现问题 is true when any flag is set.
"""

from __future__ import annotations

import copy

import pytest

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.profiles import ProfileError, parse_profile, profile_import
from foodsafe.imports.profiles.expressions import evaluate
from foodsafe.imports.profiles.spec import Expr
from foodsafe.inspections.models import Finding, Inspection
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness

from .helpers import write_csv

DISTRICT = "120101000000"
#: The reason given for a 许可现场核查 row: 食品生产经营监督检查管理办法 第二条 (its scope: the
#: supervision of 食品生产经营者) and 第五十三条 (日常监督检查, 飞行检查, 体系检查 defined).
ON_SITE_REASON = (
    "许可现场核查属于许可审查程序，不是《食品生产经营监督检查管理办法》第二条、第五十三条所称的"
    "监督检查，不计入检查台账"
)

PROFILE = {
    "profile": "county_checks",
    "version": "1",
    "title": "某县检查记录（只有问题数量）",
    "parameters": {"org_unit": {"default": DISTRICT}},
    "sources": {
        "checks": {
            "columns": {
                "licence": {"header": "许可证号", "required": True},
                "name": "单位名称",
                "date": {"header": "检查日期", "required": True},
                "kind": {"header": "检查类型", "required": True},
                "problems": "问题数",
            },
            "values": {"number": {"template": "{licence}-{date}", "hash": 16}},
            "steps": [
                {
                    "ledger": "businesses",
                    "fields": {
                        "registry_number": {"column": "licence"},
                        "name": {"column": "name"},
                        "sector": "餐饮服务",
                        "business_format": "餐馆",
                        "org_unit": {"param": "org_unit"},
                        "licence_number": {
                            "case": [
                                {
                                    "when": {
                                        "matches": {
                                            "column": "licence",
                                            "regex": "^(JY|SC)\\d{14}$",
                                        }
                                    },
                                    "then": {"column": "licence"},
                                }
                            ],
                            "otherwise": None,
                        },
                    },
                    "drop_repeats": {"fields": ["registry_number"], "reason": "同一单位"},
                },
                {
                    "ledger": "inspections",
                    "filters": [
                        {
                            "when": {"in": {"column": "kind", "values": ["许可现场核查"]}},
                            "reason": ON_SITE_REASON,
                        }
                    ],
                    "fields": {
                        "inspection_number": {"column": "number"},
                        "business": {"column": "licence"},
                        "inspected_on": {"column": "date"},
                        "inspection_type": {"column": "kind", "map": {"日常检查": "日常监督检查"}},
                    },
                },
                {
                    "ledger": "findings",
                    "filters": [
                        {
                            "when": {"in": {"column": "kind", "values": ["许可现场核查"]}},
                            "reason": ON_SITE_REASON,
                        }
                    ],
                    "split": {"column": "problems", "count": True, "names": ["k"]},
                    "fields": {
                        "inspection": {"column": "number"},
                        "description": {
                            "template": "问题{k}（原文件只记问题数量{problems}，无问题内容）"
                        },
                    },
                },
            ],
        }
    },
}
HEADER = ["许可证号", "单位名称", "检查日期", "检查类型", "问题数"]


@pytest.fixture
def district(db):
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(code=DISTRICT, name="和平区（测试）", level=3, parent_id="120000000000")


def run(tmp_path, rows, data=None):
    path = write_csv(tmp_path / "checks.csv", [HEADER, *rows])
    return profile_import(profile=parse_profile(data or PROFILE), path=path, source="checks")


def test_on_site_licence_checks_are_set_aside_and_counts_become_findings(district, tmp_path):
    result = run(
        tmp_path,
        [
            ["JY21201010000016", "甲餐馆", "2021-03-02", "日常检查", "3"],
            # The on-site check found one problem: that finding is set aside with it.
            ["JY21201010000016", "甲餐馆", "2021-01-15", "许可现场核查", "1"],
            # An old 餐饮服务许可证 number (before JY licences, 2015): the business is kept,
            # the number is not taken for a 许可证编号.
            ["津餐证字2012120101000123", "乙餐馆", "2021-04-01", "日常检查", "0"],
        ],
    )
    assert dict(FoodBusiness.objects.values_list("registry_number", "licence_number")) == {
        "JY21201010000016": "JY21201010000016",
        "津餐证字2012120101000123": None,
    }
    # Two inspections: row 3 (the on-site licence check) is set aside for both steps.
    assert Inspection.objects.count() == 2
    assert [(r.row, r.ledger, r.check) for r in result.rejected] == [
        (3, "businesses", "drop_repeats"),
        (3, "findings", "filters[0]"),  # listed by row, then ledger name
        (3, "inspections", "filters[0]"),
    ]
    assert result.rejected[1].reason == ON_SITE_REASON
    # 3 counted problems → 3 findings on row 2's inspection; 0 → none for row 4.
    assert sorted(Finding.objects.values_list("description", flat=True)) == [
        f"问题{k}（原文件只记问题数量3，无问题内容）" for k in (1, 2, 3)
    ]
    again = run(tmp_path, [["JY21201010000016", "甲餐馆", "2021-03-02", "日常检查", "3"]])
    assert [r.added for r in again.results] == [0, 0, 0]  # stable keys and descriptions


def test_a_count_that_is_no_number_is_an_error(district, tmp_path):
    with pytest.raises(ImportValidationError) as info:
        run(tmp_path, [["JY21201010000016", "甲", "2021-03-02", "日常检查", "三"]])
    [error] = info.value.errors
    assert (error.row, error.column, error.reason) == (2, "问题数", "“三”不是整数，无法按数量拆分")
    with pytest.raises(ImportValidationError, match="数量5000不在0至1000之间"):
        run(tmp_path, [["JY21201010000016", "甲", "2021-03-02", "日常检查", "5000"]])


def test_count_split_is_checked():
    data = copy.deepcopy(PROFILE)
    data["sources"]["checks"]["steps"][2]["split"]["items"] = [";"]
    with pytest.raises(ProfileError, match="count: true 时不写 items"):
        parse_profile(data)


def test_several_grain_problem_flags_make_one_problem_found():
    """粮食质量监测 records 发现问题 once per record (2021 细则: problems found are handled
    100 %, counted per record): a record with any of its flags set has a problem."""
    flags = ["mycotoxin", "heavy_metal", "pesticide"]
    expr = Expr.model_validate(
        {
            "case": [
                {
                    "when": {
                        "any": [{"in": {"column": f, "values": ["是", "超标"]}} for f in flags]
                    },
                    "then": True,
                }
            ],
            "otherwise": False,
        }
    )
    assert evaluate(expr, {"mycotoxin": "否", "heavy_metal": "超标", "pesticide": ""}) is True
    assert evaluate(expr, {"mycotoxin": "否", "heavy_metal": "否", "pesticide": None}) is False
