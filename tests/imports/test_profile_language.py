"""Issue 18 points 4 and 5: short keys (hash, truncate, the row number) and per-step rules
(step filters; of repeated rows keep the first, the last or the latest by a column)."""

from __future__ import annotations

import copy

import pytest

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.profiles import ProfileError, parse_profile, profile_import
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness

from .helpers import write_csv

DISTRICT = "120101000000"

#: A foreign register: one row per (licence, year) with that year's risk grade.
BASE = {
    "profile": "register",
    "version": "1",
    "title": "登记表",
    "parameters": {"org_unit": {"default": DISTRICT}},
    "sources": {
        "rows": {
            "columns": {
                "licence": {"header": "许可证", "required": True},
                "name": "名称",
                "year": "年度",
                "grade": "风险",
                "kind": "类型",
            },
            "steps": [
                {
                    "ledger": "businesses",
                    "fields": {
                        "registry_number": {"column": "licence"},
                        "name": {"column": "name"},
                        "sector": "食品销售",
                        "business_format": "食杂店",
                        "org_unit": {"param": "org_unit"},
                        "risk_level": {"column": "grade"},
                    },
                }
            ],
        }
    },
}
HEADER = ["许可证", "名称", "年度", "风险", "类型"]


@pytest.fixture
def district(db):
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(code=DISTRICT, name="和平区（测试）", level=3, parent_id="120000000000")


def profile(**step) -> dict:
    data = copy.deepcopy(BASE)
    data["sources"]["rows"]["steps"][0].update(step)
    return data


def run(data: dict, path):
    return profile_import(profile=parse_profile(data), path=path)


def grades(tmp_path, rows):
    return write_csv(tmp_path / "r.csv", [HEADER, *rows])


# -- keys -------------------------------------------------------------------------------------


def test_hash_gives_a_short_stable_key(district, tmp_path):
    """SHA-256("abc") = BA7816BF 8F01CFEA … (the FIPS 180-2 test vector): ``hash: 12`` keeps
    the first 12 hex digits. The same text gives the same key on every import."""
    data = profile()
    data["sources"]["rows"]["steps"][0]["fields"]["registry_number"] = {
        "column": "licence",
        "hash": 12,
    }
    path = grades(tmp_path, [["abc", "甲店", "2013", "B", ""]])
    run(data, path)
    assert list(FoodBusiness.objects.values_list("registry_number", flat=True)) == ["BA7816BF8F01"]
    again = run(data, path)
    assert again.results[0].unchanged == 1


def test_truncate_and_row_number(district, tmp_path):
    """A 60-character key cut to its first 10 characters plus the row it came from."""
    data = profile()
    data["sources"]["rows"]["values"] = {"short": {"column": "licence", "truncate": 10}}
    data["sources"]["rows"]["steps"][0]["fields"]["registry_number"] = {
        "template": "{short}-{row_number}"
    }
    path = grades(tmp_path, [["X" * 60, "甲店", "2013", "B", ""], ["Y" * 60, "乙店", "", "", ""]])
    run(data, path)
    # The header is row 1, so the data rows are 2 and 3.
    assert sorted(FoodBusiness.objects.values_list("registry_number", flat=True)) == [
        "XXXXXXXXXX-2",
        "YYYYYYYYYY-3",
    ]


def test_key_rules_are_checked():
    bad = profile()
    bad["sources"]["rows"]["steps"][0]["fields"]["name"] = {"column": "name", "hash": 4}
    with pytest.raises(ProfileError, match=r"fields\.name\.hash"):
        parse_profile(bad)
    bad["sources"]["rows"]["steps"][0]["fields"]["name"] = {
        "column": "name",
        "hash": 12,
        "truncate": 3,
    }
    with pytest.raises(ProfileError, match="hash 和 truncate 只能用一个"):
        parse_profile(bad)


# -- per-step rules ---------------------------------------------------------------------------

#: One business graded in three years, out of order in the file (rows 2, 3, 4), and another.
THREE_YEARS = [
    ["L1", "甲店", "2011", "D", ""],
    ["L1", "甲店", "2013", "A", ""],
    ["L1", "甲店", "2012", "C", ""],
    ["L2", "乙店", "2012", "B", ""],
]
REASON = "同一许可证只取一行：保留第{kept_row}行"


