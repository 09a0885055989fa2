"""Mapping profiles: the loader's errors, the expressions, and both shipped profiles end to end."""

from __future__ import annotations

import copy
import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.models import ImportLog
from foodsafe.imports.profiles import (
    ProfileError,
    ProfileUsageError,
    available_profiles,
    load_profile,
    parse_profile,
    profile_import,
)
from foodsafe.imports.profiles.expressions import TransformError, evaluate
from foodsafe.imports.profiles.spec import Expr
from foodsafe.inspections.models import Finding, Inspection, InspectionResult, InspectionType
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch
from foodsafe.sampling.models import TestItem as SampleTestItem

from .helpers import row_counts, write_csv

NOTICE = Path(__file__).resolve().parents[1] / "data" / "profiles" / "sampling_notice.xlsx"
DISTRICT = "120101000000"


@pytest.fixture
def district(db):
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(code=DISTRICT, name="和平区（测试）", level=3, parent_id="120000000000")
    return DISTRICT


def _raw(name: str) -> dict:
    return yaml.safe_load(Path(load_profile(name).path).read_text(encoding="utf-8"))


# -- the loader ----------------------------------------------------------------------------


def test_shipped_profiles_load():
    assert {"sampling_notice", "sf_health"} <= set(available_profiles())
    notice = load_profile("sampling_notice")
    assert notice.ledgers() == ["sampling", "test_items"]
    assert len(notice.sha256) == 64
    assert load_profile("sf_health").ledgers() == ["businesses", "inspections", "findings"]


def _error(data: dict) -> ProfileError:
    with pytest.raises(ProfileError) as info:
        parse_profile(data, path="p.yaml")
    assert str(info.value).startswith("p.yaml: ")
    return info.value


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (lambda d: d.pop("version"), "version", "Field required"),
        (
            lambda d: d["sources"]["notice"]["steps"][0].update(ledger="samples"),
            "sources.notice.steps[0].ledger",
            "未知台账",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][0]["fields"].update(颜色="红"),
            "sources.notice.steps[0].fields.颜色",
            "没有这一列",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][0]["fields"].pop("stage"),
            "sources.notice.steps[0].fields",
            "缺少台账“抽检批次”的必填列：环节",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][0]["fields"].update(
                food_name={"template": "{food}-{brand}"}
            ),
            "sources.notice.steps[0].fields.food_name",
            "未定义的名称：food",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][0]["fields"].update(
                food_name={"column": "food_name", "value": "x"}
            ),
            "sources.notice.steps[0].fields.food_name",
            "须且只须有一个来源",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][0]["fields"].update(
                food_name={"template": "{food_name:>10}"}
            ),
            "sources.notice.steps[0].fields.food_name",
            "只能写 {列名}",
        ),
        (
            lambda d: d["sources"]["notice"]["values"].update(seq={"column": "seq"}),
            "sources.notice.values.seq",
            "同名",
        ),
        (
            lambda d: d["sources"]["notice"]["filters"][0].update(reason="第{row}行"),
            "sources.notice.filters[0].reason",
            "未定义的名称：row",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][1].update(
                require_existing=[{"field": "name", "reason": "x"}]
            ),
            "sources.notice.steps[1].require_existing[0].field",
            "只能用于引用其他台账的列",
        ),
        (
            lambda d: d["sources"]["notice"]["steps"][1]["split"].update(separator="║"),
            "sources.notice.steps[1].split.separator",
            "Extra inputs",
        ),
        (lambda d: d.update(path="x"), "path", "由加载程序填写"),
    ],
)
def test_loader_names_file_and_key(change, key, words):
    data = copy.deepcopy(_raw("sampling_notice"))
    change(data)
    error = _error(data)
    assert error.key == key
    assert words in error.message


def test_loader_file_problems(tmp_path):
    with pytest.raises(ProfileError, match="没有名为 nothing 的映射配置；可用：.*sf_health"):
        load_profile("nothing")
    bad = tmp_path / "bad.yaml"
    bad.write_text("profile: x\n  version: [", encoding="utf-8")
    with pytest.raises(ProfileError, match=r"bad.yaml: line \d+: YAML 语法错误"):
        load_profile(bad)
    with pytest.raises(ProfileError, match="顶层应为映射"):
        parse_profile(["a"], path="list.yaml")


