"""The importer: every error found with its row and column, nothing written on failure."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from foodsafe.complaints.models import Complaint
from foodsafe.imports.errors import ImportValidationError, RowError, UnknownLedgerError
from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.models import ImportLog
from foodsafe.imports.services import directory_import, ledger_import
from foodsafe.imports.validation import blank_value
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch

from .helpers import row_counts, write_csv, write_xlsx

DISTRICT = "120101000000"
SUB = "120101001000"

BUSINESS_HEADER = ["登记编号", "名称", "统一社会信用代码", "类别", "业态", "区划代码", "开业日期"]
SAMPLING_HEADER = [
    "抽样单编号",
    "抽样日期",
    "区划代码",
    "登记编号",
    "抽检类型",
    "环节",
    "业态",
    "食品大类",
    "检验结论",
]
COMPLAINT_HEADER = [
    "投诉举报编号",
    "类型",
    "区划代码",
    "登记日期",
    "受理决定",
    "决定日期",
    "办结日期",
]


@pytest.fixture
def units(db):
    """A city → district → subdistrict chain and one business, made through the ORM."""
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(
        code="120100000000", name="市辖区（测试）", level=2, parent_id="120000000000"
    )
    OrgUnit.objects.create(code=DISTRICT, name="和平区（测试）", level=3, parent_id="120100000000")
    OrgUnit.objects.create(code=SUB, name="劝业场街道（测试）", level=4, parent_id=DISTRICT)
    FoodBusiness.objects.create(
        registry_number="B001",
        name="示例超市",
        sector="sales",
        business_format="supermarket",
        org_unit_id=SUB,
    )


def failing(**kwargs) -> list[RowError]:
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(**kwargs)
    return excinfo.value.errors


def brief(errors: list[RowError]) -> list[tuple[int, str, str, str]]:
    return [(e.row, e.column, e.value, e.reason) for e in errors]


# -- definitions ----------------------------------------------------------------------------


def test_every_ledger_binds_to_its_model():
    expected = {
        "orgunits",
        "population",
        "businesses",
        "inspections",
        "findings",
        "sampling",
        "test_items",
        "cases",
        "complaints",
        "staff",
        "trainings",
        "school_canteens",
        "grain_stocks",
        "grain_monitoring",
        "self_inspections",
        "surveys",
        "census_cells",  # issue 16: the survey weights' census cells
        "incidents",
        # issue 19
        "insurance_policies",
        "food_handlers",
        "system_certificates",
        "plan_revisions",
        "drills",
        "sentinel_institutions",
        "sentinel_reports",
        "disease_events",
    }
    assert set(LEDGERS) == expected
    for ledger in LEDGERS.values():
        model = ledger.model_class()
        columns = ledger.bound_columns()
        assert len({c.header for c in columns}) == len(columns), ledger.name
        for name in ledger.written_fields():
            model._meta.get_field(name)
        for column in columns:
            if column.required or column.virtual:
                continue
            model_field = model._meta.get_field(column.field)
            # An empty optional cell must stand for a storable value.
            assert blank_value(model, column) is not None or model_field.null, (ledger.name, column)


def test_unknown_ledger(tmp_path):
    with pytest.raises(UnknownLedgerError, match="nope"):
        ledger_import(ledger="nope", path=tmp_path / "x.csv")


# -- readers and types ----------------------------------------------------------------------


def test_gbk_csv(units, tmp_path):
    path = write_csv(
        tmp_path / "经营者.csv",
        [
            BUSINESS_HEADER,
            ["B002", "示例南市食品店", "91110000600037341L", "食品销售", "食杂店", SUB, "2019/3/7"],
        ],
        encoding="gbk",
    )
    result = ledger_import(ledger="businesses", path=path)
    assert (result.added, result.updated, result.unchanged) == (1, 0, 0)
    business = FoodBusiness.objects.get(registry_number="B002")
    assert business.name == "示例南市食品店"
    assert business.business_format == "grocery"
    assert business.opened_on == date(2019, 3, 7)


def test_utf8_bom_csv(units, tmp_path):
    path = write_csv(
        tmp_path / "b.csv",
        [BUSINESS_HEADER, ["B002", "示例餐馆", "", "catering", "restaurant", SUB, ""]],
        encoding="utf-8-sig",
    )
    assert ledger_import(ledger="businesses", path=path).added == 1
    assert FoodBusiness.objects.get(registry_number="B002").uscc is None


def test_excel_date_cells_and_row_numbers(units, tmp_path):
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", date(2021, 5, 6), SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            [
                "S2",
                "2021/5/7",
                120101001000,
                "B001",
                "evaluation",
                "circulation",
                "supermarket",
                "蔬菜",
                "合格",
            ],
        ],
    )
    result = ledger_import(ledger="sampling", path=path)
    assert result.added == 2
    assert SamplingBatch.objects.get(sample_number="S1").sampled_on == date(2021, 5, 6)
    # A number-typed division code still matches the text code.
    assert SamplingBatch.objects.get(sample_number="S2").org_unit_id == SUB


# -- each kind of error: exact row, column, reason; nothing written -------------------------


def test_bad_date(units, tmp_path):
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2021-05-06", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S2", "2021/02/30", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S3", "6/5/2021", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    before = row_counts()
    errors = failing(ledger="sampling", path=path)
    assert brief(errors) == [
        (3, "抽样日期", "2021/02/30", "不是有效的日期"),
        (
            4,
            "抽样日期",
            "6/5/2021",
            "日期格式无法识别，应写作 2021-08-17、2021/8/17、2021.8.17 或 2021年8月17日",
        ),
    ]
    assert errors[0].file == "batches.xlsx" and errors[0].sheet == "Sheet1"
    assert str(errors[0]) == "batches.xlsx:Sheet1:3:抽样日期: 2021/02/30 — 不是有效的日期"
    assert row_counts() == before  # S1 was valid but is not written either


@time_machine.travel(datetime(2026, 12, 7, 10, tzinfo=UTC), tick=False)
def test_event_dates_from_2000_to_today(units, tmp_path):
    """A sampling day is an event of the programme: 2000-01-01 to today (2026-12-07 here),
    as the forms take it; the error names file, sheet, row and column."""
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2000-01-01", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S2", "2026-12-07", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S3", "1999-12-31", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S4", "2026-12-08", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    before = row_counts()
    errors = failing(ledger="sampling", path=path)
    # Rows 2 and 3 (the first and last day allowed) pass; rows 4 and 5 do not.
    assert brief(errors) == [
        (4, "抽样日期", "1999-12-31", "日期1999-12-31超出合理范围（2000年至2100年）"),
        (5, "抽样日期", "2026-12-08", "日期2026-12-08晚于今天（2026-12-07），应填已发生的日期"),
    ]
    assert str(errors[1]).startswith("batches.xlsx:Sheet1:5:抽样日期: 2026-12-08 — ")
    assert row_counts() == before


def test_unknown_enum_label(units, tmp_path):
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2021-05-06", SUB, "B001", "专项抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    before = row_counts()
    assert brief(failing(ledger="sampling", path=path)) == [
        (2, "抽检类型", "专项抽检", "不是有效的选项，可选：监督抽检、评价性抽检、风险监测、快检"),
    ]
    assert row_counts() == before


def test_missing_required_value(units, tmp_path):
    path = write_csv(
        tmp_path / "b.csv", [BUSINESS_HEADER, ["B002", "", "", "食品销售", "食杂店", SUB, ""]]
    )
    before = row_counts()
    errors = failing(ledger="businesses", path=path)
    assert brief(errors) == [(2, "名称", "", "必填项不能为空")]
    assert errors[0].sheet == ""
    assert row_counts() == before


def test_missing_required_column(units, tmp_path):
    path = write_csv(tmp_path / "b.csv", [["登记编号", "名称"], ["B002", "示例店"]])
    before = row_counts()
    assert brief(failing(ledger="businesses", path=path)) == [
        (1, "类别", "", "缺少必填列"),
        (1, "业态", "", "缺少必填列"),
        (1, "区划代码", "", "缺少必填列"),
    ]
    assert row_counts() == before


def test_reference_to_missing_business(units, tmp_path):
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2021-05-06", SUB, "B404", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    before = row_counts()
    assert brief(failing(ledger="sampling", path=path)) == [
        (2, "登记编号", "B404", "未找到登记编号为“B404”的食品生产经营者"),
    ]
    assert row_counts() == before


def test_duplicate_key_in_file(units, tmp_path):
    path = write_csv(
        tmp_path / "b.csv",
        [
            BUSINESS_HEADER,
            ["B002", "示例店甲", "", "食品销售", "食杂店", SUB, ""],
            ["B003", "示例店乙", "", "食品销售", "食杂店", SUB, ""],
            ["B002", "示例店丙", "", "食品销售", "食杂店", SUB, ""],
        ],
    )
    before = row_counts()
    assert brief(failing(ledger="businesses", path=path)) == [
        (4, "登记编号", "B002", "与第2行重复（登记编号相同）"),
    ]
    assert row_counts() == before


def test_unique_column_used_by_another_row(units, tmp_path):
    FoodBusiness.objects.filter(registry_number="B001").update(uscc="91110000600037341L")
    path = write_csv(
        tmp_path / "b.csv",
        [BUSINESS_HEADER, ["B002", "示例店", "91110000600037341L", "食品销售", "食杂店", SUB, ""]],
    )
    before = row_counts()
    assert brief(failing(ledger="businesses", path=path)) == [
        (2, "统一社会信用代码", "91110000600037341L", "已被另一条记录（B001）使用"),
    ]
    assert row_counts() == before


def test_closed_before_received(units, tmp_path):
    path = write_xlsx(
        tmp_path / "complaints.xlsx",
        [
            COMPLAINT_HEADER,
            ["C1", "投诉", SUB, "2021-03-01", "受理", "2021-03-02", "2021-02-27"],
        ],
    )
    before = row_counts()
    assert brief(failing(ledger="complaints", path=path)) == [
        (2, "办结日期", "2021-02-27", "办结日期不能早于登记日期（2021-03-01）"),
        (2, "办结日期", "2021-02-27", "办结日期不能早于决定日期（2021-03-02）"),
    ]
    assert row_counts() == before


def test_org_unit_parent_must_be_above(db, tmp_path):
    path = write_csv(
        tmp_path / "units.csv",
        [
            ["区划代码", "名称", "上级区划代码", "示例数据"],
            ["120101000000", "和平区（示例）", "", "是"],
            ["120101001000", "劝业场街道（示例）", "120101000000", "是"],
            ["120102001000", "别区街道（示例）", "120101000000", "是"],
        ],
    )
    assert brief(failing(ledger="orgunits", path=path)) == [
        (4, "上级区划代码", "120101000000", "上级区划代码不是120102001000的上级区划"),
    ]
    assert OrgUnit.objects.count() == 0


# -- writing ------------------------------------------------------------------------------


def test_reimport_changes_nothing_and_updates_are_counted(units, tmp_path):
    rows = [
        BUSINESS_HEADER,
        ["B002", "示例店甲", "", "食品销售", "食杂店", SUB, "2020-01-02"],
        ["B003", "示例店乙", "", "食品销售", "食杂店", SUB, ""],
    ]
    path = write_csv(tmp_path / "b.csv", rows)
    first = ledger_import(ledger="businesses", path=path)
    assert (first.added, first.updated, first.unchanged) == (2, 0, 0)
    again = ledger_import(ledger="businesses", path=path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert FoodBusiness.history.filter(registry_number="B002").count() == 1

    rows[2][1] = "示例店乙（改名）"
    changed = ledger_import(ledger="businesses", path=write_csv(tmp_path / "b2.csv", rows))
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 1)
    assert FoodBusiness.objects.get(registry_number="B003").name == "示例店乙（改名）"
    assert FoodBusiness.history.filter(registry_number="B003").count() == 2

    log = ImportLog.objects.get(pk=changed.log_id)
    assert log.ledger == "businesses"
    assert log.file_name == "b2.csv"
    assert log.sha256 == hashlib.sha256((tmp_path / "b2.csv").read_bytes()).hexdigest()
    assert (log.rows_added, log.rows_updated, log.rows_unchanged) == (0, 1, 1)
    assert log.imported_by is None


def test_dry_run_writes_nothing(units, tmp_path):
    path = write_csv(
        tmp_path / "b.csv", [BUSINESS_HEADER, ["B002", "示例店", "", "食品销售", "食杂店", SUB, ""]]
    )
    before = row_counts()
    result = ledger_import(ledger="businesses", path=path, dry_run=True)
    assert (result.added, result.updated, result.unchanged, result.dry_run) == (1, 0, 0, True)
    assert result.log_id is None
    assert row_counts() == before


def test_complaint_deadlines_computed_at_import(units, tmp_path):
    path = write_xlsx(
        tmp_path / "complaints.xlsx",
        [
            [*COMPLAINT_HEADER, "检验鉴定等不计入工作日"],
            ["C1", "投诉", SUB, "2021-09-30", "受理", "2021-09-30", "2021-11-01", 0],
            ["C2", "举报", SUB, "2021-02-05", "不予受理", "2021-02-08", "2021-02-08", None],
            ["C3", "投诉", SUB, "2021-09-24", "受理", "2021-09-28", None, 10],
        ],
    )
    ledger_import(ledger="complaints", path=path)
    c1, c2, c3 = (Complaint.objects.get(complaint_number=n) for n in ("C1", "C2", "C3"))
    assert c1.acceptance_due_on == date(2021, 10, 15)
    assert c2.acceptance_due_on == date(2021, 2, 20) and c2.closing_due_on is None
    assert c3.closing_due_on == date(2021, 12, 20)


# Imported on 2026-12-28: a complaint received on the 24th is in the past (a received day
# after today is refused).
@time_machine.travel(datetime(2026, 12, 28, 2, tzinfo=UTC), tick=False)
def test_complaint_in_a_year_without_arrangement_imports_provisionally(units, tmp_path):
    # Received Thu 2026-12-24 with no 2027 arrangement loaded (the seed ends with 2026):
    # Fri 25 (1), Mon 28 (2), Tue 29 (3), Wed 30 (4), Thu 31 (5); Fri 2027-01-01 is 元旦
    # (statutory); Mon 4 (6), Tue 5 January 2027 (7). Provisional: 2027 was counted.
    path = write_csv(
        tmp_path / "c.csv", [COMPLAINT_HEADER, ["C1", "投诉", SUB, "2026-12-24", "", "", ""]]
    )
    ledger_import(ledger="complaints", path=path)
    c1 = Complaint.objects.get(complaint_number="C1")
    assert c1.acceptance_due_on == date(2027, 1, 5)
    assert c1.deadline_provisional
    assert c1.deadline_calendar_revision is not None


def test_grain_monitoring_finds_stock_by_depot_and_year(units, tmp_path):
    stocks = write_csv(
        tmp_path / "stocks.csv",
        [
            ["库点编号", "库点名称", "区划代码", "年度", "库存数量（吨）"],
            ["G1", "示例粮库", SUB, 2021, "1200.5"],
        ],
    )
    monitoring = write_csv(
        tmp_path / "mon.csv",
        [
            [
                "监测编号",
                "库点编号",
                "库存年度",
                "扦样日期",
                "监测代表数量（吨）",
                "发现问题",
                "问题处置完成日期",
            ],
            ["M1", "G1", 2021, "2021-04-01", "300", "是", "2021-04-20"],
            ["M2", "G1", 2020, "2021-04-01", "300", "否", ""],
        ],
    )
    ledger_import(ledger="grain_stocks", path=stocks)
    assert brief(failing(ledger="grain_monitoring", path=monitoring)) == [
        (3, "库点编号", "G1/2020", "未找到库点编号、库存年度为“G1/2020”的库存粮食"),
    ]


# -- directory import and commands -----------------------------------------------------------


def test_directory_import_is_all_or_nothing(db, tmp_path):
    write_csv(
        tmp_path / "units.csv",
        [
            ["区划代码", "名称", "上级区划代码"],
            [DISTRICT, "和平区（示例）", ""],
            [SUB, "劝业场街道（示例）", DISTRICT],
        ],
    )
    write_csv(
        tmp_path / "businesses.csv",
        [BUSINESS_HEADER, ["B002", "示例店", "", "食品销售", "食杂店", SUB, ""]],
    )
    write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2021-05-06", SUB, "B999", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    manifest = [
        {"ledger": "orgunits", "file": "units.csv"},
        {"ledger": "businesses", "file": "businesses.csv"},
        {"ledger": "sampling", "file": "batches.xlsx"},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        directory_import(directory=tmp_path)
    assert [(e.file, e.row, e.column) for e in excinfo.value.errors] == [
        ("batches.xlsx", 2, "登记编号")
    ]
    assert row_counts() == before

    manifest[2] = {"ledger": "sampling", "file": "batches.xlsx"}
    write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2021-05-06", SUB, "B002", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    results = directory_import(directory=tmp_path)
    assert [(r.ledger, r.added) for r in results] == [
        ("orgunits", 2),
        ("businesses", 1),
        ("sampling", 1),
    ]
    assert ImportLog.objects.count() == 3


def test_import_command_prints_every_error(units, tmp_path, capsys):
    path = write_xlsx(
        tmp_path / "batches.xlsx",
        [
            SAMPLING_HEADER,
            ["S1", "2021-13-06", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S2", "2021-05-06", SUB, "B404", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    with pytest.raises(CommandError) as excinfo:
        call_command("import", "sampling", str(path))
    assert excinfo.value.returncode == 1
    assert capsys.readouterr().err.splitlines() == [
        "batches.xlsx:Sheet1:2:抽样日期: 2021-13-06 — 不是有效的日期",
        "batches.xlsx:Sheet1:3:登记编号: B404 — 未找到登记编号为“B404”的食品生产经营者",
    ]


def test_import_command_dry_run_summary(units, tmp_path, capsys):
    path = write_csv(
        tmp_path / "b.csv",
        [BUSINESS_HEADER, ["B002", "示例店", "", "食品销售", "食杂店", SUB, ""]],
    )
    call_command("import", "businesses", str(path), "--dry-run")
    assert "新增1" in capsys.readouterr().out
    assert not FoodBusiness.objects.filter(registry_number="B002").exists()
    call_command("import", "businesses", str(path))
    assert FoodBusiness.objects.filter(registry_number="B002").exists()


def test_decimal_places_checked(units, tmp_path):
    path = write_csv(
        tmp_path / "stocks.csv",
        [
            ["库点编号", "库点名称", "区划代码", "年度", "库存数量（吨）"],
            ["G1", "示例粮库", SUB, 2021, "1.23456"],
        ],
    )
    assert brief(failing(ledger="grain_stocks", path=path)) == [
        (2, "库存数量（吨）", "1.23456", "小数位数不能超过3位"),
    ]
    path = write_csv(
        tmp_path / "stocks.csv",
        [
            ["库点编号", "库点名称", "区划代码", "年度", "库存数量（吨）"],
            ["G1", "示例粮库", SUB, 2021, 1200.25],
        ],
    )
    ledger_import(ledger="grain_stocks", path=path)
    from foodsafe.grain.models import GrainStock

    assert GrainStock.objects.get().stock_tonnes == Decimal("1200.25")


def test_manifest_problems_are_reported(db, tmp_path):
    (tmp_path / "manifest.json").write_text(
        json.dumps(
            [{"ledger": "orgunits", "file": "units.csv"}, {"ledger": "nope", "file": "x.csv"}]
        ),
        encoding="utf-8",
    )
    with pytest.raises(ImportValidationError) as excinfo:
        directory_import(directory=tmp_path)
    assert [(e.file, e.reason) for e in excinfo.value.errors] == [
        ("manifest.json", "第2项的台账名未知：nope")
    ]
    (tmp_path / "manifest.json").write_text(
        json.dumps([{"ledger": "orgunits", "file": "../units.csv"}]), encoding="utf-8"
    )
    with pytest.raises(ImportValidationError, match="不在导入目录内"):
        directory_import(directory=tmp_path)


def test_directory_import_reports_every_file(db, tmp_path, capsys):
    """Issue 18 point 8: a bad first file does not hide the errors of the later ones. The
    business file has a bad 类别 (row 2) and the batch file a bad date (row 2) and a batch of
    B002 (row 3), which is missing only because the business file failed: all three errors
    and a note on the batch file are reported; nothing is written."""
    write_csv(
        tmp_path / "units.csv",
        [
            ["区划代码", "名称", "上级区划代码"],
            [DISTRICT, "和平区（示例）", ""],
            [SUB, "街道", DISTRICT],
        ],
    )
    write_csv(
        tmp_path / "businesses.csv",
        [BUSINESS_HEADER, ["B002", "示例店", "", "食品卖", "食杂店", SUB, ""]],
    )
    write_csv(
        tmp_path / "batches.csv",
        [
            SAMPLING_HEADER,
            ["S1", "2021-13-06", SUB, "", "监督抽检", "流通", "超市", "蔬菜", "合格"],
            ["S2", "2021-05-06", SUB, "B002", "监督抽检", "流通", "超市", "蔬菜", "合格"],
        ],
    )
    manifest = [
        {"ledger": "orgunits", "file": "units.csv"},
        {"ledger": "businesses", "file": "businesses.csv"},
        {"ledger": "sampling", "file": "batches.csv"},
    ]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    before = row_counts()
    with pytest.raises(ImportValidationError) as excinfo:
        directory_import(directory=tmp_path)
    assert [(e.file, e.row, e.column) for e in excinfo.value.errors] == [
        ("businesses.csv", 2, "类别"),
        ("batches.csv", 0, ""),  # the note: businesses.csv failed before it
        ("batches.csv", 2, "抽样日期"),
        ("batches.csv", 3, "登记编号"),
    ]
    assert "businesses.csv" in excinfo.value.errors[1].reason
    assert row_counts() == before  # units.csv passed but is not kept either
    with pytest.raises(CommandError, match="共 4 处错误"):
        call_command("import-dir", str(tmp_path))
    assert len(capsys.readouterr().err.splitlines()) == 4


def test_import_dir_command(db, tmp_path, capsys):
    write_csv(
        tmp_path / "units.csv",
        [["区划代码", "名称", "上级区划代码"], [DISTRICT, "和平区（示例）", ""]],
    )
    (tmp_path / "manifest.json").write_text(
        json.dumps([{"ledger": "orgunits", "file": "units.csv"}]), encoding="utf-8"
    )
    call_command("import-dir", str(tmp_path))
    out = capsys.readouterr().out
    assert "orgunits units.csv: 共1行，新增1，更新0，未变0" in out
    assert OrgUnit.objects.get(code=DISTRICT).level == 3


def test_a_whole_file_error_line_has_no_empty_row_or_column():
    from foodsafe.imports.errors import RowError

    assert str(RowError("h.xlsx", "", 0, "", "", "文件不是表格")) == "h.xlsx: 文件不是表格"
    assert str(RowError("d.xlsx", "封面", 0, "", "", "找不到表头行")) == "d.xlsx:封面: 找不到表头行"
    assert str(RowError("b.csv", "", 4, "登记编号", "B2", "重复")) == "b.csv:4:登记编号: B2 — 重复"
