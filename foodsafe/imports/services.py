"""Import services: validate a ledger file completely, then upsert it in one transaction.

``ledger_import`` imports one file; ``directory_import`` imports the files a ``manifest.json``
lists, in its order, all in one transaction: if any file fails, nothing of any file is kept.
Rows are matched to existing ones by the ledger's natural key and counted as added, updated or
unchanged; each imported file gets an ``ImportLog`` row and each written ledger row its history
row (who, when, why) in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models, transaction
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from .errors import ImportValidationError, RowError, UnknownLedgerError
from .ledgers import get_ledger
from .ledgers.base import Ledger, model_field
from .models import ImportLog
from .readers import ReadError, read_table
from .validation import CHUNK, Validation, ValidRow, chunked, validate_table

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run, would do) with one file."""

    ledger: str
    file_name: str
    sha256: str
    rows: int
    added: int
    updated: int
    unchanged: int
    dry_run: bool = False
    log_id: int | None = None

    def summary(self) -> str:
        note = "（试运行，未写入）" if self.dry_run else ""
        return (
            f"{self.ledger} {self.file_name}: 共{self.rows}行，新增{self.added}，"
            f"更新{self.updated}，未变{self.unchanged}{note}"
        )


@dataclass
class _Plan:
    create: list[models.Model]
    update: list[models.Model]
    update_fields: list[str]
    unchanged: int


def ledger_import(
    *, ledger: str, path: Path, actor: Any = None, dry_run: bool = False, sheet: str | None = None
) -> ImportResult:
    """Import the ledger file ``path`` (.xlsx/.xls/.csv) as ``ledger``; all rows or none.

    ``sheet`` picks a worksheet (default: the first). With ``dry_run`` everything is validated
    and counted but nothing is written and no log is kept.
    Raises ``ImportValidationError`` with every problem found, ``UnknownLedgerError`` for an
    unknown ledger name.
    """
    definition = get_ledger(ledger)
    data = _read_bytes(path)
    validation = _validate(definition, path, data, sheet)
    if dry_run:
        plan = _plan(definition, validation)
        return _result(definition, path, data, validation, plan, dry_run=True)
    with transaction.atomic():
        return _commit(definition, path, data, validation, actor)


def directory_import(*, directory: Path, actor: Any = None) -> list[ImportResult]:
    """Import every file ``directory/manifest.json`` lists, in order, in ONE transaction.

    The manifest is a JSON list of ``{"ledger": name, "file": relative path}`` (optionally
    ``"sheet"``), or an object with that list under ``"files"``. Each file is validated against
    the database as it stands after the files before it, so a batch file may reference
    businesses from an earlier file. The first file that fails stops the import; nothing is
    kept and ``ImportValidationError`` carries that file's errors.
    """
    entries = _read_manifest(directory)
    results = []
    with transaction.atomic():
        for entry in entries:
            definition = get_ledger(entry["ledger"])
            path = directory / entry["file"]
            data = _read_bytes(path)
            validation = _validate(definition, path, data, entry.get("sheet"))
            results.append(_commit(definition, path, data, validation, actor))
    return results


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportValidationError(
            [RowError(path.name, "", 0, "", "", f"无法读取文件：{exc.strerror}")]
        ) from exc


def _validate(definition: Ledger, path: Path, data: bytes, sheet: str | None) -> Validation:
    try:
        table = read_table(path, sheet=sheet, data=data, columns=definition.columns)
    except ReadError as exc:
        raise ImportValidationError(
            [RowError(path.name, exc.sheet or sheet or "", 0, "", "", exc.reason)]
        ) from exc
    validation = validate_table(definition, table)
    if validation.errors:
        raise ImportValidationError(validation.errors)
    return validation