def test_residue_keyword_lists_do_not_overlap():
    classify = load_profile("sampling_notice").sources["notice"].steps[1].fields["category"]
    lists = classify.classify
    assert lists is not None
    vet, pesticide = lists["vet_drug_residue"], lists["pesticide_residue"]
    clashes = [(v, p) for v in vet for p in pesticide if v in p or p in v]
    assert clashes == []


# -- expressions ---------------------------------------------------------------------------


def expr(**kwargs) -> Expr:
    return Expr.model_validate(kwargs)


def test_expressions():
    row = {"id": 7.0, "t": " Routine ", "score": "88", "unit": "测试饭店", "maker": "测试饭店"}
    assert evaluate(expr(template="SF-{id}"), row) == "SF-7"
    assert evaluate(expr(template="SF-{id}-{missing}"), row) is None
    assert evaluate(expr(column="t", map={"routine": "日常"}), row) == "日常"
    assert evaluate(expr(column="unit", map={"x": 1}), row) == "测试饭店"
    assert evaluate(expr(column="unit", map={"x": 1}, otherwise=0), row) == 0
    assert evaluate(expr(column="nothing", default="未评定"), row) == "未评定"
    bands = [{"min": 0, "max": 70, "value": "差"}, {"min": 71, "max": 100, "value": "好"}]
    assert evaluate(expr(column="score", bands=bands), row) == "好"
    with pytest.raises(TransformError, match="不在任何分段内"):
        evaluate(expr(column="score", bands=bands[:1]), row)
    with pytest.raises(TransformError, match="不是数字"):
        evaluate(expr(column="unit", bands=bands), row)
    assert evaluate(expr(value="20171211", date="%Y%m%d"), row) == date(2017, 12, 11)
    with pytest.raises(TransformError, match="不符合格式 %Y%m%d"):
        evaluate(expr(value="12/11/2017", date="%Y%m%d"), row)
    assert evaluate(expr(first=["nothing", {"template": "N-{id}"}]), row) == "N-7"
    case = [
        {"when": {"equals": ["unit", "maker"]}, "then": "生产"},
        {"when": {"contains": {"column": "unit", "any": ["饭店"]}}, "then": "餐饮"},
    ]
    assert evaluate(expr(case=case, otherwise="流通"), row) == "生产"
    assert evaluate(expr(case=case[1:], otherwise="流通"), {"unit": "超市"}) == "流通"
    classify = {"a": ["毒死蜱"], "b": ["恩诺沙星"]}
    assert (
        evaluate(expr(value="恩诺沙星（以恩诺沙星与环丙沙星之和计）", classify=classify), row)
        == "b"
    )
    assert evaluate(expr(value="铅", classify=classify, otherwise="other"), row) == "other"


# -- the sampling notice -------------------------------------------------------------------


