"""撤销导入 (roll back an import): remove the rows it created, give the rows it changed their
previous values (issue 9 point 2: "every import can be undone").

An import records what it wrote (``writer.Journal``): the ids it created as ranges on its
``ImportLog`` and, for each row it changed, the previous values of the fields that changed
(``ImportChange``). ``import_rollback_plan`` says what a rollback would do and why it may not;
``import_rollback`` does it in one transaction, all or nothing, as the programme office only.

A rollback is refused, naming the later import, when

- a later import (not itself rolled back) of the same ledger changed a row this import created
  or changed: restoring would silently undo that later import's change;
- a row of another table refers to a row this import created (e.g. a sampling batch of a
  business the import added): removing the row would break it. The reason names the import
  that created the referring rows, or says they were not imported;
- it was already rolled back (refused twice).

Audit: each removed and restored row gets its history row (who, when, 撤销导入 #id), and the
log entry gets 撤销时间 and 撤销人, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, router, transaction
from django.db.models import ForeignObjectRel, Q
from django.db.models.deletion import Collector
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import bulk_update_with_history, get_history_manager_for_model

from foodsafe.accounts.permissions import is_office
from foodsafe.lib.changes import announce_after_commit

from .derived import refresh_after_write
from .ledgers import LEDGERS, get_ledger
from .models import ImportChange, ImportLog
from .validation import CHUNK

#: How many referring rows are looked up to name the imports that created them.
_SAMPLE = 1000


class RollbackRefusedError(Exception):
    """The import cannot be rolled back; ``reasons`` say why (each naming the import or rows
    in the way)."""

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class RollbackPlan:
    """What rolling back ``log`` does: ``remove`` rows it created (still present), ``restore``
    rows it changed; ``reasons`` why it is refused (empty: it may go ahead)."""

    log: ImportLog
    remove: int
    restore: int
    reasons: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> bool:
        return not self.reasons


def log_label(log: ImportLog) -> str:
    """An import log entry as people name it: #12 抽检批次.xlsx（张三，2021-05-06 10:00）."""
    who = log.imported_by.get_username() if log.imported_by else "命令行"
    when = timezone.localtime(log.imported_at).strftime("%Y-%m-%d %H:%M")
    return f"导入 #{log.pk} {log.file_name}（{who}，{when}）"


def _created_q(log: ImportLog, name: str = "pk") -> Q:
    """Rows whose ``name`` is among the ids ``log`` created (one range test per range)."""
    q = Q(pk__in=[])
    for lo, hi in log.created_ranges or []:
        q |= Q(**{f"{name}__range": (lo, hi)})
    return q


def import_rollback_plan(*, log: ImportLog) -> RollbackPlan:
    """What ``import_rollback`` would do with ``log``, and every reason it would refuse."""
    model = get_ledger(log.ledger).model_class()
    manager = model._base_manager
    created = manager.filter(_created_q(log)) if log.created_ranges else manager.none()
    changed_ids = ImportChange.objects.filter(log=log).values("row_id")
    restore = manager.filter(pk__in=changed_ids).count()
    reasons: list[str] = []
    if log.rolled_back_at is not None:
        who = log.rolled_back_by.get_username() if log.rolled_back_by else "命令行"
        when = timezone.localtime(log.rolled_back_at).strftime("%Y-%m-%d %H:%M")
        reasons.append(f"该导入已于 {when} 由 {who} 撤销，不能再次撤销")
    reasons += _later_imports(log, changed_ids)
    if log.created_ranges:
        reasons += _referring_rows(log, model, created)
    return RollbackPlan(log=log, remove=created.count(), restore=restore, reasons=reasons)


def _later_imports(log: ImportLog, changed_ids: Any) -> list[str]:
    """A later (not rolled back) import of the same ledger that changed one of the rows."""
    later = ImportLog.objects.filter(ledger=log.ledger, pk__gt=log.pk, rolled_back_at__isnull=True)
    touched = Q(row_id__in=changed_ids)
    if log.created_ranges:
        touched |= _created_q(log, "row_id")
    hits = (
        ImportChange.objects.filter(log__in=later)
        .filter(touched)
        .values("log_id")
        .annotate(rows=models.Count("pk"))
        .order_by("log_id")
    )
    logs = ImportLog.objects.select_related("imported_by").in_bulk([h["log_id"] for h in hits])
    return [
        f"之后的{log_label(logs[h['log_id']])}修改了本次导入新增或修改的 {h['rows']} 条记录，"
        f"撤销会抹掉它的修改；请先撤销该导入"
        for h in hits
    ]


