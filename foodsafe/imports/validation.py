"""Validation of a table against a ledger definition, chunk by chunk, before anything is written.

Every row is checked and every problem reported: cell types and choices, required values,
references to other ledgers (looked up once per chunk of rows, not per row, and remembered),
cross-field rules, duplicates of the natural key and of unique columns inside the file, and
unique values already used by another row in the database.

``TableCheck`` reads the rows of a ``Table`` as they stream from the reader and yields the valid
rows of each chunk of ``ROWS_PER_CHUNK`` rows; what a whole-file check needs across chunks (the
natural keys and unique values seen, with their first row) goes to a temporary table of the
database connection (``SeenValues``), and the references already resolved to a bounded cache, so
memory follows the chunk, not the file. A ledger that sorts its rows or
references itself (org units and their parents) is checked as one chunk.
Cell parsers are pure functions of the cell (``ValueType.parse``), so each column remembers the
result for the values it has seen: an org-unit code, an enumeration label or a date repeats on
thousands of rows and is parsed once.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from django.db import connections, models, router

from . import readers
from .errors import RowError
from .ledgers.base import (
    CellError,
    Column,
    DateType,
    Ledger,
    Lookup,
    Noted,
    Ref,
    RuleError,
    display,
    model_field,
)
from .readers import Table, column_letter
from .xlsx_marks import UNCALCULATED_REASON, Uncalculated

#: Values per database round trip (``IN`` lists); below SQLite's 999 bound parameters.
CHUNK = 900
#: Rows validated (and then written) together.
ROWS_PER_CHUNK = 2000
#: Distinct cell values each column remembers the parsed result of.
PARSE_CACHE = 4096
#: Cell notes the preview lists (the rest are counted).
MAX_NOTES = 20
#: Resolved references remembered across chunks, per column.
REF_CACHE = 100_000


@dataclass
class ValidRow:
    """A row ready to write: model field values (FKs as their target value) and natural key."""

    row: int
    values: dict[str, Any]
    key: tuple[Any, ...]


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    cells: list[Any]
    ok: bool = True


@dataclass(frozen=True)
class _Bad:
    reason: str
    shown: str | None = None


_MISS = object()


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def blank_value(model: type[models.Model], column: Column) -> Any:
    """The value an empty optional cell stands for: the field's default, else null or ""."""
    if column.virtual:
        return None
    target = model_field(model, column.field)
    if target.has_default():
        return target.get_default()
    if target.null:
        return None
    if isinstance(target, (models.CharField, models.TextField)):
        return ""
    return None