def test_sampling_notice_end_to_end(district):
    result = profile_import(
        profile="sampling_notice", ledger="sampling", path=NOTICE, params={"org_unit": DISTRICT}
    )
    assert [(r.ledger, r.rows, r.added) for r in result.results] == [
        ("sampling", 7, 7),
        ("test_items", 12, 12),
    ]
    # The note under the table is set aside with its row and reason; nothing else is.
    assert [(r.row, r.check) for r in result.rejected] == [(11, "filters[0]")]
    assert result.rejected[0].reason.startswith("不是数据行：序号“注：")
    assert result.rows_read == 8

    batches = {b.sample_number: b for b in SamplingBatch.objects.all()}
    assert sorted(batches) == [f"2021年第35号-{n}" for n in range(1, 8)]
    celery = batches["2021年第35号-1"]
    assert (celery.sampled_on, celery.published_on) == (date(2021, 8, 20), date(2021, 8, 20))
    assert (celery.conclusion, celery.sampling_type, celery.department) == (
        "nonconforming",
        "surveillance",
        "market_regulation",
    )
    assert (celery.food_category, celery.food_name, celery.org_unit_id) == (
        "食用农产品",
        "芹菜",
        DISTRICT,
    )
    assert celery.business_id is None
    shapes = {n: (b.stage, b.business_format) for n, b in batches.items()}
    assert shapes == {
        "2021年第35号-1": ("circulation", "supermarket"),
        "2021年第35号-2": ("circulation", "produce_market"),
        "2021年第35号-3": ("circulation", "grocery"),
        "2021年第35号-4": ("catering", "restaurant"),
        "2021年第35号-5": ("production", "manufacturer"),
        "2021年第35号-6": ("online", "other"),
        "2021年第35号-7": ("circulation", "supermarket"),
    }

    items = {
        (t.batch.sample_number[-1], t.name): (t.category, t.result_value, t.standard_value)
        for t in SampleTestItem.objects.select_related("batch")
    }
    assert items[("1", "毒死蜱")] == ("pesticide_residue", "0.12mg/kg", "≤0.05mg/kg")
    assert items[("1", "甲拌磷")] == ("pesticide_residue", "0.035mg/kg", "≤0.01mg/kg")
    assert items[("2", "恩诺沙星")] == ("vet_drug_residue", "25.3μg/kg", "不得检出")
    assert items[("2", "氟苯尼考")][0] == "vet_drug_residue"
    assert items[("3", "腐霉利")][0] == "pesticide_residue"
    assert items[("4", "大肠菌群")] == ("other", "检出/50cm²", "不得检出/50cm²")
    assert items[("5", "菌落总数")][2] == "n=5,c=2,m=10⁴,M=10⁵CFU/g"
    assert items[("5", "霉菌")][0] == "other"
    assert items[("6", "苯甲酸及其钠盐（以苯甲酸计）")][0] == "other"
    assert items[("7", "克伦特罗")][0] == "vet_drug_residue"
    assert items[("7", "磺胺类（总量）")][0] == "vet_drug_residue"
    assert len(items) == 12
    assert not SampleTestItem.objects.filter(conforming=True).exists()
    logs = ImportLog.objects.order_by("pk")
    assert [(g.ledger, g.file_name) for g in logs] == [
        ("sampling", "sampling_notice.xlsx [sampling_notice]"),
        ("test_items", "sampling_notice.xlsx [sampling_notice]"),
    ]


def test_sampling_notice_reimport_changes_nothing(district):
    params = {"org_unit": DISTRICT}
    profile_import(profile="sampling_notice", ledger="sampling", path=NOTICE, params=params)
    again = profile_import(profile="sampling_notice", ledger="sampling", path=NOTICE, params=params)
    assert [(r.added, r.updated, r.unchanged) for r in again.results] == [(0, 0, 7), (0, 0, 12)]


def test_sampling_notice_dry_run_writes_nothing(district):
    before = row_counts()
    result = profile_import(
        profile="sampling_notice",
        ledger="test_items",
        path=NOTICE,
        params={"org_unit": DISTRICT},
        dry_run=True,
    )
    assert result.dry_run and all(r.dry_run and r.log_id is None for r in result.results)
    assert [r.added for r in result.results] == [7, 12]
    assert row_counts() == before


def test_sampling_notice_errors_point_at_the_notice_and_write_nothing(district):
    before = row_counts()
    with pytest.raises(ProfileUsageError, match="需要参数 org_unit"):
        profile_import(profile="sampling_notice", ledger="sampling", path=NOTICE)
    with pytest.raises(ProfileUsageError, match="没有参数 colour"):
        profile_import(
            profile="sampling_notice",
            ledger="sampling",
            path=NOTICE,
            params={"org_unit": DISTRICT, "colour": "red"},
        )
    with pytest.raises(ProfileUsageError, match="不导入台账 cases"):
        profile_import(profile="sampling_notice", ledger="cases", path=NOTICE)
    with pytest.raises(ImportValidationError) as info:
        profile_import(
            profile="sampling_notice",
            ledger="sampling",
            path=NOTICE,
            params={"org_unit": "120101999000"},
        )
    errors = info.value.errors
    assert len(errors) == 7
    first = errors[0]
    assert (first.file, first.sheet, first.row, first.column) == (
        "sampling_notice.xlsx",
        "不合格产品信息",
        4,
        "区划代码",
    )
    assert "未找到区划代码为“120101999000”的行政区划单位" in first.reason
    assert row_counts() == before


