"""Import services: validate a ledger file completely and upsert it in one transaction.

``ledger_import`` imports one file; ``directory_import`` imports the files a ``manifest.json``
lists, in its order, all in one transaction: if any file fails, nothing of any file is kept.
``ledger_preview`` checks a file as a dry run and keeps its first rows, for the upload page.

The rows stream from the reader in chunks (``validation.TableCheck``): each chunk is validated,
matched to existing rows by the ledger's natural key (one query per 500 keys) and, while the
file has shown no error, written at once with its history rows. The file's first error stops
the writing but not the checking, so every error is still reported, and raising
``ImportValidationError`` rolls the transaction back: all rows or none, as before, without
holding the whole file in memory. Rows are counted as added, updated or unchanged; each
imported file gets an ``ImportLog`` row and each written ledger row its history row (who, when,
why) in the same transaction.

Writing goes through ``connection.cursor().executemany`` (see ``writer.Writer``) rather than model
instances and ``bulk_create_with_history``: building 100,000 instances twice (row and history
row) and compiling their INSERTs was most of an import's time. History rows are copied inside
the database (``INSERT … SELECT``), so they hold exactly what was written.
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from foodsafe.lib.changes import announce_after_commit
from foodsafe.lib.masking import mask_text
from foodsafe.lib.sizes import size_text

from .codes import mask_if_id
from .derived import refresh_after_write
from .errors import ImportValidationError, RowError, UnknownLedgerError
from .ledgers import get_ledger
from .ledgers.base import Ledger, Uscc, display
from .models import ImportLog
from .readers import ReadError, Table, read_table
from .scope import ImportScope, RowGuard, import_scope, ledger_allowed
from .validation import TableCheck, first_rows
from .writer import Journal, Writer

MANIFEST = "manifest.json"

#: Called after each chunk with (the row number reached, the sheet's last row or None).
Progress = Callable[[int, int | None], None]


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
    #: What the reader and the parsers did that the user should know, one a line (the sheet
    #: chosen, hidden rows, invisible characters stripped, the 1904 date system, a time of day
    #: dropped): the preview's 读取说明, printed by ``foodsafe import`` too.
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        note = "（试运行，未写入）" if self.dry_run else ""
        return (
            f"{self.ledger} {self.file_name}: 共{self.rows}行，新增{self.added}，"
            f"更新{self.updated}，未变{self.unchanged}{note}"
        )


@dataclass
class Preview:
    """A dry run of one file for the upload page.

    ``columns`` lists (ledger header, header as written in the file, column letter) for each
    column found; ``rows`` the first rows as (row number, cell texts in ``columns`` order);
    ``errors`` every problem (sorted by row); ``result`` the counts when there is no error;
    ``notes`` what the reader and the parsers did that the user should know (the sheet chosen,
    hidden rows, invisible characters stripped, a time of day dropped).
    """

    ledger: str
    title: str
    file_name: str
    sheet: str = ""
    header_row: int = 0
    columns: list[tuple[str, str, str]] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    result: ImportResult | None = None
    notes: list[str] = field(default_factory=list)


class FileTooLargeError(ImportValidationError):
    """The file is over ``settings.FOODSAFE_MAX_UPLOAD_BYTES``; it was not read."""


def max_upload_bytes() -> int:
    return int(settings.FOODSAFE_MAX_UPLOAD_BYTES)


def too_large_reason(size: int) -> str:
    limit = max_upload_bytes()
    return (
        f"文件大小为 {size_text(size)}，超过导入文件的上限 {size_text(limit)}，未读取。"
        "请把文件拆分成几个较小的文件，或请管理员调整 FOODSAFE_MAX_UPLOAD_BYTES"
    )


def check_file_size(*, name: str, size: int) -> None:
    """Raise ``FileTooLargeError`` when ``size`` bytes is over the configured limit."""
    if size > max_upload_bytes():
        raise FileTooLargeError([RowError(name, "", 0, "", "", too_large_reason(size))])


def ledger_import(
    *,
    ledger: str,
    path: Path,
    actor: Any = None,
    dry_run: bool = False,
    sheet: str | None = None,
    progress: Progress | None = None,
    file_name: str | None = None,
    for_unit: str | None = None,
) -> ImportResult:
    """Import the ledger file ``path`` (.xlsx/.xls/.csv) as ``ledger``; all rows or none.

    ``sheet`` picks a worksheet (default: the first). With ``dry_run`` everything is validated
    and counted but nothing is written and no log is kept. ``actor`` (a user) is logged and
    put on the history rows. ``file_name`` is the name to log and report (default the path's
    name; the web stores uploads under random names). ``progress`` is called after each chunk.
    Raises ``ImportValidationError`` with every problem found (``FileTooLargeError`` for a file
    over ``FOODSAFE_MAX_UPLOAD_BYTES``, before reading it), ``UnknownLedgerError`` for an
    unknown ledger name, ``scope.ImportScopeError`` (before reading the file) when ``actor``
    may not import ``ledger``; a row outside the actor's scope is an error like any other.
    ``actor`` None is the command line's system actor, with the office's scope; ``for_unit``
    (a responsible-unit code) imports under that unit's scope (``scope.import_scope``).
    """
    definition = get_ledger(ledger)
    name = file_name or path.name
    scope = import_scope(actor=actor, for_unit=for_unit)
    ledger_allowed(scope, definition, file_name=name)
    sha256 = _fingerprint(path, name)
    since = timezone.now()
    with _database_errors(name):
        with transaction.atomic():
            result = _import_file(
                definition,
                path,
                name,
                sha256,
                sheet,
                actor,
                scope,
                dry_run=dry_run,
                progress=progress,
            )
            if not dry_run:
                refresh_after_write(ledgers=[definition.name])
                # Derived data above the ledgers (the credit files) follows after commit.
                announce_after_commit(ledgers=[definition.name], since=since)
            return result


def ledger_preview(
    *,
    ledger: str,
    path: Path,
    sheet: str | None = None,
    file_name: str | None = None,
    limit=10,
    actor: Any = None,
) -> Preview:
    """Check ``path`` as ``ledger`` without writing: its matched columns, its first ``limit``
    rows, every error, and (when there is none) what an import would add, update or leave.
    A ledger ``actor`` may not import is refused before the file is read."""
    definition = get_ledger(ledger)
    name = file_name or path.name
    preview = Preview(ledger=definition.name, title=definition.title, file_name=name)
    try:
        scope = import_scope(actor=actor)
        ledger_allowed(scope, definition, file_name=name)
        sha256 = _fingerprint(path, name)
        table = _read(definition, path, name, sheet)
    except ImportValidationError as exc:
        preview.errors = exc.errors
        return preview
    kept: list[tuple[int, list[Any]]] = []
    table = replace(table, rows=first_rows(table.rows, kept, limit))
    check = TableCheck(definition, table)
    preview.sheet, preview.header_row = table.sheet, table.header_row
    preview.columns = check.matched_columns()
    try:
        result = _run(definition, check, name, sha256, None, scope, dry_run=True, progress=None)
    except ImportValidationError as exc:
        preview.errors = exc.errors
    else:
        preview.result = result
    preview.notes = check.note_lines()
    indexes = [check.positions[c.field] for c in check.present]
    # A personal ID number typed as a USCC is shown masked here too (PIPL).
    masked = {check.positions[c.field] for c in check.present if isinstance(c.type, Uscc)}
    preview.rows = [
        (
            number,
            [
                (mask_if_id(display(cells[i])) if i in masked else display(cells[i]))
                if i < len(cells)
                else ""
                for i in indexes
            ],
        )
        for number, cells in kept
    ]
    _mask_personal(preview, check)
    return preview


def _mask_personal(preview: Preview, check: Any) -> None:
    """Mask the cells of ``personal`` columns in the preview's first rows (PIPL): the page
    is seen by whoever may import, not only complaint handlers. The error report masks them in
    its 错误清单 and in its copy of the file (``error_report._mask_personal``)."""
    personal = [i for i, c in enumerate(check.present) if c.personal]
    for _number, cells in preview.rows:
        for i in personal:
            cells[i] = mask_text(cells[i])
    # ``preview.errors`` come from ``_run``, already masked (masking twice is not idempotent:
    # a masked 21-digit phone has too few digits left to be taken for a phone again).


def _masked_errors(errors: list[RowError], check: Any) -> list[RowError]:
    """``errors`` with the value of each cell of a ``personal`` column masked
    (《个人信息保护法》第五十一条: the error list is read by whoever runs or watches the import)."""
    headers = {check.file_header(c.field) for c in check.present if c.personal}
    if not headers:
        return errors
    return [
        replace(e, value=mask_text(e.value)) if e.column in headers and e.value else e
        for e in errors
    ]


def directory_import(
    *, directory: Path, actor: Any = None, for_unit: str | None = None
) -> list[ImportResult]:
    """Import every file ``directory/manifest.json`` lists, in order, in ONE transaction.

    The manifest is a JSON list of ``{"ledger": name, "file": relative path}`` (optionally
    ``"sheet"``), or an object with that list under ``"files"``. Each file is validated against
    the database as it stands after the files before it, so a batch file may reference
    businesses from an earlier file. Every file is validated, even after one fails (each in a
    savepoint that a failure rolls back), so all the errors of all the files are reported at
    once; if any file fails nothing is kept and ``ImportValidationError`` carries them all,
    with a note on each later file that its missing references may come from the failed one.
    """
    entries = _read_manifest(directory)
    scope = import_scope(actor=actor, for_unit=for_unit)
    for entry in entries:  # every file's ledger is checked before any file is read
        ledger_allowed(scope, get_ledger(entry["ledger"]), file_name=entry["file"])
    results = []
    errors: list[RowError] = []
    failed: list[str] = []
    since = timezone.now()
    with _database_errors(MANIFEST):
        with transaction.atomic():
            # Derived data above the ledgers (the credit files) follows after commit.
            announce_after_commit(ledgers=[e["ledger"] for e in entries], since=since)
            for entry in entries:
                definition = get_ledger(entry["ledger"])
                path = directory / entry["file"]
                if failed:
                    errors.append(
                        RowError(
                            path.name,
                            "",
                            0,
                            "",
                            "",
                            f"注意：前面的文件（{'、'.join(failed)}）未通过校验，未写入；"
                            "本文件中“未找到”某条引用的错误可能由此引起",
                        )
                    )
                try:
                    with transaction.atomic():
                        sha256 = _fingerprint(path, path.name)
                        results.append(
                            _import_file(
                                definition,
                                path,
                                path.name,
                                sha256,
                                entry.get("sheet"),
                                actor,
                                scope,
                                dry_run=False,
                            )
                        )
                except ImportValidationError as exc:
                    errors.extend(exc.errors)
                    failed.append(path.name)
            if failed:
                # Raised inside the outer transaction: the files that passed are rolled back too.
                raise ImportValidationError(errors)
            refresh_after_write(ledgers=[e["ledger"] for e in entries])
    return results


# -- reading and checking -----------------------------------------------------------------


def _fingerprint(path: Path, name: str) -> str:
    """The SHA-256 of the file at ``path`` (hex), read in blocks; its size is checked first."""
    try:
        check_file_size(name=name, size=path.stat().st_size)
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError as exc:
        raise ImportValidationError(
            [RowError(name, "", 0, "", "", f"无法读取文件：{exc.strerror}")]
        ) from exc


def _read(definition: Ledger, path: Path, name: str, sheet: str | None) -> Table:
    try:
        table = read_table(path, sheet=sheet, columns=definition.columns)
    except ReadError as exc:
        raise ImportValidationError(
            [RowError(name, exc.sheet or sheet or "", 0, "", "", exc.reason)]
        ) from exc
    return replace(table, file=name)


def _import_file(
    definition: Ledger,
    path: Path,
    name: str,
    sha256: str,
    sheet: str | None,
    actor: Any,
    scope: ImportScope,
    *,
    dry_run: bool,
    progress: Progress | None = None,
) -> ImportResult:
    """Check and (unless ``dry_run``) write one file inside the caller's transaction."""
    table = _read(definition, path, name, sheet)
    check = TableCheck(definition, table)
    return _run(definition, check, name, sha256, actor, scope, dry_run=dry_run, progress=progress)