class TableCheck:
    """Checks the rows of ``table`` as ``ledger``, one chunk at a time.

    After construction ``errors`` holds the header problems; ``chunks()`` then yields the valid
    rows of each chunk and adds each bad row's errors to ``errors`` (every error of the file is
    found, whether or not an earlier chunk had errors). ``fields`` are the model fields the rows
    fill; ``positions`` maps each column found to its index in the header; ``row_reached`` is
    the number of the last row read.
    """

    def __init__(self, ledger: Ledger, table: Table, *, rows_per_chunk: int | None = None):
        self.ledger = ledger
        self.table = table
        self.model = ledger.model_class()
        self.columns = ledger.bound_columns()
        if table.date1904:  # serial numbers in date columns count from 1904-01-01
            self.columns = tuple(
                replace(c, type=replace(c.type, date1904=True))
                if isinstance(c.type, DateType)
                else c
                for c in self.columns
            )
        self.headers = ledger.headers()
        self.positions, problems = readers.match_columns(self.columns, table.header)
        self.present = [c for c in self.columns if c.field in self.positions]
        present_fields = {c.field for c in self.present}
        self.lookups = [lk for lk in ledger.lookups if all(s in present_fields for s in lk.sources)]
        self.fields = [c.field for c in self.present if not c.virtual]
        self.fields += [lk.field for lk in self.lookups] + list(ledger.derived)
        self.errors: list[RowError] = []
        #: (column header, note) → [first row, rows]: what was cleaned, for the preview.
        self.notes: dict[tuple[str, str], list[int]] = {}
        self.row_reached = table.header_row
        self.usable = not any(reason == "缺少必填列" for _h, reason in problems)
        for header, reason in problems:
            self._error(table.header_row, header, "", reason)
        self.whole_file = ledger.sort is not None or any(
            self._self_reference(c) for c in self.present
        )
        self.rows_per_chunk = rows_per_chunk or ROWS_PER_CHUNK
        self._parsers: list[tuple[str, str, int, dict, Callable[[Any], Any], bool, Any]] = [
            (
                c.field,
                c.header,
                self.positions[c.field],
                {},
                c.parser(),
                c.required,
                blank_value(self.model, c),
            )
            for c in self.present
        ]
        self._refs: dict[str, dict[Any, Any]] = {}
        self._lookups: dict[str, dict[tuple[Any, ...], Any]] = {}
        self._seen = SeenValues(router.db_for_write(self.model))

    # -- public ---------------------------------------------------------------------------

    def chunks(self) -> Iterator[list[ValidRow]]:
        """The valid rows of each chunk of the table, in file order (sorted, for a ledger
        with ``sort``). Yields nothing when a required column is missing."""
        if not self.usable:
            return
        rows = iter(self.table.rows)
        size = None if self.whole_file else self.rows_per_chunk
        try:
            while True:
                batch = list(islice(rows, size))
                if not batch:
                    return
                self.row_reached = batch[-1][0]
                yield self._check(batch)
                if size is None:
                    return
        finally:
            self._seen.close()

    def sorted_errors(self) -> list[RowError]:
        """``errors`` by row, then by the ledger's column order."""
        order = {c.header: i for i, c in enumerate(self.columns)}
        return sorted(self.errors, key=lambda e: (e.row, order.get(e.column, len(order))))

    def file_header(self, name: str) -> str:
        """The header text as written in the file for the column of field ``name``."""
        index = self.positions.get(name)
        if index is None or index >= len(self.table.header):
            return ""
        return display(self.table.header[index])

    def note_lines(self) -> list[str]:
        """The notes of the table (sheet choice, hidden rows) and of its cells, one a line:
        "第3行 统一社会信用代码：…", "第3行起共5行 …"."""
        lines = list(self.table.notes)
        if self.table.date1904:
            lines.append("工作簿使用1904日期系统（Mac 版 Excel 的选项），日期已按1904年1月1日起算")
        if self.table.hidden_rows():
            lines.append(
                f"工作表中有{self.table.hidden_rows()}行是隐藏行，已照常检查和导入"
                "（隐藏不等于删除；不要导入的行请删除）"
            )
        for (header, note), (first, count) in itertools.islice(self.notes.items(), MAX_NOTES):
            where = f"第{first}行" if count == 1 else f"第{first}行起共{count}行"
            lines.append(f"{where} {header}：{note}")
        if len(self.notes) > MAX_NOTES:
            lines.append(f"……另有{len(self.notes) - MAX_NOTES}条类似说明")
        return lines

    def matched_columns(self) -> list[tuple[str, str, str]]:
        """(ledger header, header in the file, column letter) of each column found."""
        return [
            (c.header, self.file_header(c.field), column_letter(self.positions[c.field]))
            for c in self.present
        ]

    # -- one chunk ------------------------------------------------------------------------

    def _error(self, row: int, column: str, value: str, reason: str) -> None:
        self.errors.append(RowError(self.table.file, self.table.sheet, row, column, value, reason))

    def _note(self, row: int, column: str, note: str) -> None:
        seen = self.notes.get((column, note))
        if seen is None:
            self.notes[(column, note)] = [row, 1]
        else:
            seen[1] += 1

    def _check(self, batch: list[tuple[int, list[Any]]]) -> list[ValidRow]:
        ledger, headers = self.ledger, self.headers
        rows = [self._parse(number, cells) for number, cells in batch]
        for column in self.present:
            if isinstance(column.type, Ref):
                self._resolve_ref(column, rows)
        for lookup in self.lookups:
            self._resolve_lookup(lookup, rows)
        for row in rows:
            if not row.ok:
                continue
            for rule in ledger.rules:
                for name, reason in rule(row.values, headers):
                    self._error(row.row, headers.get(name, name), self._shown(row, name), reason)
                    row.ok = False
            if row.ok and ledger.derive is not None:
                try:
                    row.values.update(ledger.derive(row.values))
                except RuleError as exc:
                    self._error(
                        row.row,
                        headers.get(exc.field, exc.field),
                        self._shown(row, exc.field),
                        exc.reason,
                    )
                    row.ok = False
        keys = self._check_keys(rows)
        for column in self.present:
            if column.unique:
                self._check_unique(column, rows, keys)
        valid = [r for r in rows if r.ok]
        if ledger.sort is not None:
            order = ledger.sort
            valid.sort(key=lambda r: order(r.values))
        fields = self.fields
        return [
            ValidRow(
                row=r.row,
                values={f: r.values[f] for f in fields if f in r.values},
                key=keys[r.row],
            )
            for r in valid
        ]

    def _parse(self, number: int, cells: list[Any]) -> _Row:
        values: dict[str, Any] = {}
        row = _Row(row=number, values=values, cells=cells)
        width = len(cells)
        for name, header, index, memory, parse, required, blank in self._parsers:
            cell = cells[index] if index < width else None
            # The parsed value (or the reason it is bad) of a cell value seen before. A text
            # cell is its own key; another is told apart by type too, so that True, 1 and 1.0
            # are parsed separately. Blank cells are never remembered.
            key: Any = cell
            if cell.__class__ is str:
                hit = memory.get(cell, _MISS)
                if hit is _MISS and not cell.strip():
                    cell = None
            elif cell is None:
                hit = _MISS
            elif cell.__class__ is Uncalculated:
                self._error(number, header, str(cell), UNCALCULATED_REASON)
                row.ok = False
                continue
            else:
                key = (cell.__class__, cell)
                try:
                    hit = memory.get(key, _MISS)
                except TypeError:  # an unhashable cell
                    key, hit = None, _MISS
            if cell is None:
                if required:
                    self._error(number, header, "", "必填项不能为空")
                    row.ok = False
                else:
                    values[name] = blank
                continue
            if hit is _MISS:
                try:
                    hit = parse(cell)
                except CellError as exc:
                    hit = _Bad(exc.reason, exc.shown)
                if key is not None and len(memory) < PARSE_CACHE:
                    memory[key] = hit
            if hit.__class__ is _Bad:
                shown = display(cell) if hit.shown is None else hit.shown
                self._error(number, header, shown, hit.reason)
                row.ok = False
            elif hit.__class__ is Noted:
                self._note(number, header, hit.note)
                values[name] = hit.value
            else:
                values[name] = hit
        return row

    def _reject(self, row: _Row, column: Column, reason: str) -> None:
        """Report ``reason`` at ``row``'s cell of ``column`` (its value as written); the row
        is not written."""
        self._error(row.row, column.header, self._raw(row, column.field), reason)
        row.ok = False

    def _raw(self, row: _Row, name: str) -> str:
        index = self.positions.get(name)
        if index is None or index >= len(row.cells):
            return ""
        return display(row.cells[index])

    def _shown(self, row: _Row, name: str) -> str:
        if name in self.positions:
            return self._raw(row, name)
        for lookup in self.ledger.lookups:
            if lookup.field == name:
                return "/".join(self._raw(row, s) for s in lookup.sources)
        return display(row.values.get(name))

    def _self_reference(self, column: Column) -> bool:
        ref = column.type
        if not isinstance(ref, Ref) or ref.model_class() is not self.model:
            return False
        fk = model_field(self.model, column.field)
        return isinstance(fk, models.ForeignKey) and fk.target_field.attname == ref.key

    def _resolve_ref(self, column: Column, rows: list[_Row]) -> None:
        """Replace each natural-key value of a Ref column by the referenced row's target value."""
        ref = column.type
        assert isinstance(ref, Ref)
        fk = model_field(self.model, column.field)
        assert isinstance(fk, models.ForeignKey)
        target = fk.target_field.attname
        target_model = ref.model_class()
        found = self._refs.setdefault(column.field, {})
        if len(found) > REF_CACHE:
            found.clear()
        wanted = sorted(
            {
                r.values[column.field]
                for r in rows
                if r.values.get(column.field) is not None and r.values[column.field] not in found
            }
        )
        for chunk in chunked(wanted):
            found.update(
                target_model._default_manager.filter(**{f"{ref.key}__in": chunk}).values_list(
                    ref.key, target
                )
            )
        local: dict[Any, Any] = {}
        if self._self_reference(column):
            # A reference into the same file (an org unit's parent listed a few rows above).
            local = {r.values[ref.key]: r.values[ref.key] for r in rows if r.values.get(ref.key)}
        name = target_model._meta.verbose_name
        for row in rows:
            value = row.values.get(column.field)
            if value is None:
                continue
            if value in found:
                row.values[column.field] = found[value]
            elif value in local:
                row.values[column.field] = local[value]
            else:
                self._error(
                    row.row,
                    column.header,
                    self._raw(row, column.field),
                    f"未找到{column.header}为“{value}”的{name}",
                )
                del row.values[column.field]
                row.ok = False

    def _resolve_lookup(self, lookup: Lookup, rows: list[_Row]) -> None:
        """Resolve a composite reference (several columns) to the referenced row's pk."""
        target_model = lookup.model_class()
        found = self._lookups.setdefault(lookup.field, {})
        if len(found) > REF_CACHE:
            found.clear()
        wanted = {
            tuple(r.values.get(s) for s in lookup.sources)
            for r in rows
            if all(r.values.get(s) is not None for s in lookup.sources)
        }
        firsts: list[Any] = sorted({w[0] for w in wanted if w not in found})
        for chunk in chunked(firsts):
            for *key, pk in target_model._default_manager.filter(
                **{f"{lookup.keys[0]}__in": chunk}
            ).values_list(*lookup.keys, "pk"):
                found[tuple(key)] = pk
        name = target_model._meta.verbose_name
        header = "、".join(self.headers[s] for s in lookup.sources)
        for row in rows:
            key = tuple(row.values.get(s) for s in lookup.sources)
            if any(k is None for k in key):
                continue
            if key in found:
                row.values[lookup.field] = found[key]
            else:
                shown = "/".join(self._raw(row, s) for s in lookup.sources)
                self._error(
                    row.row,
                    self.headers[lookup.sources[0]],
                    shown,
                    f"未找到{header}为“{shown}”的{name}",
                )
                row.ok = False

    def _check_keys(self, rows: list[_Row]) -> dict[int, tuple[Any, ...]]:
        """Natural keys by row number; a key seen on an earlier row of the file is an error."""
        keys: dict[int, tuple[Any, ...]] = {}
        key_fields = self.ledger.key
        names = "、".join(self.headers[k] for k in key_fields)
        local: dict[str, int] = {}
        tokens: list[tuple[_Row, str]] = []
        for row in rows:
            key = tuple(row.values.get(k) for k in key_fields)
            if any(k is None for k in key):
                continue
            keys[row.row] = key
            token = _token(key)
            local.setdefault(token, row.row)
            tokens.append((row, token))
        earlier = self._seen.remember("", local)
        for row, token in tokens:
            first = earlier.get(token) or local[token]
            if first == row.row:
                continue
            shown = "/".join(self._shown(row, k) for k in key_fields)
            self._error(
                row.row, self.headers[key_fields[0]], shown, f"与第{first}行重复（{names}相同）"
            )
            row.ok = False
        return keys

    def _check_unique(self, column: Column, rows: list[_Row], keys) -> None:
        """A unique column must not repeat in the file nor be another database row's value."""
        local: dict[str, int] = {}
        tokens: list[tuple[_Row, Any, str]] = []
        for row in rows:
            value = row.values.get(column.field)
            if value is None or value == "":
                continue
            token = _token((value,))
            local.setdefault(token, row.row)
            tokens.append((row, value, token))
        earlier = self._seen.remember(column.field, local)
        fresh: dict[Any, int] = {}
        for row, value, token in tokens:
            first = earlier.get(token) or local[token]
            if first == row.row:
                fresh[value] = row.row
                continue
            self._reject(row, column, f"与第{first}行的{column.header}重复")
        key_attnames = [model_field(self.model, k).attname for k in self.ledger.key]
        owners: dict[Any, tuple[Any, ...]] = {}
        for chunk in chunked(sorted(fresh)):
            for value, *key in self.model._default_manager.filter(
                **{f"{column.field}__in": chunk}
            ).values_list(column.field, *key_attnames):
                owners[value] = tuple(key)
        for row in rows:
            value = row.values.get(column.field)
            if (
                value in owners
                and fresh.get(value) == row.row
                and row.row in keys
                and owners[value] != keys[row.row]
            ):
                other = "/".join(str(k) for k in owners[value])
                self._reject(row, column, f"已被另一条记录（{other}）使用")