def test_provincial_sheet_with_sample_numbers_and_dates(district, tmp_path):
    """A GBK CSV with 抽样编号 and 抽样日期 (provincial sheets), other header spellings, one
    row whose items use ‖, and a sample number that repeats (an error, located)."""
    header = [
        "序号",
        "标称生产企业名称",
        "被抽样单位名称",
        "食品名称",
        "不合格项目‖检验结果‖标准值",
        "食品分类",
        "通告号",
        "公布日期",
        "抽样编号",
        "抽样日期",
    ]
    rows = [
        header,
        [
            "1",
            "/",
            "测试区某菜市场张某",
            "豇豆",
            "克百威‖0.05mg/kg‖≤0.02mg/kg",
            "食用农产品",
            "第8期",
            "2021/9/30",
            "DC21120101000011",
            "2021/8/3",
        ],
        [
            "2",
            "测试面粉厂",
            "测试面粉厂",
            "小麦粉",
            "玉米赤霉烯酮║85μg/kg║≤60μg/kg",
            "粮食加工品",
            "第8期",
            "2021/9/30",
            "DC21120101000012",
            "2021年8月5日",
        ],
    ]
    path = write_csv(tmp_path / "省局第8期.csv", rows, encoding="gbk")
    result = profile_import(
        profile="sampling_notice", ledger="sampling", path=path, params={"org_unit": DISTRICT}
    )
    assert result.rejected == ()
    batch = SamplingBatch.objects.get(sample_number="DC21120101000011")
    assert (batch.sampled_on, batch.published_on) == (date(2021, 8, 3), date(2021, 9, 30))
    assert batch.stage == "circulation" and batch.business_format == "produce_market"
    flour = SamplingBatch.objects.get(sample_number="DC21120101000012")
    assert (flour.sampled_on, flour.stage) == (date(2021, 8, 5), "production")
    item = SampleTestItem.objects.get(batch=batch)
    assert (item.name, item.category, item.standard_value) == (
        "克百威",
        "pesticide_residue",
        "≤0.02mg/kg",
    )
    assert SampleTestItem.objects.get(batch=flour).category == "other"

    rows[2][8] = "DC21120101000011"
    path = write_csv(tmp_path / "重复.csv", rows, encoding="gbk")
    with pytest.raises(ImportValidationError) as info:
        profile_import(
            profile="sampling_notice", ledger="sampling", path=path, params={"org_unit": DISTRICT}
        )
    [error] = info.value.errors
    assert (error.file, error.row, error.column) == (
        "重复.csv",
        3,
        "抽样单编号（抽样编号、通告号、序号）",
    )
    assert error.reason.startswith("与第2行重复")


def test_import_command_with_profile(district, capsys, tmp_path):
    """Issue 18 point 3: per step what was imported and what was set aside and why, a
    summary that names set-aside rows as such (not "未导入"), the time taken, and
    ``--errors-out`` honoured: every set-aside row is written to the report."""
    import openpyxl

    report = tmp_path / "report.xlsx"
    call_command(
        "import",
        "sampling",
        str(NOTICE),
        "--profile",
        "sampling_notice",
        "--param",
        f"org_unit={DISTRICT}",
        "--errors-out",
        str(report),
        stdout=(out := StringIO()),
    )
    lines = out.getvalue().splitlines()
    # The notice: 7 batches on rows 4-10, the note under the table on row 11 (序号 not a
    # number: the filter), 12 failed items among the 7 batches.
    assert lines[0].startswith("来源筛选 filters[0]：另列1行（第11行），如：不是数据行：序号“注：")
    assert lines[1] == "步骤 sampling：导入7行（新增7，更新0，未变0）"
    assert lines[2] == "步骤 test_items：导入12行（新增12，更新0，未变0）"
    assert lines[3] == f"另列的行已逐行写入 {report}"
    assert lines[4].startswith(
        "sampling_notice.xlsx（映射配置 sampling_notice/notice）：读取8行，"
        "其中1行按配置规则另列（逐行有原因，见各步骤说明）。"
    )
    assert "未导入" not in out.getvalue()
    assert "sampling sampling_notice.xlsx [sampling_notice]: 共7行，新增7" in lines[4]
    assert re.fullmatch(r"用时 \d+\.\d 秒（读取 [\d,]+ 行/秒）", lines[5])
    book = openpyxl.load_workbook(report)
    assert book.sheetnames[-2:] == ["错误清单", "另列的行"]
    assert book.active.title == "错误汇总"
    summary = [c for c in book["错误汇总"]["A"] if c.value]
    assert [c.value for c in summary[:4]] == ["没有错误", lines[0], lines[1], lines[2]]
    aside = list(book["另列的行"].iter_rows(values_only=True))
    assert aside[1][:5] == (
        "sampling_notice.xlsx",
        "不合格产品信息",
        11,
        "（来源筛选）",
        "filters[0]",
    )
    assert len(aside) == 2
    assert SamplingBatch.objects.count() == 7
    with pytest.raises(CommandError, match="没有名为 nope 的映射配置"):
        call_command("import", "sampling", str(NOTICE), "--profile", "nope")
    with pytest.raises(CommandError, match="KEY=VALUE"):
        call_command(
            "import", "sampling", str(NOTICE), "--profile", "sampling_notice", "--param", "=x"
        )