def _read_manifest(directory: Path) -> list[dict[str, Any]]:
    def fail(reason: str) -> ImportValidationError:
        return ImportValidationError([RowError(MANIFEST, "", 0, "", "", reason)])

    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except OSError as exc:
        raise fail(f"找不到或无法读取 {MANIFEST}：{exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise fail(f"{MANIFEST} 不是有效的 JSON：{exc}") from exc
    entries = manifest.get("files") if isinstance(manifest, dict) else manifest
    if not isinstance(entries, list):
        raise fail(f"{MANIFEST} 应为 {{ledger, file}} 的列表")
    root = directory.resolve()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not {"ledger", "file"} <= set(entry):
            raise fail(f"第{number}项应包含 ledger 和 file")
        if not (directory / entry["file"]).resolve().is_relative_to(root):
            raise fail(f"第{number}项的文件不在导入目录内：{entry['file']}")
        try:
            get_ledger(entry["ledger"])
        except UnknownLedgerError as exc:
            raise fail(f"第{number}项的台账名未知：{entry['ledger']}") from exc
    return entries


def _attnames(model: type[models.Model], names: list[str]) -> dict[str, str]:
    return {name: model_field(model, name).attname for name in names}


def _plan(definition: Ledger, validation: Validation) -> _Plan:
    """Split the valid rows into new objects, changed objects and unchanged rows."""
    model = definition.model_class()
    attnames = _attnames(model, validation.fields)
    key_attnames = [model_field(model, k).attname for k in definition.key]
    existing: dict[tuple[Any, ...], models.Model] = {}
    firsts = sorted({row.key[0] for row in validation.rows})
    for chunk in chunked(firsts):
        for obj in model._default_manager.filter(**{f"{key_attnames[0]}__in": chunk}):
            existing.setdefault(tuple(getattr(obj, a) for a in key_attnames), obj)

    rows: list[ValidRow] = validation.rows
    order = definition.sort
    if order is not None:
        rows = sorted(rows, key=lambda r: order(r.values))
    plan = _Plan(create=[], update=[], update_fields=[], unchanged=0)
    changed_fields: set[str] = set()
    for row in rows:
        found = existing.get(row.key)
        if found is None:
            plan.create.append(model(**{attnames[f]: v for f, v in row.values.items()}))
            continue
        obj = found
        changed = [f for f, v in row.values.items() if getattr(obj, attnames[f]) != v]
        if not changed:
            plan.unchanged += 1
            continue
        for name in changed:
            setattr(obj, attnames[name], row.values[name])
        changed_fields.update(changed)
        plan.update.append(obj)
    plan.update_fields = sorted(changed_fields)
    return plan


def _commit(
    definition: Ledger, path: Path, data: bytes, validation: Validation, actor: Any
) -> ImportResult:
    """Write one validated file (inside the caller's transaction) and its ImportLog."""
    plan = _plan(definition, validation)
    model = definition.model_class()
    reason = f"导入 {path.name}"[:100]
    user = actor if getattr(actor, "pk", None) is not None else None
    try:
        get_history_manager_for_model(model)
        historical = True
    except NotHistoricalModelError:
        historical = False
    if plan.create:
        if historical:
            bulk_create_with_history(
                plan.create,
                model,
                batch_size=CHUNK,
                default_user=user,
                default_change_reason=reason,
            )
        else:
            model._default_manager.bulk_create(plan.create, batch_size=CHUNK)
    if plan.update:
        if historical:
            bulk_update_with_history(
                plan.update,
                model,
                plan.update_fields,
                batch_size=CHUNK,
                default_user=user,
                default_change_reason=reason,
            )
        else:
            model._default_manager.bulk_update(plan.update, plan.update_fields, batch_size=CHUNK)
    result = _result(definition, path, data, validation, plan, dry_run=False)
    log = ImportLog.objects.create(
        ledger=definition.name,
        file_name=path.name,
        sha256=result.sha256,
        imported_by=user,
        rows_added=result.added,
        rows_updated=result.updated,
        rows_unchanged=result.unchanged,
    )
    return ImportResult(**{**result.__dict__, "log_id": log.pk})


def _result(
    definition: Ledger,
    path: Path,
    data: bytes,
    validation: Validation,
    plan: _Plan,
    *,
    dry_run: bool,
) -> ImportResult:
    return ImportResult(
        ledger=definition.name,
        file_name=path.name,
        sha256=hashlib.sha256(data).hexdigest(),
        rows=len(validation.rows),
        added=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        dry_run=dry_run,
    )
