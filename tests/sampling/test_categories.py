"""The food category tree as data, and batches keeping their category by code."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.imports.services import ledger_import
from foodsafe.sampling.categories import (
    CategoryTreeError,
    UnknownCategory,
    category_tree,
    load_category_tree,
)
from foodsafe.sampling.models import SamplingBatch
from tests.factories import SamplingBatchFactory
from tests.imports.helpers import row_counts, write_xlsx
from tests.imports.test_importer import SAMPLING_HEADER, SUB, brief, failing, units  # noqa: F401


def test_tree_has_the_34_categories_in_cat34_order():
    tops = category_tree().tops()
    # RULES-supervision.md §2.1: 34 大类, 1 粮食加工品 … 31 餐饮食品, 32 食用农产品, 34 其他食品.
    assert len(tops) == 34
    assert (tops[0].code, tops[0].name) == ("01", "粮食加工品")
    assert (tops[31].code, tops[31].name) == ("32", "食用农产品")
    assert (tops[33].code, tops[33].name) == ("34", "其他食品")


def test_residue_marks_follow_the_item_lists():
    tree = category_tree()
    # §2.2: 叶菜 (菠菜) carry 农药 items; 鲜蛋 and 畜禽肉 carry 兽药 items; 粮食加工品 none.
    assert tree.resolve("菠菜").residue == "pesticide"
    assert tree.resolve("鸡蛋").residue == "vet_drug"
    assert tree.resolve("猪肉").residue == "vet_drug"
    assert tree.residue_bearing("32") and tree.residue_bearing("26")
    assert not tree.residue_bearing("01")
    assert {c.residue for c in tree.residue_leaves("3202")} == {"pesticide"}


def test_resolve_names_aliases_and_refines_by_sample_name():
    tree = category_tree()
    assert tree.resolve("水果").code == "3204"  # alias of 水果类
    assert tree.resolve("蔬菜", "韭菜").code == "32020201"  # 细类 below 蔬菜
    # A sample name that is not below the category does not move it: 糕点 + 韭菜 stays 24.
    assert tree.resolve("糕点", "韭菜").code == "24"
    # Full-width and half-width brackets are the same name.
    assert tree.resolve("食用植物油（含煎炸用油）").code == "0201"
    with pytest.raises(UnknownCategory, match="“蔬果”不在食品分类"):
        tree.resolve("蔬果")


def test_tree_file_errors_name_the_key(tmp_path):
    bad = tmp_path / "tree.yaml"
    bad.write_text(
        "code: t\nversion: '1'\ncertainty: I\ncategories:\n"
        "  - {code: '01', name: 甲}\n  - {code: '02', name: 甲}\n",
        encoding="utf-8",
    )
    with pytest.raises(CategoryTreeError, match=r"categories\[1\]\.name: 名称重复：甲"):
        load_category_tree(bad)
    bad.write_text(
        "code: t\nversion: '1'\ncertainty: I\ncategories:\n"
        "  - code: '01'\n    name: 甲\n    children: [{code: '0201', name: 乙}]\n",
        encoding="utf-8",
    )
    with pytest.raises(CategoryTreeError, match=r"categories\[0\]\.children\[0\]\.code"):
        load_category_tree(bad)


def test_import_keeps_the_code_and_refuses_unknown_names(units, tmp_path):  # noqa: F811
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            [*SAMPLING_HEADER, "样品名称"],
            ["S1", "2021-05-06", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格", "韭菜"],
            ["S2", "2021-05-06", SUB, "B001", "监督抽检", "流通", "超市", "糕点", "合格", "月饼"],
        ],
    )
    ledger_import(ledger="sampling", path=path)
    codes = dict(SamplingBatch.objects.values_list("sample_number", "category_code"))
    assert codes == {"S1": "32020201", "S2": "24"}

    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            SAMPLING_HEADER,
            ["S3", "2021-05-06", SUB, "B001", "监督抽检", "流通", "超市", "时令蔬果", "合格"],
        ],
    )
    before = row_counts()
    [(row, column, value, reason)] = brief(failing(ledger="sampling", path=bad))
    assert (row, column, value) == (2, "食品大类", "时令蔬果")
    assert reason.startswith("“时令蔬果”不在食品分类")
    assert row_counts() == before


@pytest.mark.django_db
def test_map_old_rows_all_or_nothing():
    ok = SamplingBatchFactory(food_category="水产品", food_name="草鱼", category_code=None)
    odd = SamplingBatchFactory(food_category="杂粮", category_code=None)
    with pytest.raises(CommandError, match="“杂粮”（1 批，如 " + odd.sample_number):
        call_command("map-categories")
    ok.refresh_from_db()
    assert ok.category_code is None  # nothing written while one name is unknown
    odd.food_category = "粮食加工品"
    odd.save()
    call_command("map-categories")
    ok.refresh_from_db()
    odd.refresh_from_db()
    # 草鱼 is an alias of the 细类 淡水鱼 under 水产品.
    assert (ok.category_code, odd.category_code) == ("32030101", "01")
