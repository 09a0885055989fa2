"""Gathering the credit files from the ledgers (信用信息归集, 实施方案 第25条 "将食品生产经营者信用
信息及时归集到企业名下"): set-based SQL, one ``INSERT … SELECT`` per kind of record.

A refresh replaces the entries of the operators in scope (everyone, or those whose ledger rows
changed since a time: the ledgers' history rows say which), then compares each file's checksum
of its entries with the stored one: a file whose entries changed gets ``changed_at`` = now;
every file in scope gets ``refreshed_on`` = today. Which ledger row gives which entry:

=========== ===================================================== ==================== ======
kind        ledger rows                                           outcome              public
=========== ===================================================== ==================== ======
licence     businesses with a licence number (date: opened_on)    granted              yes
inspection  every inspection                                       its result           yes
sampling    batches of the business concluded 不合格               nonconforming        no
case        filed cases of the business (date: filed_on)           criminal / individual closed
                                                                   / penalty / filed
complaint   complaints about the business that were 受理           accepted             no
listing     严重违法失信名单 entries (ends_on: removed_on)          listed               yes
=========== ===================================================== ==================== ======

Public (食品安全法 第一百一十三条 [P]): 许可, 日常监督检查结果, 违法行为查处 (a case once decided,
i.e. closed) and the 名单; complaints and sampling are kept in the file but not exported [I].
"""

# ruff: noqa: S608 - every SQL here is built from model table names and literals; values are
# parameters.
from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from foodsafe.complaints.models import Complaint
from foodsafe.enforcement.models import Case
from foodsafe.inspections.models import Inspection
from foodsafe.lib.locks import JobLocked, job_lock
from foodsafe.registry.models import FoodBusiness
from foodsafe.sampling.models import SamplingBatch

from .models import (
    CreditEntry,
    CreditFile,
    CreditGrade,
    KeyKind,
    PendingRefresh,
    SeriousViolationListing,
)

#: Operators per statement when the scope is a list of ids (SQLite's parameter limit).
#: The job lock (:mod:`foodsafe.lib.locks`) the ``credit`` command and the page's runs hold, so
#: two full refreshes or classings never overlap.
CREDIT_JOB = "credit"
CHUNK = 5000
logger = logging.getLogger(__name__)

#: Entry kind → the ledger model it comes from (changed-since lookups).
SOURCES: dict[str, Any] = {
    "licence": FoodBusiness,
    "inspection": Inspection,
    "sampling": SamplingBatch,
    "case": Case,
    "complaint": Complaint,
    "listing": SeriousViolationListing,
}

_COLUMNS = "business_id, kind, outcome, source_id, reference, occurred_on, ends_on, amount, public"