def test_import_command_lists_set_aside_rows_with_v2(district):
    """Without a report the set-aside rows are grouped and the hint says how to list them;
    with -v 2 they are listed one per line and the hint, now done, is not printed (a new user,
    2026-12-07, got the rows and then "加 -v 2 列出" under them). The notice's one set-aside
    row is its note on row 11 (see the test above)."""
    args = ["import", "sampling", str(NOTICE), "--profile", "sampling_notice", "--dry-run"]
    args += ["--param", f"org_unit={DISTRICT}"]
    call_command(*args, stdout=(out := StringIO()))
    assert "逐行清单：加 -v 2 列出，或用 --errors-out FILE 写入报告" in out.getvalue()
    assert "另列 " not in out.getvalue()
    call_command(*args, "-v", "2", stdout=(out := StringIO()))
    listed = [line for line in out.getvalue().splitlines() if line.startswith("另列 ")]
    assert len(listed) == 1 and listed[0].startswith("另列 sampling_notice.xlsx:")
    assert ":11: 不是数据行" in listed[0]
    assert "加 -v 2 列出" not in out.getvalue()


# -- the SF profile on a few rows shaped like the real files --------------------------------


def test_sf_profile_rules_on_small_files(db, tmp_path):
    """cp1252 names, a score band per legend row, an unscored inspection, two inspections on
    one day, a violation without its inspection and a repeated violation."""
    from foodsafe.imports.profiles.sf_data import SF_CODE, load_sf_data

    (tmp_path / "businesses.csv").write_bytes(
        b'"business_id","name","address","city","state","postal_code","latitude","longitude",'
        b'"phone_number"\r\n'
        b'19,"LAGUNA CAF\xc9","1821 HAIGHT ST ","San Francisco","CA","94117","","",""\r\n'
        b'24,"NORMAN\'S ICE CREAM","","San Francisco","CA","","","",""\r\n'
    )
    write_csv(
        tmp_path / "inspections.csv",
        [
            ["business_id", "score", "date", "type"],
            ["19", "94", "20171211", "routine"],
            ["19", "70", "20160513", "routine"],
            ["24", "85", "20150924", "routine"],
            ["24", "96", "20150924", "routine"],
            ["24", "", "20170102", "complaint"],
        ],
    )
    write_csv(
        tmp_path / "violations.csv",
        [
            ["business_id", "date", "description"],
            ["19", "20171211", "Unclean or degraded floors walls or ceilings"],
            ["19", "20171211", "Unclean or degraded floors walls or ceilings "],
            ["19", "20171212", "Insufficient hot water or running water"],
            ["24", "20150924", "High risk food holding temperature"],
        ],
    )
    load = load_sf_data(tmp_path)
    assert (load.count("businesses"), load.count("inspections"), load.count("findings")) == (
        2,
        5,
        2,
    )
    assert [(r.file, r.row, r.check) for r in load.rejected] == [
        ("violations.csv", 3, "drop_repeats"),
        ("violations.csv", 4, "require_existing[0]"),
    ]
    assert load.rejected[0].reason.startswith("与第2行重复：同一次检查（经营者 19，20171211）")
    assert load.rejected[1].reason == (
        "违规记录没有对应的检查：inspections.csv 中没有经营者 19 在 20171212 的检查"
    )
    cafe = FoodBusiness.objects.get(registry_number="SF-19")
    assert (cafe.name, cafe.address, cafe.org_unit_id) == ("LAGUNA CAFÉ", "1821 HAIGHT ST", SF_CODE)
    assert (cafe.sector, cafe.business_format, cafe.status) == ("catering", "restaurant", "active")
    assert FoodBusiness.objects.get(registry_number="SF-24").address == ""
    shown = {
        i.inspection_number: (i.inspection_type, i.full_checklist, i.result, i.score)
        for i in Inspection.objects.all()
    }
    assert shown == {
        "SF-19-20171211": (InspectionType.ROUTINE, True, InspectionResult.COMPLIANT, 94),
        "SF-19-20160513": (InspectionType.ROUTINE, True, InspectionResult.NONCOMPLIANT, 70),
        "SF-24-20150924": (InspectionType.ROUTINE, True, InspectionResult.RECTIFY, 85),
        "SF-24-20150924-2": (InspectionType.ROUTINE, True, InspectionResult.COMPLIANT, 96),
        "SF-24-20170102": (InspectionType.COMPLAINT, False, InspectionResult.NOT_SCORED, None),
    }
    assert sorted(Finding.objects.values_list("inspection__inspection_number", flat=True)) == [
        "SF-19-20171211",
        "SF-24-20150924",
    ]
    assert OrgUnit.objects.get(code=SF_CODE).populations.get(year=2017).resident_population == (
        884_000
    )
    again = load_sf_data(tmp_path)
    assert all(r.added == r.updated == 0 for p in again.results for r in p.results)