def _token(values: tuple[Any, ...]) -> str:
    """A natural key or unique value as text to compare by: a text value as it is, another
    value with its type, fields joined by a separator no cell value holds."""
    if len(values) == 1 and values[0].__class__ is str:
        return values[0]
    return "\x1e".join(
        v if v.__class__ is str else f"{v.__class__.__name__}\x1f{v}" for v in values
    )


class SeenValues:
    """The natural keys and unique values of a file's earlier chunks, with the first row of each.

    They live in a temporary table of the import's own database connection, not in a dict:
    a dict of 100,000 sample numbers with their rows took 12 MiB, and grew with the file. A
    chunk costs one ``IN`` query per ``CHUNK`` values and one ``executemany``. The table is
    made at the first chunk that has values and dropped by ``close`` (a rolled-back
    transaction drops it too).
    """

    _numbers = itertools.count(1)

    def __init__(self, using: str):
        self.connection = connections[using]
        self.table = ""
        self.empty = True

    def remember(self, kind: str, firsts: dict[str, int]) -> dict[str, int]:
        """Of ``firsts`` (value → its first row in this chunk), those seen in an earlier chunk,
        with the row they were first seen on; the others are remembered from now on."""
        if not firsts:
            return {}
        with self.connection.cursor() as cursor:
            earlier: dict[str, int] = {}
            if self.empty:
                self._create(cursor)
            else:
                for chunk in chunked(list(firsts)):
                    marks = ", ".join(["%s"] * len(chunk))
                    cursor.execute(
                        f"SELECT value, first_row FROM {self.table} "  # noqa: S608
                        f"WHERE kind = %s AND value IN ({marks})",
                        [kind, *chunk],
                    )
                    earlier.update(cursor.fetchall())
            cursor.executemany(
                f"INSERT INTO {self.table} (kind, value, first_row) VALUES (%s, %s, %s)",  # noqa: S608
                [(kind, value, row) for value, row in firsts.items() if value not in earlier],
            )
        self.empty = False
        return earlier

    def _create(self, cursor) -> None:
        if self.table:
            return
        # A name of our own making (a counter), never user input.
        self.table = self.connection.ops.quote_name(f"foodsafe_import_seen_{next(self._numbers)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {self.table} (kind VARCHAR(100) NOT NULL, "
            "value TEXT NOT NULL, first_row INTEGER NOT NULL, PRIMARY KEY (kind, value))"
        )

    def close(self) -> None:
        """Drop the table (nothing when none was made)."""
        if self.table:
            with self.connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
            self.table = ""
            self.empty = True


def first_rows(rows: Iterable[tuple[int, list[Any]]], keep: list, limit: int) -> Iterator:
    """Pass ``rows`` through, copying the first ``limit`` of them into ``keep`` (a preview)."""
    for item in rows:
        if len(keep) < limit:
            keep.append(item)
        yield item
