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