@pytest.mark.parametrize(
    ("keep", "grade", "kept_row", "set_aside"),
    [
        # first in the file: row 2 (2011, D); rows 3 and 4 set aside.
        ({"keep": "first"}, "D", 2, [3, 4]),
        # last in the file: row 4 (2012, C).
        ({"keep": "last"}, "C", 4, [2, 3]),
        # latest by year: row 3 (2013, A), whatever the file order.
        ({"keep": "latest", "by": "year"}, "A", 3, [2, 4]),
    ],
)
def test_keep_first_last_latest(district, tmp_path, keep, grade, kept_row, set_aside):
    data = profile(drop_repeats={"fields": ["registry_number"], "reason": REASON, **keep})
    result = run(data, grades(tmp_path, THREE_YEARS))
    assert dict(FoodBusiness.objects.values_list("registry_number", "risk_level")) == {
        "L1": grade,
        "L2": "B",
    }
    assert [(r.row, r.check, r.reason) for r in result.rejected] == [
        (row, "drop_repeats", f"同一许可证只取一行：保留第{kept_row}行") for row in set_aside
    ]


def test_keep_latest_by_a_date_field(district, tmp_path):
    """``by`` may name a field the step fills: dates compare as dates (2013-01-05 is later
    than 2012-12-31 though "5" < "31" as text)."""
    data = profile(
        drop_repeats={
            "fields": ["registry_number"],
            "reason": "旧",
            "keep": "latest",
            "by": "opened_on",
        }
    )
    data["sources"]["rows"]["steps"][0]["fields"]["opened_on"] = {"column": "year"}
    path = grades(
        tmp_path, [["L1", "甲", "2013-01-05", "A", ""], ["L1", "甲", "2012-12-31", "D", ""]]
    )
    run(data, path)
    assert FoodBusiness.objects.get().risk_level == "A"


def test_step_filter_applies_to_its_step_only(district, tmp_path):
    """A row whose 类型 is 注销 is set aside by the businesses step with the rule's reason;
    the row stays available to the source's other steps (none here), and is not an error."""
    data = profile(
        filters=[
            {"when": {"in": {"column": "kind", "values": ["注销"]}}, "reason": "已注销：{licence}"}
        ]
    )
    result = run(data, grades(tmp_path, [["L1", "甲", "", "", "注销"], ["L2", "乙", "", "", ""]]))
    assert list(FoodBusiness.objects.values_list("registry_number", flat=True)) == ["L2"]
    [aside] = result.rejected
    assert (aside.row, aside.ledger, aside.check, aside.reason) == (
        2,
        "businesses",
        "filters[0]",
        "已注销：L1",
    )
    assert result.step_lines() == [
        "步骤 businesses：导入1行（新增1，更新0，未变0）；另列1行（filters[0]，第2行，如：已注销：L1）"
    ]


def test_repeat_rules_are_checked():
    with pytest.raises(ProfileError, match="keep: latest 须写 by"):
        parse_profile(profile(drop_repeats={"fields": ["name"], "reason": "r", "keep": "latest"}))
    with pytest.raises(ProfileError, match="drop_repeats.by"):
        parse_profile(
            profile(
                drop_repeats={"fields": ["name"], "reason": "r", "keep": "latest", "by": "nope"}
            )
        )
    with pytest.raises(ProfileError, match=r"steps\[0\]\.filters\[0\]\.when"):
        parse_profile(profile(filters=[{"when": {"blank": "nope"}, "reason": "r"}]))


def test_without_a_keep_rule_a_repeat_is_still_an_error(district, tmp_path):
    with pytest.raises(ImportValidationError, match="重复"):
        run(profile(), grades(tmp_path, THREE_YEARS))


def test_an_undetected_encoding_points_at_the_profile(district, tmp_path):
    """A cp1252 CSV ("CAFÉ" is the byte 0xC9) without ``encoding`` in the source: the error
    says where the fix goes (found timing the walkthrough in docs/import-profiles.md)."""
    path = tmp_path / "r.csv"
    path.write_bytes("许可证,名称\r\n".encode("gbk") + b"L1,CAF\xc9 \xc9\xc9\r\n" * 3)
    with pytest.raises(ImportValidationError) as info:
        run(profile(), path)
    [error] = info.value.errors
    assert "encoding: cp1252" in error.reason


def test_a_column_missing_from_the_file_is_named_in_the_error(district, tmp_path):
    """The profile's 风险 column (not marked required) fills the required 名称 here; the file
    heads it 等级, so the column is blank on every row and the ledger says 名称 is required.
    The error must also say the header was not found (a new user, 2026-12-07, renamed 所属街道
    and got 18 rows of "区划代码：必填项不能为空", none naming the header)."""
    data = profile()
    data["sources"]["rows"]["steps"][0]["fields"]["name"] = {"column": "grade"}
    path = write_csv(tmp_path / "r.csv", [["许可证", "名称", "等级"], ["L1", "甲", "A"]])
    with pytest.raises(ImportValidationError) as info:
        run(data, path)
    [error] = info.value.errors
    assert (error.row, error.column, error.reason) == (
        2,
        "名称（未找到表头“风险”）",
        "必填项不能为空",
    )
