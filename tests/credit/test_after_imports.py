"""The credit files follow the import path: after an import commits, the operators it touched
are refreshed; a rollback of the import that created a business is not refused for the credit
rows, and the refresh after it removes them."""

from __future__ import annotations

import pytest
import time_machine

from foodsafe.credit.models import CreditEntry, CreditFile
from foodsafe.imports.models import ImportLog
from foodsafe.imports.rollback import import_rollback
from foodsafe.imports.services import ledger_import
from foodsafe.registry.models import FoodBusiness
from tests.imports.helpers import write_csv
from tests.imports.test_importer import BUSINESS_HEADER, SAMPLING_HEADER, SUB, units  # noqa: F401
from tests.imports.test_rollback import AT, s_row

pytestmark = pytest.mark.usefixtures("units")


def test_import_then_rollback(tmp_path, office_admin, django_capture_on_commit_callbacks):
    with time_machine.travel(AT, tick=False):
        path = write_csv(
            tmp_path / "b.csv",
            [BUSINESS_HEADER, ["B002", "示例店", "", "食品销售", "食杂店", SUB, ""]],
        )
        with django_capture_on_commit_callbacks(execute=True):
            log = ImportLog.objects.get(pk=ledger_import(ledger="businesses", path=path).log_id)
        b = FoodBusiness.objects.get(registry_number="B002")
        b_id = b.pk
        # The import's notice refreshed the new operator: its file exists (keyed by the
        # registry number: no USCC, no licence in this row).
        f = CreditFile.objects.get(business=b)
        assert (f.key, f.key_kind, f.entries_count) == ("B002", "registry", 0)
        row = s_row("S9", conclusion="不合格")
        row[3] = "B002"
        with django_capture_on_commit_callbacks(execute=True):
            batches = ImportLog.objects.get(
                pk=ledger_import(
                    ledger="sampling", path=write_csv(tmp_path / "s.csv", [SAMPLING_HEADER, row])
                ).log_id
            )
        # The failed batch is filed under B002 by the second import's notice.
        assert CreditEntry.objects.filter(business=b, kind="sampling").count() == 1
        with django_capture_on_commit_callbacks(execute=True):
            import_rollback(log=batches, actor=office_admin)
        assert not CreditEntry.objects.filter(business=b).exists()
        with django_capture_on_commit_callbacks(execute=True):
            import_rollback(log=log, actor=office_admin)
    assert not FoodBusiness.objects.filter(registry_number="B002").exists()
    assert not CreditFile.objects.filter(business_id=b_id).exists()
    assert not CreditEntry.objects.filter(business_id=b_id).exists()


def test_an_import_while_a_credit_run_holds_the_lock_commits_and_queues_its_refresh(
    tmp_path, settings, client, office_admin, django_capture_on_commit_callbacks
):
    """The refresh after an import takes the ``credit`` job lock like the command and the page
    buttons. While another run holds it the import still commits (its rows are the ledger's
    truth), its refresh is queued (PendingRefresh) rather than run beside the holder, the
    credit page says so, and the next credit run catches it up before letting go — here the
    office's 按月分类 button, which by itself refreshes nothing."""
    from django.urls import reverse

    from foodsafe.credit.models import PendingRefresh
    from tests.credit.test_lock import another_run_holds_the_lock

    settings.VAR_DIR = tmp_path / "var"
    path = write_csv(
        tmp_path / "b.csv", [BUSINESS_HEADER, ["B002", "示例店", "", "食品销售", "食杂店", SUB, ""]]
    )
    client.force_login(office_admin)
    with another_run_holds_the_lock():
        with django_capture_on_commit_callbacks(execute=True):
            ledger_import(ledger="businesses", path=path)
        business = FoodBusiness.objects.get(registry_number="B002")  # the import committed
        # Before the fix the refresh ran beside the holder and this file existed already.
        assert not CreditFile.objects.filter(business=business).exists()
        assert list(PendingRefresh.objects.values_list("ledgers", flat=True)) == ["businesses"]
        page = client.get(reverse("credit:index")).content.decode()
        assert 'id="pending-refresh"' in page and "有 1 次导入后的信用档案归集" in page
    client.post(reverse("credit:run"), {"action": "assess", "month": "202110"})
    assert CreditFile.objects.filter(business=business).count() == 1
    assert not PendingRefresh.objects.exists()
    page = client.get(reverse("credit:index")).content.decode()
    assert 'id="pending-refresh"' not in page