def _referring_rows(log: ImportLog, model: type[models.Model], created: Any) -> list[str]:
    """Rows of other tables (or other rows of this one) that refer to a row ``log`` created."""
    ledger_of = {ledger.model_class(): name for name, ledger in LEDGERS.items()}
    reasons = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not isinstance(relation, ForeignObjectRel) or not relation.one_to_many:
            continue
        fk = relation.field
        if fk.remote_field.on_delete is models.DO_NOTHING:  # history tables keep no constraint
            continue
        related = relation.related_model
        assert isinstance(related, type)
        targets = created.values(fk.target_field.attname)
        referring = related._base_manager.filter(**{f"{fk.attname}__in": targets})
        if related is model:  # a child the same import created goes with its parent
            referring = referring.exclude(_created_q(log))
        count = referring.count()
        if not count:
            continue
        title = related._meta.verbose_name
        ids = list(referring.order_by("pk").values_list("pk", flat=True)[:_SAMPLE])
        makers = _creating_logs(ledger_of.get(related), ids)
        if makers:
            names = "、".join(log_label(m) for m in makers)
            reasons.append(
                f"{count} 条{title}记录引用了本次导入新增的记录，它们由之后的{names}导入；"
                "请先撤销该导入"
            )
        else:
            reasons.append(
                f"{count} 条{title}记录（不是由导入新增的）引用了本次导入新增的记录，"
                "撤销会使它们失去引用；请先删除或改正这些记录"
            )
    return reasons


def _creating_logs(ledger: str | None, ids: list[int]) -> list[ImportLog]:
    """The (not rolled back) imports of ``ledger`` that created any of ``ids``."""
    if ledger is None or not ids:
        return []
    found = []
    logs = ImportLog.objects.filter(ledger=ledger, rolled_back_at__isnull=True).select_related(
        "imported_by"
    )
    for candidate in logs.exclude(created_ranges=[]).order_by("pk"):
        ranges = candidate.created_ranges or []
        if any(lo <= pk <= hi for pk in ids for lo, hi in ranges):
            found.append(candidate)
    return found


def import_rollback(*, log: ImportLog, actor: Any) -> RollbackPlan:
    """Roll back ``log`` (撤销导入) as ``actor``: remove every row it created, give every row it
    changed the values it had before, mark the log 撤销时间/撤销人; one transaction.

    Raises ``RollbackRefusedError`` (nothing changed) when ``actor`` is not the programme
    office, or for any reason of ``import_rollback_plan``. Returns the plan carried out.
    """
    if not is_office(actor):
        raise RollbackRefusedError(["只有创城办可以撤销导入"])
    definition = get_ledger(log.ledger)
    model = definition.model_class()
    reason = f"撤销导入 #{log.pk}"[:100]
    since = timezone.now()
    with transaction.atomic():
        announce_after_commit(ledgers=[log.ledger], since=since)
        # Locked, then planned again: a second rollback or an import in between is seen.
        log = ImportLog.objects.select_for_update().get(pk=log.pk)
        plan = import_rollback_plan(log=log)
        if not plan.allowed:
            raise RollbackRefusedError(plan.reasons)
        _restore(log, model, actor=actor, reason=reason)
        _remove(log, model, actor=actor, reason=reason)
        log.rolled_back_at = timezone.now()
        log.rolled_back_by = actor
        log.save(update_fields=["rolled_back_at", "rolled_back_by"])
        refresh_after_write(ledgers=[log.ledger])
    return plan


def _id_chunks(log: ImportLog) -> Iterator[tuple[int, int]]:
    for lo, hi in log.created_ranges or []:
        for start in range(lo, hi + 1, CHUNK):
            yield start, min(hi, start + CHUNK - 1)


def _remove(log: ImportLog, model: type[models.Model], *, actor: Any, reason: str) -> None:
    """Delete the created rows chunk by chunk through Django's collector, so each gets its
    history row (``-``) with the actor and the reason."""
    db = router.db_for_write(model)
    for lo, hi in _id_chunks(log):
        objs = list(model._base_manager.db_manager(db).filter(pk__range=(lo, hi)))
        if not objs:
            continue
        for obj in objs:
            obj._history_user = actor  # type: ignore[attr-defined]
            obj._change_reason = reason  # type: ignore[attr-defined]
        collector = Collector(using=db)
        collector.collect(objs)
        collector.delete()


def _restore(log: ImportLog, model: type[models.Model], *, actor: Any, reason: str) -> None:
    """Give each changed row the values it had before the import (``ImportChange.previous``)."""
    db = router.db_for_write(model)
    manager = model._base_manager.db_manager(db)
    try:
        get_history_manager_for_model(model)
        historical = True
    except NotHistoricalModelError:
        historical = False
    changes = ImportChange.objects.filter(log=log).order_by("row_id")
    for start in range(0, changes.count(), CHUNK):
        chunk = list(changes[start : start + CHUNK])
        objs = manager.in_bulk([c.row_id for c in chunk])
        names: set[str] = set()
        for change in chunk:
            obj = objs.get(change.row_id)
            if obj is None:  # removed since; nothing to restore
                continue
            for name, value in change.previous.items():
                target = model._meta.get_field(name)
                assert isinstance(target, models.Field)
                python = target.target_field if isinstance(target, models.ForeignKey) else target
                setattr(obj, target.attname, None if value is None else python.to_python(value))
                names.add(name)
        if not names:
            continue
        rows = list(objs.values())
        if historical:
            bulk_update_with_history(
                rows,
                model,
                sorted(names),
                batch_size=CHUNK,
                default_user=actor,
                default_change_reason=reason,
            )
        else:
            manager.bulk_update(rows, sorted(names), batch_size=CHUNK)