def _selects() -> list[tuple[str, str]]:
    """``(SELECT …, business column)`` per kind; each SELECT yields ``_COLUMNS``."""
    b = FoodBusiness._meta.db_table
    i = Inspection._meta.db_table
    s = SamplingBatch._meta.db_table
    c = Case._meta.db_table
    q = Complaint._meta.db_table
    li = SeriousViolationListing._meta.db_table
    return [
        (
            f"SELECT id, 'licence', 'granted', id, licence_number, opened_on, closed_on, NULL,"
            f" TRUE FROM {b} WHERE licence_number IS NOT NULL AND licence_number <> ''",
            "id",
        ),
        (
            f"SELECT business_id, 'inspection', result, id, inspection_number, inspected_on,"
            f" NULL, NULL, TRUE FROM {i} WHERE business_id IS NOT NULL",
            "business_id",
        ),
        (
            f"SELECT business_id, 'sampling', 'nonconforming', id, sample_number, sampled_on,"
            f" NULL, NULL, FALSE FROM {s}"
            f" WHERE business_id IS NOT NULL AND conclusion = 'nonconforming'",
            "business_id",
        ),
        (
            f"SELECT business_id, 'case', CASE WHEN criminal_referral THEN 'criminal'"
            f" WHEN individual_penalty THEN 'individual'"
            f" WHEN closed_on IS NOT NULL AND penalty_amount > 0 THEN 'penalty' ELSE 'filed' END,"
            f" id, case_number, filed_on, closed_on, penalty_amount, closed_on IS NOT NULL"
            f" FROM {c} WHERE business_id IS NOT NULL AND filed_on IS NOT NULL",
            "business_id",
        ),
        (
            f"SELECT business_id, 'complaint', 'accepted', id, complaint_number, received_on,"
            f" NULL, NULL, FALSE FROM {q} WHERE business_id IS NOT NULL AND decision = 'accepted'",
            "business_id",
        ),
        (
            f"SELECT business_id, 'listing', 'listed', id, decision_number, listed_on,"
            f" removed_on, NULL, TRUE FROM {li}",
            "business_id",
        ),
    ]


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did: operators in scope, files created, files whose entries changed,
    entries written, seconds taken."""

    operators: int
    created: int
    changed: int
    entries: int
    seconds: float


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def changed_business_ids(since: datetime) -> set[int]:
    """Operators whose credit file may have changed since ``since``: the business of every
    ledger row with a history row dated ``since`` or later (created, changed or deleted), and
    the operator whose file holds such a row now (a row moved to another business leaves
    both)."""
    ids: set[int] = set()
    for kind, model in SOURCES.items():
        hist = model.history.model
        column = "id" if model is FoodBusiness else "business_id"
        recent = hist.objects.filter(history_date__gte=since)
        ids.update(v for v in recent.values_list(column, flat=True).distinct() if v is not None)
        ids.update(
            CreditEntry.objects.filter(
                kind=kind, source_id__in=recent.values_list("id", flat=True)
            ).values_list("business_id", flat=True)
        )
    return ids


def _rebuild_entries(ids: list[int] | None) -> int:
    """Replace the entries of ``ids`` (``None``: everyone) from the ledgers; rows written."""
    table = CreditEntry._meta.db_table
    written = 0
    with connection.cursor() as cur:
        if ids is None:
            cur.execute(f"DELETE FROM {table}")
            for select, _column in _selects():
                cur.execute(f"INSERT INTO {table} ({_COLUMNS}) {select}")
                written += max(cur.rowcount, 0)
            return written
        for chunk in _chunks(ids):
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(f"DELETE FROM {table} WHERE business_id IN ({marks})", chunk)
            for select, column in _selects():
                glue = " AND " if " WHERE " in select else " WHERE "
                cur.execute(
                    f"INSERT INTO {table} ({_COLUMNS}) {select}{glue}{column} IN ({marks})",
                    chunk,
                )
                written += max(cur.rowcount, 0)
    return written


def _signatures(ids: list[int] | None) -> dict[int, tuple[str, int, date | None]]:
    """business id → (checksum, entries, latest date) of its entries, by one GROUP BY.

    The checksum adds up what an edit of a ledger row changes: the rows (count, ids), the
    outcome (its length × the row id), dates and amounts; a change detector for ``changed_at``,
    not a security measure."""
    table = CreditEntry._meta.db_table
    select = (
        f"SELECT business_id, COUNT(*), MAX(occurred_on), SUM(source_id),"
        f" SUM(LENGTH(outcome) * source_id), SUM(COALESCE(amount, 0)), MAX(ends_on),"
        f" MIN(occurred_on), SUM(CASE WHEN kind = 'listing' AND ends_on IS NULL THEN 1 ELSE 0 END)"
        f" FROM {table}"
    )
    out: dict[int, tuple[str, int, date | None]] = {}
    with connection.cursor() as cur:
        parts = [None] if ids is None else list(_chunks(ids))
        for chunk in parts:
            if chunk is None:
                cur.execute(f"{select} GROUP BY business_id")
            else:
                marks = ", ".join(["%s"] * len(chunk))
                cur.execute(f"{select} WHERE business_id IN ({marks}) GROUP BY business_id", chunk)
            for row in cur.fetchall():
                latest = row[2]
                if isinstance(latest, str):  # SQLite returns dates from aggregates as text
                    latest = date.fromisoformat(latest)
                sig = "|".join("" if v is None else str(v) for v in row[1:])
                out[int(row[0])] = (sig[:120], int(row[1]), latest)
    return out


def _key(uscc: str | None, licence: str | None, registry_number: str) -> tuple[str, str]:
    """The file's key: USCC, else licence number, else registry number (归集主体标识)."""
    if uscc:
        return uscc, KeyKind.USCC
    if licence:
        return licence, KeyKind.LICENCE
    return registry_number, KeyKind.REGISTRY