def test_sf_unknown_inspection_type_fails_with_its_row(db, tmp_path):
    from foodsafe.imports.profiles.sf_data import load_sf_data

    write_csv(tmp_path / "businesses.csv", [["business_id", "name"], ["19", "CAFE"]])
    write_csv(
        tmp_path / "inspections.csv",
        [["business_id", "score", "date", "type"], ["19", "94", "20171211", "new construction"]],
    )
    write_csv(tmp_path / "violations.csv", [["business_id", "date", "description"]])
    before = row_counts()
    with pytest.raises(ImportValidationError) as info:
        load_sf_data(tmp_path)
    [error] = info.value.errors
    assert (error.file, error.row, error.column, error.value) == (
        "inspections.csv",
        2,
        "检查类型（type）",
        "new construction",
    )
    assert row_counts() == before


def test_sf_data_folder_is_found_from_a_clone_anywhere(tmp_path, monkeypatch):
    """Issue 18 point 9: without --dir, $FOODSAFE_SF_DATA_DIR first, then the folder beside
    the clone, then under the current directory and its parent: the first holding the files."""
    from foodsafe.imports.profiles.sf_data import default_sf_dir, sf_dir_candidates

    clone = tmp_path / "src" / "foodsafe"  # a clone with no ../shared beside it
    work = tmp_path / "work"
    data = work / "shared" / "data" / "sf-health-inspections"
    data.mkdir(parents=True)
    monkeypatch.delenv("FOODSAFE_SF_DATA_DIR", raising=False)
    assert default_sf_dir(clone, work) == clone.parent / "shared/data/sf-health-inspections"
    (data / "businesses.csv").write_text("business_id\n")
    assert default_sf_dir(clone, work) == data  # found under the current directory
    assert default_sf_dir(clone, work / "sub") == data  # ... or under its parent
    other = tmp_path / "elsewhere"
    monkeypatch.setenv("FOODSAFE_SF_DATA_DIR", str(other))
    assert sf_dir_candidates(clone, work)[0] == other
    other.mkdir()
    (other / "businesses.csv").write_text("business_id\n")
    assert default_sf_dir(clone, work) == other
