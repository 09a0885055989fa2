"""Two credit runs never overlap (issue 14; STYLE: a lock per scheduled job): the ``credit``
command and the page's runs hold the job lock ``credit`` (foodsafe.lib.locks: a PostgreSQL
advisory lock, a file lock under VAR_DIR on SQLite). While another run holds it a second run
refuses at once, says where the lock is, and writes nothing; once released it runs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from foodsafe.credit.models import CreditFile, CreditGrade
from foodsafe.credit.refresh import CREDIT_JOB
from foodsafe.lib.locks import _advisory_key, job_lock
from tests.conftest import SUB_A
from tests.factories import FoodBusinessFactory


@contextmanager
def another_run_holds_the_lock() -> Iterator[None]:
    """The lock held as another process would hold it: on PostgreSQL from another session
    (advisory locks are re-entrant within one), on SQLite through another open file (flock
    locks belong to the open file, so the same process is refused too)."""
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [_advisory_key(CREDIT_JOB)])
            yield
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_advisory_key(CREDIT_JOB)])
        finally:
            other.close()
    else:
        with job_lock(CREDIT_JOB):
            yield


@pytest.fixture
def operator(district, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return FoodBusinessFactory(name="示例餐馆", org_unit_id=SUB_A, opened_on=date(2019, 1, 1))


@pytest.mark.django_db(transaction=True)
def test_a_second_command_run_refuses_and_writes_nothing(operator):
    with another_run_holds_the_lock():
        with pytest.raises(CommandError, match="正在运行") as exc:
            call_command("credit", "--refresh", "--assess", "202110")
        # The message names the job and where its lock is.
        assert "credit" in str(exc.value)
        assert ("advisory lock" in str(exc.value)) or ("locks/credit.lock" in str(exc.value))
        assert not CreditFile.objects.exists() and not CreditGrade.objects.exists()
    out = io.StringIO()
    call_command("credit", "--refresh", "--assess", "202110", stdout=out)  # released: runs
    assert CreditFile.objects.filter(business=operator).count() == 1
    assert CreditGrade.objects.filter(business=operator, month=date(2021, 10, 1)).count() == 1
    assert "已释放" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_the_page_run_says_so_while_the_command_runs(client, office_admin, operator):
    client.force_login(office_admin)
    with another_run_holds_the_lock():
        page = client.post(
            reverse("credit:run"), {"action": "refresh", "month": "202110"}, follow=True
        )
        assert page.status_code == 200 and "正在运行" in page.content.decode()
        assert not CreditFile.objects.exists()
    client.post(reverse("credit:run"), {"action": "refresh", "month": "202110"})
    assert CreditFile.objects.filter(business=operator).count() == 1