def _run(
    definition: Ledger,
    check: TableCheck,
    name: str,
    sha256: str,
    actor: Any,
    scope: ImportScope,
    *,
    dry_run: bool,
    progress: Progress | None,
) -> ImportResult:
    user = actor if getattr(actor, "pk", None) is not None else None
    # The log row comes first: the rows' undo records (``ImportChange``) point at it. It is
    # in the caller's transaction, so a refused file leaves no log either.
    log = None
    journal = None
    if not dry_run:
        log = ImportLog.objects.create(
            ledger=definition.name,
            file_name=name[:255],
            sha256=sha256,
            imported_by=user,
            unit=scope.unit,
        )
        journal = Journal(log, check.fields)
    guard = None
    if scope.unit is not None:
        guard = RowGuard(scope, definition, file=name, sheet=check.table.sheet)
    writer = Writer(
        definition,
        check.fields,
        user=user,
        reason=f"导入 {name}"[:100],
        guard=guard,
        journal=journal,
    )
    try:
        with _no_cyclic_gc():
            for chunk in check.chunks():
                if not check.errors:
                    check.errors.extend(writer.plan_and_write(chunk, write=not dry_run))
                elif guard is not None:
                    # Still name every row outside the scope, as for every other error.
                    check.errors.extend(writer.plan_and_write(chunk, write=False))
                if progress is not None:
                    progress(check.row_reached, check.table.last_row)
    except ReadError as exc:  # a damaged file found part way through
        check.errors.append(RowError(name, check.table.sheet, 0, "", "", exc.reason))
    if check.errors:
        # Masked here, so that no caller (the command line's error lines and --errors-out
        # report, the web pages) ever holds a complainant's name or phone in full.
        raise ImportValidationError(_masked_errors(check.sorted_errors(), check))
    result = ImportResult(
        ledger=definition.name,
        file_name=name,
        sha256=sha256,
        rows=writer.added + writer.updated + writer.unchanged,
        added=writer.added,
        updated=writer.updated,
        unchanged=writer.unchanged,
        dry_run=dry_run,
        notes=tuple(check.note_lines()),
    )
    if log is None or journal is None:
        return result
    log.rows_added, log.rows_updated, log.rows_unchanged = (
        result.added,
        result.updated,
        result.unchanged,
    )
    log.created_ranges = journal.ranges
    log.save(update_fields=["rows_added", "rows_updated", "rows_unchanged", "created_ranges"])
    return replace(result, log_id=log.pk)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while rows stream through.

    An import makes a few lists and dicts per row; every 700 of them start a collection, and
    the full ones walk every object Django and Ibis have loaded: about 5% of a 100,000-row
    import (benchmarks/imports.py). The rows hold no reference cycles, so reference counting
    frees each chunk as before; the collector runs again as soon as the import is done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@contextmanager
def _database_errors(name: str) -> Iterator[None]:
    """Turn a constraint the database enforces but validation missed into an import error."""
    try:
        yield
    except IntegrityError as exc:
        raise ImportValidationError(
            [RowError(name, "", 0, "", "", f"数据库拒绝写入，未写入任何数据：{exc}")]
        ) from exc


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
