"""撤销导入 (issue 9 point 2): an import's created rows removed, its changed rows given their
previous values, all or nothing, audited; refused where a later import touched the rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from foodsafe.imports.models import ImportChange, ImportLog
from foodsafe.imports.rollback import RollbackRefusedError, import_rollback
from foodsafe.imports.services import ledger_import
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import Conclusion, SamplingBatch

from .helpers import row_counts, write_csv
from .test_importer import BUSINESS_HEADER, SAMPLING_HEADER, SUB, units  # noqa: F401

pytestmark = pytest.mark.usefixtures("units")

# 2026-12-06 02:00 UTC is 10:00 in Asia/Shanghai, the time the messages show.
AT = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)


def s_row(number: str, conclusion: str = "合格", sampled: str = "2021-05-06") -> list[str]:
    return [number, sampled, SUB, "B001", "监督抽检", "流通", "超市", "蔬菜", conclusion]


def sampling(tmp_path: Path, name: str, *rows: list[str], actor=None) -> ImportLog:
    path = write_csv(tmp_path / name, [SAMPLING_HEADER, *rows])
    result = ledger_import(ledger="sampling", path=path, actor=actor)
    return ImportLog.objects.get(pk=result.log_id)


def batch(number: str) -> tuple[str, date]:
    b = SamplingBatch.objects.get(sample_number=number)
    return b.conclusion, b.sampled_on


def test_rollback_restores_previous_values_and_removes_created_rows(tmp_path, office_admin):
    sampling(tmp_path, "a.csv", s_row("S1"), s_row("S2"))
    # The second import changes S1's result and date, leaves S2, adds S3.
    second = sampling(
        tmp_path,
        "b.csv",
        s_row("S1", "不合格", "2021-05-07"),
        s_row("S2"),
        s_row("S3"),
        actor=office_admin,
    )
    assert batch("S1") == (Conclusion.NONCONFORMING, date(2021, 5, 7))
    # What it recorded: S1's two changed fields with the values before.
    change = ImportChange.objects.get(log=second)
    assert change.previous == {"sampled_on": "2021-05-06", "conclusion": "conforming"}

    with time_machine.travel(AT, tick=False):
        plan = import_rollback(log=second, actor=office_admin)
    assert (plan.remove, plan.restore) == (1, 1)
    # Exactly the values S1 had before the second import; S2 untouched; S3 gone.
    assert batch("S1") == (Conclusion.CONFORMING, date(2021, 5, 6))
    assert batch("S2") == (Conclusion.CONFORMING, date(2021, 5, 6))
    assert not SamplingBatch.objects.filter(sample_number="S3").exists()
    assert SamplingBatch.objects.count() == 2
    # Audited: the log says who and when; each row's history says why.
    second.refresh_from_db()
    assert second.rolled_back_at == AT and second.rolled_back_by == office_admin
    s1 = SamplingBatch.history.filter(sample_number="S1").order_by("-history_id").first()
    assert (s1.history_type, s1.history_user, s1.history_change_reason) == (
        "~",
        office_admin,
        f"撤销导入 #{second.pk}",
    )
    s3 = SamplingBatch.history.filter(sample_number="S3").order_by("-history_id").first()
    assert (s3.history_type, s3.history_user, s3.history_change_reason) == (
        "-",
        office_admin,
        f"撤销导入 #{second.pk}",
    )


def test_rollback_of_a_first_import_removes_every_row(tmp_path, office_admin):
    before = SamplingBatch.objects.count()
    first = sampling(tmp_path, "a.csv", *[s_row(f"S{n}") for n in range(1, 1201)])
    # 1,200 rows: more than one chunk of 500 ids, one created range.
    assert first.created_ranges == [[first.created_ranges[0][0], first.created_ranges[0][0] + 1199]]
    plan = import_rollback(log=first, actor=office_admin)
    assert (plan.remove, plan.restore) == (1200, 0)
    assert SamplingBatch.objects.count() == before


def test_refused_after_a_later_import_changed_the_same_rows(tmp_path, office_admin):
    with time_machine.travel(AT, tick=False):
        first = sampling(tmp_path, "a.csv", s_row("S1"))
        later = sampling(tmp_path, "b.csv", s_row("S1", "不合格"))
    before = row_counts()
    with pytest.raises(RollbackRefusedError) as excinfo:
        import_rollback(log=first, actor=office_admin)
    assert excinfo.value.reasons == [
        f"之后的导入 #{later.pk} b.csv（命令行，2026-12-06 10:00）修改了本次导入新增或修改的 "
        "1 条记录，撤销会抹掉它的修改；请先撤销该导入"
    ]
    # Nothing changed, and the log is not marked.
    assert row_counts() == before
    assert batch("S1")[0] == Conclusion.NONCONFORMING
    first.refresh_from_db()
    assert first.rolled_back_at is None

    # Rolled back in order (the later one first), both go through.
    import_rollback(log=later, actor=office_admin)
    assert batch("S1")[0] == Conclusion.CONFORMING
    import_rollback(log=first, actor=office_admin)
    assert not SamplingBatch.objects.filter(sample_number="S1").exists()


def test_refused_when_a_later_import_depends_on_created_rows(tmp_path, office_admin):
    with time_machine.travel(AT, tick=False):
        path = write_csv(
            tmp_path / "b.csv",
            [BUSINESS_HEADER, ["B002", "示例店", "", "食品销售", "食杂店", SUB, ""]],
        )
        businesses = ImportLog.objects.get(pk=ledger_import(ledger="businesses", path=path).log_id)
        row = s_row("S5")
        row[3] = "B002"  # a batch of the business the first import added
        batches = sampling(tmp_path, "s.csv", row)
    with pytest.raises(RollbackRefusedError) as excinfo:
        import_rollback(log=businesses, actor=office_admin)
    assert excinfo.value.reasons == [
        f"1 条抽检批次记录引用了本次导入新增的记录，它们由之后的导入 #{batches.pk} s.csv"
        "（命令行，2026-12-06 10:00）导入；请先撤销该导入"
    ]
    assert FoodBusiness.objects.filter(registry_number="B002").exists()
    import_rollback(log=batches, actor=office_admin)
    import_rollback(log=businesses, actor=office_admin)
    assert not FoodBusiness.objects.filter(registry_number="B002").exists()


def test_refused_twice_and_for_anyone_but_the_office(tmp_path, office_admin, market_user):
    log = sampling(tmp_path, "a.csv", s_row("S1"), actor=market_user)
    with pytest.raises(RollbackRefusedError) as excinfo:
        import_rollback(log=log, actor=market_user)
    assert excinfo.value.reasons == ["只有创城办可以撤销导入"]
    assert SamplingBatch.objects.filter(sample_number="S1").exists()
    with time_machine.travel(AT, tick=False):
        import_rollback(log=log, actor=office_admin)
    with pytest.raises(RollbackRefusedError) as excinfo:
        import_rollback(log=log, actor=office_admin)
    assert excinfo.value.reasons == [
        "该导入已于 2026-12-06 10:00 由 office_admin 撤销，不能再次撤销"
    ]


def test_a_rolled_back_import_no_longer_owns_rows(tmp_path, office_admin, education_user):
    """Row ownership (scope.RowGuard) ignores rolled-back imports: after 区教育局's import of
    E1 is undone and E1 imported again by the office, E1 is the ledger owner's again. E1 is
    sampled at a school canteen: the only sampling 区教育局 may import
    (heping-2021.imports.yaml, ledgers.sampling.rows.education)."""
    FoodBusiness.objects.create(
        registry_number="C001",
        name="示例小学食堂",
        sector="catering",
        business_format="school_canteen",
        org_unit_id=SUB,
    )

    def e_row(conclusion: str = "合格") -> list[str]:
        return ["E1", "2021-05-06", SUB, "C001", "监督抽检", "餐饮", "学校食堂", "蔬菜", conclusion]

    log = sampling(tmp_path, "e.csv", e_row(), actor=education_user)
    import_rollback(log=log, actor=office_admin)
    sampling(tmp_path, "o.csv", e_row())
    with pytest.raises(Exception, match="该记录（E1）属于区市场监管局"):
        sampling(tmp_path, "e2.csv", e_row("不合格"), actor=education_user)


# -- the page and the command ---------------------------------------------------------------


def test_rollback_page_confirms_then_rolls_back(tmp_path, client, office_admin, market_user):
    sampling(tmp_path, "a.csv", s_row("S1"))
    log = sampling(tmp_path, "b.csv", s_row("S1", "不合格"), s_row("S2"), actor=market_user)
    url = reverse("imports:rollback", kwargs={"pk": log.pk})

    client.force_login(market_user)  # the unit's own entry: seen, but no button, 403
    entry = client.get(reverse("imports:log_entry", kwargs={"pk": log.pk}))
    assert url not in entry.content.decode()
    assert client.post(url).status_code == 403

    client.force_login(office_admin)
    entry = client.get(reverse("imports:log_entry", kwargs={"pk": log.pk}))
    assert url in entry.content.decode()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "1 条本次导入新增的记录" in text and "1 条本次导入修改的记录" in text
    assert 'name="csrfmiddlewaretoken"' in text
    assert batch("S1")[0] == Conclusion.NONCONFORMING  # GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:log_entry", kwargs={"pk": log.pk})
    assert batch("S1")[0] == Conclusion.CONFORMING
    assert not SamplingBatch.objects.filter(sample_number="S2").exists()
    entry = client.get(response["Location"]).content.decode()
    assert "已撤销" in entry and url not in entry
    # Twice: refused with the reason, nothing changed.
    again = client.post(url)
    assert again.status_code == 409
    assert "不能再次撤销" in again.content.decode()


def test_rollback_post_needs_csrf(tmp_path, office_admin):
    from django.test import Client

    log = sampling(tmp_path, "a.csv", s_row("S1"))
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_admin)
    assert client.post(reverse("imports:rollback", kwargs={"pk": log.pk})).status_code == 403
    assert SamplingBatch.objects.filter(sample_number="S1").exists()


def test_rollback_command(tmp_path, office_admin, market_user, capsys):
    log = sampling(tmp_path, "a.csv", s_row("S1"))
    with pytest.raises(CommandError, match=f"未撤销 导入 #{log.pk} a.csv") as excinfo:
        call_command("rollback-import", str(log.pk), "--as", "market_user")
    assert excinfo.value.returncode == 1
    assert "只有创城办可以撤销导入" in capsys.readouterr().err
    call_command("rollback-import", str(log.pk), "--as", "office_admin")
    assert "删除新增记录 1 条，恢复原值 0 条" in capsys.readouterr().out
    assert not SamplingBatch.objects.filter(sample_number="S1").exists()
    with pytest.raises(CommandError, match="没有用户 nobody"):
        call_command("rollback-import", str(log.pk), "--as", "nobody")
    with pytest.raises(CommandError, match="未撤销"):
        call_command("rollback-import", str(log.pk), "--as", "office_admin")
