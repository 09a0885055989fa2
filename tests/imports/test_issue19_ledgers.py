"""Issue 19's ledgers: every bad row named by row, column and reason, nothing written on
failure; masked names; months typed the ways people type them; the registry's new columns."""

from __future__ import annotations

from datetime import date

import pytest

from foodsafe.handlers.models import FoodHandler
from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.services import ledger_import
from foodsafe.insurance.models import LiabilityPolicy
from foodsafe.orgunits.models import OrgUnit
from foodsafe.registry.models import FoodBusiness
from foodsafe.sentinels.models import SentinelInstitution, SentinelReport

from .helpers import row_counts, write_xlsx

DISTRICT, SUB = "120101000000", "120101001000"


@pytest.fixture
def units(db):
    OrgUnit.objects.create(code="120000000000", name="天津市（测试）", level=1)
    OrgUnit.objects.create(
        code="120100000000", name="市辖区（测试）", level=2, parent_id="120000000000"
    )
    OrgUnit.objects.create(code=DISTRICT, name="和平区（测试）", level=3, parent_id="120100000000")
    OrgUnit.objects.create(code=SUB, name="劝业场街道（测试）", level=4, parent_id=DISTRICT)
    FoodBusiness.objects.create(
        registry_number="K001",
        name="示例小学食堂",
        sector="catering",
        business_format="school_canteen",
        org_unit_id=SUB,
    )


def errors_of(**kwargs) -> list[tuple[int, str, str, str]]:
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(**kwargs)
    return [(e.row, e.column, e.value, e.reason) for e in excinfo.value.errors]


def test_insurance_policy_ending_before_it_starts_is_refused(units, tmp_path):
    header = ["保单号", "登记编号", "承保机构", "保险起期", "保险止期"]
    path = write_xlsx(
        tmp_path / "policies.xlsx",
        [
            header,
            ["P1", "K001", "示例保险", date(2021, 1, 1), date(2021, 12, 31)],
            ["P2", "K001", "示例保险", date(2021, 6, 1), date(2021, 5, 31)],
            ["P3", "K999", "示例保险", date(2021, 1, 1), date(2021, 12, 31)],
        ],
    )
    before = row_counts()
    errors = errors_of(ledger="insurance_policies", path=path)
    assert errors[0] == (3, "保险止期", "2021-05-31", "保险止期不能早于保险起期（2021-06-01）")
    assert errors[1][:3] == (4, "登记编号", "K999")
    assert len(errors) == 2
    assert row_counts() == before  # P1 was valid but nothing is written
    # The valid row alone imports, and again changes nothing.
    good = write_xlsx(
        tmp_path / "ok.xlsx",
        [header, ["P1", "K001", "示例保险", date(2021, 1, 1), date(2021, 12, 31)]],
    )
    assert ledger_import(ledger="insurance_policies", path=good).added == 1
    assert ledger_import(ledger="insurance_policies", path=good).added == 0
    assert LiabilityPolicy.objects.get().business.registry_number == "K001"


def test_food_handler_names_are_masked_in_errors(units, tmp_path):
    header = ["登记编号", "人员编号", "姓名", "健康证明编号", "健康证明有效期至"]
    path = write_xlsx(
        tmp_path / "handlers.xlsx",
        [
            header,
            ["K001", "001", "张三丰", "JKZ1", date(2022, 3, 31)],
            ["K001", "002", "李四", None, date(2022, 3, 31)],  # a date without a number
        ],
    )
    errors = errors_of(ledger="food_handlers", path=path)
    assert errors == [
        (3, "健康证明有效期至", "2022-03-31", "填写了健康证明有效期至，健康证明编号不能为空")
    ]
    assert FoodHandler.objects.count() == 0
    # A bad name cell is shown masked, as in the preview (personal data).
    path = write_xlsx(tmp_path / "h2.xlsx", [header, ["K001", "001", "张" * 60, "JKZ1", None]])
    errors = errors_of(ledger="food_handlers", path=path)
    assert errors[0][:2] == (2, "姓名")
    assert errors[0][2] == "张" + "*" * 59


def test_sentinel_months_typed_several_ways(units, tmp_path):
    write = write_xlsx(
        tmp_path / "inst.xlsx",
        [["机构编号", "机构名称", "区划代码"], ["YY01", "示例医院", SUB]],
    )
    ledger_import(ledger="sentinel_institutions", path=write)
    header = ["机构编号", "报告月份", "报送日期", "报告病例数"]
    path = write_xlsx(
        tmp_path / "reports.xlsx",
        [
            header,
            ["YY01", "2021-01", date(2021, 2, 3), 0],
            ["YY01", "2021年2月", date(2021, 3, 3), 2],
            ["YY01", 202103, date(2021, 4, 3), 1],
            ["YY01", date(2021, 4, 17), date(2021, 5, 3), 0],  # any day of the month
        ],
    )
    assert ledger_import(ledger="sentinel_reports", path=path).added == 4
    months = sorted(SentinelReport.objects.values_list("month", flat=True))
    assert months == [date(2021, m, 1) for m in (1, 2, 3, 4)]
    bad = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            header,
            ["YY01", "2021-13", date(2021, 2, 3), 0],
            ["YY01", "2021-05", date(2021, 4, 30), 0],
        ],
    )
    errors = errors_of(ledger="sentinel_reports", path=bad)
    assert errors[0] == (2, "报告月份", "2021-13", "月份应为1至12")
    # Reported before the month began.
    assert errors[1][:2] == (3, "报送日期")
    assert SentinelInstitution.objects.count() == 1


def test_registry_registration_date_needs_a_number(units, tmp_path):
    header = [
        "登记编号",
        "名称",
        "类别",
        "业态",
        "区划代码",
        "许可证编号",
        "发证（登记、备案）日期",
        "规模以上企业",
    ]
    path = write_xlsx(
        tmp_path / "businesses.xlsx",
        [
            header,
            [
                "S1",
                "示例面馆",
                "餐饮服务",
                "小餐饮",
                SUB,
                "津和小餐饮登2019001",
                date(2019, 4, 1),
                None,
            ],
            ["S2", "示例早点摊", "食品销售", "食品摊贩", SUB, None, date(2019, 4, 1), None],
            ["S3", "示例超市", "食品销售", "超市", SUB, None, None, "是"],
        ],
    )
    errors = errors_of(ledger="businesses", path=path)
    assert errors == [
        (
            3,
            "发证（登记、备案）日期",
            "2019-04-01",
            "填写了发证（登记、备案）日期，许可证编号不能为空",
        ),
        (4, "规模以上企业", "是", "只有类别为“食品生产”的经营者可填规模以上企业为“是”"),
    ]
    ok = write_xlsx(
        tmp_path / "ok.xlsx",
        [
            header[:7],
            ["S1", "示例面馆", "餐饮服务", "小餐饮", SUB, "津和小餐饮登2019001", date(2019, 4, 1)],
        ],
    )
    ledger_import(ledger="businesses", path=ok)
    assert FoodBusiness.objects.get(registry_number="S1").registered_on == date(2019, 4, 1)
