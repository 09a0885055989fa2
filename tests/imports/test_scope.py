"""Import scope (issue 9 point 2): each unit imports only its own data.

The rules are those of foodsafe/programme/specs/heping-2021.imports.yaml: sampling is owned by
market-regulation and may also be imported by education (school-canteen sampling), its own
rows only; orgunits is the office's alone; an inspector acts for market-regulation and may not
import orgunits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.urls import reverse

from foodsafe.imports import services
from foodsafe.imports.checks import import_scope_check
from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.models import ImportLog
from foodsafe.imports.scope import ImportScopeError
from foodsafe.imports.scope_config import ScopeConfigError, import_scope_config
from foodsafe.imports.services import directory_import, ledger_import, ledger_preview
from foodsafe.orgunits.models import OrgUnit, ResponsibleUnit
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import Conclusion, SamplingBatch

from .helpers import row_counts, write_csv
from .test_importer import DISTRICT, SAMPLING_HEADER, SUB, brief, units  # noqa: F401

# Org units and business B001 (tests.imports.test_importer.units) for every test.
pytestmark = pytest.mark.usefixtures("units")

SCOPE_FILE = Path(__file__).resolve().parents[2] / (
    "foodsafe/programme/specs/heping-2021.imports.yaml"
)


def sampling_file(tmp_path: Path, name: str, *rows: list[str]) -> Path:
    return write_csv(tmp_path / name, [SAMPLING_HEADER, *rows])


def s_row(number: str, conclusion: str = "合格") -> list[str]:
    return [number, "2021-05-06", SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", conclusion]


@pytest.fixture(autouse=True)
def canteen(units):  # noqa: F811  (the imported fixture, required first)
    """C001, a school canteen: the only kind of business 区教育局's sampling may be about
    (heping-2021.imports.yaml, ledgers.sampling.rows.education)."""
    FoodBusiness.objects.create(
        registry_number="C001",
        name="示例小学食堂",
        sector="catering",
        business_format="school_canteen",
        org_unit_id=SUB,
    )


def c_row(number: str, conclusion: str = "合格", business: str = "C001") -> list[str]:
    """A batch sampled at a school canteen (业态 学校食堂)."""
    return [number, "2021-05-06", SUB, business, "监督抽检", "餐饮", "学校食堂", "蔬菜", conclusion]


# -- rows of another unit -------------------------------------------------------------------


def test_education_changing_market_regulation_sampling_result_is_refused(
    market_user, education_user, tmp_path
):
    # S1 imported by the command line (the office's scope, no unit): no import of a unit
    # created it, so it belongs to the ledger's owner, market-regulation (区市场监管局).
    ledger_import(ledger="sampling", path=sampling_file(tmp_path, "a.csv", c_row("S1")))
    before = row_counts()
    # 区教育局 flips S1's result 合格 → 不合格 (row 2, column 检验结论) and adds its own S2.
    path = sampling_file(tmp_path, "b.csv", c_row("S1", "不合格"), c_row("S2"))
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="sampling", path=path, actor=education_user)
    assert brief(excinfo.value.errors) == [
        (2, "检验结论", "不合格", "该记录（S1）属于区市场监管局，区教育局不能修改；整份文件未导入")
    ]
    assert excinfo.value.errors[0].file == "b.csv"
    # All or nothing: S1 unchanged, S2 not added, no log entry.
    assert SamplingBatch.objects.get(sample_number="S1").conclusion == Conclusion.CONFORMING
    assert not SamplingBatch.objects.filter(sample_number="S2").exists()
    assert row_counts() == before

    # The owner may change it.
    result = ledger_import(ledger="sampling", path=path, actor=market_user)
    assert (result.added, result.updated) == (1, 1)
    assert SamplingBatch.objects.get(sample_number="S1").conclusion == Conclusion.NONCONFORMING


def test_a_unit_changes_the_rows_its_own_import_created(market_user, education_user, tmp_path):
    created = ledger_import(
        ledger="sampling", path=sampling_file(tmp_path, "e.csv", c_row("E1")), actor=education_user
    )
    assert ImportLog.objects.get(pk=created.log_id).unit.code == "education"
    changed = ledger_import(
        ledger="sampling",
        path=sampling_file(tmp_path, "e2.csv", c_row("E1", "不合格")),
        actor=education_user,
    )
    assert changed.updated == 1
    # ...and market regulation may not change 区教育局's row.
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(
            ledger="sampling",
            path=sampling_file(tmp_path, "m.csv", c_row("E1", "合格")),
            actor=market_user,
        )
    assert brief(excinfo.value.errors) == [
        (2, "检验结论", "合格", "该记录（E1）属于区教育局，区市场监管局不能修改；整份文件未导入")
    ]


def test_owner_named_from_the_spec_when_its_unit_is_not_in_the_database(education_user, tmp_path):
    """The default owner market-regulation has no ResponsibleUnit row here (no market_user):
    the message names it from the programme spec and says the unit is not loaded."""
    assert not ResponsibleUnit.objects.filter(code="market-regulation").exists()
    ledger_import(ledger="sampling", path=sampling_file(tmp_path, "a.csv", c_row("S1")))
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(
            ledger="sampling",
            path=sampling_file(tmp_path, "b.csv", c_row("S1", "不合格")),
            actor=education_user,
        )
    assert excinfo.value.errors[0].reason == (
        "该记录（S1）属于区市场监管局（market-regulation，该单位尚未载入数据库，"
        "请先运行 foodsafe loadprogramme），区教育局不能修改；整份文件未导入"
    )


def test_a_code_in_neither_database_nor_spec_says_so(education_user, tmp_path, settings):
    scope = tmp_path / "scope.yaml"
    scope.write_text(
        SCOPE_FILE.read_text(encoding="utf-8").replace(
            "school_canteens: {owner: education, units: [education]}",
            "school_canteens: {owner: education, units: [schools-bureau]}",
        ),
        encoding="utf-8",
    )
    settings.FOODSAFE_IMPORT_SCOPE = str(scope)
    with pytest.raises(ImportScopeError) as excinfo:
        ledger_import(ledger="school_canteens", path=tmp_path / "absent.csv", actor=education_user)
    assert excinfo.value.errors[0].reason == (
        "区教育局无权导入“学校食堂”台账（可导入的单位：创城办、责任单位代码 schools-bureau"
        "（数据库和方案规格中都没有这个单位，请检查导入范围配置）；"
        # The file's name only: a member unit is not shown the server's paths.
        f"见导入范围配置 {scope.name}），文件未读取"
    )


# -- which rows a unit may add: ledgers.<ledger>.rows.<unit> --------------------------------


def test_education_may_not_add_sampling_of_a_business_that_is_not_a_school_canteen(
    education_user, tmp_path
):
    """The new-user test's finding F1: 区教育局 may import "the school canteen sampling it
    organises" (heping-2021.imports.yaml), yet it added a batch at a produce market and the
    district's sampling count grew by one. Now a new row is refused as well as a changed one:
    by its own 业态 (row 2: 超市), and by the business it names (row 3: 学校食堂 written, but
    B001 is a supermarket in the registry). Nothing is written, not even the good row 4."""
    before = row_counts()
    path = sampling_file(
        tmp_path, "edu.csv", s_row("N1"), c_row("N2", business="B001"), c_row("N3")
    )
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="sampling", path=path, actor=education_user)
    rule = "（导入范围配置 ledgers.sampling.rows.education）；整份文件未导入"
    assert brief(excinfo.value.errors) == [
        (2, "业态", "超市", f"区教育局只能导入业态为学校食堂的记录{rule}"),
        (3, "登记编号", "B001", f"该经营者的业态为“超市”，区教育局只能导入学校食堂的记录{rule}"),
    ]
    assert row_counts() == before
    # The canteen's batch alone goes in; market regulation is not bound by the rule.
    assert (
        ledger_import(
            ledger="sampling",
            path=sampling_file(tmp_path, "ok.csv", c_row("N3")),
            actor=education_user,
        ).added
        == 1
    )


def test_education_may_add_test_items_only_to_its_own_batches(
    market_user, education_user, tmp_path
):
    """test_items.rows.education.owned_refs: [batch] — a test item names its batch, and 区教育局
    may add items only to a batch its own import created (E1), not to market regulation's
    (M1, imported by 区市场监管局)."""
    ledger_import(
        ledger="sampling", path=sampling_file(tmp_path, "m.csv", c_row("M1")), actor=market_user
    )
    ledger_import(
        ledger="sampling", path=sampling_file(tmp_path, "e.csv", c_row("E1")), actor=education_user
    )
    header = ["抽样单编号", "检验项目", "是否合格"]
    bad = write_csv(tmp_path / "items.csv", [header, ["E1", "铅", "是"], ["M1", "铅", "否"]])
    with pytest.raises(ImportValidationError) as excinfo:
        ledger_import(ledger="test_items", path=bad, actor=education_user)
    assert brief(excinfo.value.errors) == [
        (
            3,
            "抽样单编号",
            "M1",
            "所引用的记录属于区市场监管局，区教育局只能为本单位导入的记录导入"
            "（导入范围配置 ledgers.test_items.rows.education）；整份文件未导入",
        )
    ]
    good = write_csv(tmp_path / "items2.csv", [header, ["E1", "铅", "是"]])
    assert ledger_import(ledger="test_items", path=good, actor=education_user).added == 1


# -- a ledger outside the scope: refused before the file is read ---------------------------


@pytest.fixture
def reads(monkeypatch):
    """Every call of the reader and of the file fingerprint, to prove a refused file is never
    opened."""
    calls: list[str] = []
    real_read, real_fingerprint = services.read_table, services._fingerprint

    def read_table(path, **kwargs):
        calls.append(f"read {Path(path).name}")
        return real_read(path, **kwargs)

    def fingerprint(path, name):
        calls.append(f"sha256 {name}")
        return real_fingerprint(path, name)

    monkeypatch.setattr(services, "read_table", read_table)
    monkeypatch.setattr(services, "_fingerprint", fingerprint)
    return calls


def rename_file(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "区划.csv",
        [["区划代码", "名称", "上级区划代码"], [SUB, "改名街道", DISTRICT]],
    )


def test_inspector_renaming_a_subdistrict_is_refused_before_reading(
    market_user, inspector, tmp_path, reads
):
    path = rename_file(tmp_path)
    with pytest.raises(ImportScopeError) as excinfo:
        ledger_import(ledger="orgunits", path=path, actor=inspector)
    # orgunits lists no unit: the office alone (heping-2021.imports.yaml).
    assert brief(excinfo.value.errors) == [
        (
            0,
            "",
            "",
            "监管人员（区市场监管局）无权导入“行政区划单位”台账（可导入的单位：创城办；"
            f"见导入范围配置 {Path(import_scope_config().path).name}），文件未读取",
        )
    ]
    assert reads == []
    assert OrgUnit.objects.get(code=SUB).name == "劝业场街道（测试）"


def test_inspector_may_not_import_incidents(market_user, inspector, tmp_path, reads):
    """New-user finding F28: one 重大 incident row imported by an inspector made the district's
    2021 result 否决 (veto 2). Incidents are the office's and 区应急局's ledger
    (heping-2021.imports.yaml); roles.inspector.ledgers no longer lists it."""
    with pytest.raises(ImportScopeError) as excinfo:
        ledger_import(ledger="incidents", path=tmp_path / "事件.csv", actor=inspector)
    assert excinfo.value.errors[0].reason.startswith(
        "监管人员（区市场监管局）无权导入“食品安全事件”台账（可导入的单位：创城办、区应急局"
    )
    assert reads == []


def test_office_renames_a_subdistrict(office_admin, tmp_path):
    result = ledger_import(ledger="orgunits", path=rename_file(tmp_path), actor=office_admin)
    assert result.updated == 1
    assert OrgUnit.objects.get(code=SUB).name == "改名街道"
    assert ImportLog.objects.get(pk=result.log_id).unit is None  # the office, no unit


def test_member_unit_refused_a_ledger_of_another_unit_before_reading(
    education_user, tmp_path, reads
):
    with pytest.raises(ImportScopeError):
        ledger_import(ledger="grain_stocks", path=tmp_path / "粮食.xlsx", actor=education_user)
    with pytest.raises(ImportScopeError):
        ledger_import(ledger="orgunits", path=rename_file(tmp_path), actor=education_user)
    assert reads == []


def test_directory_checks_every_ledger_before_reading_any_file(education_user, tmp_path, reads):
    sampling_file(tmp_path, "s.csv", s_row("S9"))
    rename_file(tmp_path)
    (tmp_path / "manifest.json").write_text(
        '[{"ledger": "sampling", "file": "s.csv"}, {"ledger": "orgunits", "file": "区划.csv"}]',
        encoding="utf-8",
    )
    with pytest.raises(ImportScopeError) as excinfo:
        directory_import(directory=tmp_path, actor=education_user)
    assert excinfo.value.errors[0].file == "区划.csv"
    # The first file (sampling, allowed) was not read either.
    assert reads == []
    assert not SamplingBatch.objects.filter(sample_number="S9").exists()


def test_preview_refuses_before_reading(inspector, market_user, tmp_path, reads):
    preview = ledger_preview(ledger="orgunits", path=rename_file(tmp_path), actor=inspector)
    assert len(preview.errors) == 1
    assert preview.errors[0].reason.startswith(
        "监管人员（区市场监管局）无权导入“行政区划单位”台账（可导入的单位：创城办；"
    )
    assert preview.rows == [] and reads == []


def test_member_unit_may_not_import_for_another_unit(education_user, tmp_path):
    with pytest.raises(ImportScopeError) as excinfo:
        ledger_import(
            ledger="sampling",
            path=tmp_path / "x.csv",
            actor=education_user,
            for_unit="market-regulation",
        )
    assert excinfo.value.errors[0].reason == (
        "区教育局的用户只能为本单位导入，不能代区市场监管局（market-regulation，该单位尚未载入"
        "数据库，请先运行 foodsafe loadprogramme）导入"
    )


# -- the log and previews: a unit sees only its own -----------------------------------------


def test_log_and_preview_are_404_for_another_unit(client, market_user, education_user, tmp_path):
    client.force_login(market_user)
    with (tmp_path / "s.csv").open("wb") as handle:
        handle.write(sampling_file(tmp_path, "s.csv", s_row("S1")).read_bytes())
    with (tmp_path / "s.csv").open("rb") as handle:
        response = client.post(reverse("imports:upload"), {"ledger": "sampling", "file": handle})
    assert response.status_code == 302
    preview_url = response["Location"]
    token = preview_url.rstrip("/").split("/")[-1]
    assert client.get(preview_url).status_code == 200
    response = client.post(reverse("imports:confirm", kwargs={"token": token}))
    log = ImportLog.objects.get()
    assert response["Location"] == reverse("imports:log_entry", kwargs={"pk": log.pk})
    assert log.unit.code == "market-regulation" and log.imported_by == market_user

    other = type(client)()
    other.force_login(education_user)
    assert other.get(reverse("imports:log_entry", kwargs={"pk": log.pk})).status_code == 404
    assert "s.csv" not in other.get(reverse("imports:log")).content.decode()
    assert client.get(reverse("imports:log_entry", kwargs={"pk": log.pk})).status_code == 200
    assert "s.csv" in client.get(reverse("imports:log")).content.decode()

    # A second upload by market regulation: its preview is theirs alone.
    with (tmp_path / "s.csv").open("rb") as handle:
        response = client.post(reverse("imports:upload"), {"ledger": "sampling", "file": handle})
    assert other.get(response["Location"]).status_code == 404
    assert client.get(response["Location"]).status_code == 200


# -- the scope file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ("version: 1", "version: 2", "version", "应为 1"),
        (
            "  incidents: {owner: committee-office, units: [emergency-management]}",
            "  incident: {owner: committee-office, units: [emergency-management]}",
            "ledgers.incident",
            "未知台账，可选：",
        ),
        (
            "  grain_monitoring: {owner: development-reform, units: [development-reform]}\n",
            "",
            "ledgers.grain_monitoring",
            "缺少该台账的导入范围（每个台账都要写明）",
        ),
        (
            "school_canteens: {owner: education, units: [education]}",
            "school_canteens: {owner: 区教育局, units: [education]}",
            "ledgers.school_canteens.owner",
            "'区教育局' 不是责任单位代码（如 market-regulation）",
        ),
        (
            'default: ["120101000000"]',
            "default: [120101000000]",
            "org_units.default",
            "120101000000 不是12位区划代码（请加引号写成字符串）",
        ),
        ("roles:\n  inspector:", "roles:\n  auditor:", "roles.auditor", "未知角色"),
        (
            "rows: {education: {business_formats: [school_canteen]}}}\n  test_items",
            "rows: {education: {business_formats: [canteen]}}}\n  test_items",
            "ledgers.sampling.rows.education.business_formats",
            "'canteen' 不是业态代码",
        ),
        (
            "rows: {education: {business_formats: [school_canteen]}}}\n  test_items",
            "rows: {health: {business_formats: [school_canteen]}}}\n  test_items",
            "ledgers.sampling.rows.health",
            "该单位不在 units 中",
        ),
        (
            "rows: {education: {owned_refs: [batch]}}",
            "rows: {education: {owned_refs: [name]}}",
            "ledgers.test_items.rows.education.owned_refs",
            "'name' 不是引用其他台账记录的列",
        ),
    ],
)
def test_scope_file_errors_name_file_and_key(tmp_path, old, new, key, reason):
    text = SCOPE_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "bad.imports.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ScopeConfigError) as excinfo:
        import_scope_config(bad)
    assert str(excinfo.value).startswith(f"导入范围配置 {bad}，键 {key}：{reason}")


def test_scope_file_not_yaml_or_missing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("ledgers: [", encoding="utf-8")
    with pytest.raises(ScopeConfigError, match=f"导入范围配置 {bad}：不是有效的 YAML"):
        import_scope_config(bad)
    with pytest.raises(ScopeConfigError, match="无法读取"):
        import_scope_config(tmp_path / "absent.yaml")


def test_shipped_scope_file_is_valid():
    config = import_scope_config(SCOPE_FILE)
    assert config.ledgers["orgunits"].units == frozenset()
    assert config.ledgers["grain_stocks"].units == frozenset({"development-reform"})
    assert "orgunits" not in config.inspector_ledgers


def test_system_check_e001_stops_start_up_on_a_bad_file(tmp_path, settings):
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\n", encoding="utf-8")
    settings.FOODSAFE_IMPORT_SCOPE = str(bad)
    errors = import_scope_check()
    assert [e.id for e in errors] == ["imports.E001"]
    assert errors[0].msg == f"导入范围配置 {bad}，键 ledgers：缺少该键"
    with pytest.raises(SystemCheckError, match="imports.E001"):
        call_command("check")
    settings.FOODSAFE_IMPORT_SCOPE = str(SCOPE_FILE)
    assert import_scope_check() == []


# -- the command line: --as and --for-unit -----------------------------------------------------


def test_import_command_as_a_user_and_for_a_unit(market_user, education_user, tmp_path, capsys):
    path = sampling_file(tmp_path, "a.csv", c_row("S1"))
    call_command("import", "sampling", str(path), "--as", "education_user")
    log = ImportLog.objects.get()
    assert (log.imported_by, log.unit.code) == (education_user, "education")
    # The office (no --as: the system actor) on 区市场监管局's behalf: its scope, its unit.
    rename = rename_file(tmp_path)
    with pytest.raises(CommandError, match="导入失败"):
        call_command("import", "orgunits", str(rename), "--for-unit", "market-regulation")
    assert "区市场监管局无权导入“行政区划单位”台账" in capsys.readouterr().err
    with pytest.raises(CommandError, match="没有用户 nobody"):
        call_command("import", "sampling", str(path), "--as", "nobody")


def test_import_dir_command_as_a_user(education_user, tmp_path, capsys):
    rename_file(tmp_path)
    (tmp_path / "manifest.json").write_text(
        '[{"ledger": "orgunits", "file": "区划.csv"}]', encoding="utf-8"
    )
    with pytest.raises(CommandError):
        call_command("import-dir", str(tmp_path), "--as", "education_user")
    assert "区教育局无权导入“行政区划单位”台账" in capsys.readouterr().err
    call_command("import-dir", str(tmp_path))  # the system actor: the office's scope
    assert OrgUnit.objects.get(code=SUB).name == "改名街道"