def credit_files_refresh(
    *,
    since: datetime | None = None,
    business_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> RefreshResult:
    """Refresh the credit files (食品安全信用档案, 食品安全法 第一百一十三条): every operator's
    when neither ``since`` nor ``business_ids`` is given; else those whose ledger rows changed
    since ``since`` (:func:`changed_business_ids`) and/or those in ``business_ids``.

    One transaction: the entries replaced, a file created for every operator in scope that has
    none, ``changed_at`` set to ``now`` on the files whose entries changed (or whose key did),
    ``refreshed_on`` to ``now``'s date on all in scope. Returns a :class:`RefreshResult`.
    """
    started = time.perf_counter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    scope: list[int] | None = None
    if since is not None or business_ids is not None:
        wanted: set[int] = set(business_ids or ())
        if since is not None:
            wanted |= changed_business_ids(since)
        scope = sorted(wanted)
    with transaction.atomic():
        entries = _rebuild_entries(scope)
        signatures = _signatures(scope)
        businesses = FoodBusiness.objects.all()
        files = CreditFile.objects.all()
        if scope is not None:
            businesses = businesses.filter(pk__in=scope)
            files = files.filter(business_id__in=scope)
        stored = {
            f[0]: f[1:] for f in files.values_list("business_id", "signature", "key", "org_unit_id")
        }
        fresh: list[CreditFile] = []
        stale: list[int] = []
        count = 0
        for bid, uscc, licence, number, unit in businesses.values_list(
            "id", "uscc", "licence_number", "registry_number", "org_unit_id"
        ).iterator(chunk_size=20_000):
            count += 1
            key, kind = _key(uscc, licence, number)
            sig, n, latest = signatures.get(bid, ("", 0, None))
            old = stored.get(bid)
            if old is not None and old == (sig, key, unit):
                continue
            if old is not None:
                stale.append(bid)
            fresh.append(
                CreditFile(
                    business_id=bid,
                    key=key,
                    key_kind=kind,
                    org_unit_id=unit,
                    entries_count=n,
                    latest_on=latest,
                    signature=sig,
                    changed_at=now,
                    refreshed_on=today,
                )
            )
        for chunk in _chunks(stale):
            CreditFile.objects.filter(business_id__in=chunk).delete()
        # Operators gone (an import rolled back): their classes go too.
        if scope is None:
            CreditGrade.objects.exclude(business_id__in=FoodBusiness.objects.values("id")).delete()
        else:
            present = set(businesses.values_list("id", flat=True))
            gone = [bid for bid in scope if bid not in present]
            for chunk in _chunks(gone):
                CreditGrade.objects.filter(business_id__in=chunk).delete()
        CreditFile.objects.bulk_create(fresh, batch_size=2000)
        files.update(refreshed_on=today)
    return RefreshResult(
        operators=count,
        created=len(fresh) - len(stale),
        changed=len(stale),
        entries=entries,
        seconds=round(time.perf_counter() - started, 3),
    )


@contextmanager
def credit_job() -> Iterator[str]:
    """Hold the ``credit`` job lock (:func:`foodsafe.lib.locks.job_lock`; ``JobLocked`` at
    once if another run holds it) and, before letting go, run the refreshes imports queued
    while it was held (:class:`PendingRefresh`): the holder is the one run that may, and it
    is already running. The ``credit`` command, the page's runs and the refresh after an
    import all take it this way."""
    with job_lock(CREDIT_JOB) as where:
        yield where
        catch_up_pending()


def catch_up_pending() -> int:
    """Run the queued refreshes as one, from the earliest ``since``; the lock must be held.
    Returns how many were queued."""
    pending = list(PendingRefresh.objects.order_by("since").values_list("pk", "since"))
    if not pending:
        return 0
    credit_files_refresh(since=pending[0][1])
    PendingRefresh.objects.filter(pk__in=[pk for pk, _since in pending]).delete()
    return len(pending)


def refresh_after_change(sender: Any, *, ledgers: list[str], since: datetime, **_: Any) -> None:
    """Receiver of ``foodsafe.lib.changes.ledgers_changed``: the incremental refresh of the
    operators whose rows changed since ``since`` (after an import, a rollback, an on-line
    save), under the job lock like every credit run.

    The ledger write has committed before this runs, and stays. When another credit run
    holds the lock the refresh is queued, not skipped (the credit files would be stale until
    the daily run) nor waited for (an import page would hang behind a full refresh): the
    holder runs it before letting go. One more try after queueing covers a holder that had
    already looked at the queue; a row still left (the holder let go in between) is run by
    the next credit run and shown on the credit page until then."""
    try:
        with credit_job():
            credit_files_refresh(since=since)
        return
    except JobLocked:
        PendingRefresh.objects.create(since=since, ledgers=",".join(ledgers)[:200])
        logger.warning("credit job lock held: refresh since %s queued (%s)", since, ledgers)
    try:
        with credit_job():
            pass  # catch_up_pending on the way out runs the row just queued
    except JobLocked:
        pass  # the holder runs it
