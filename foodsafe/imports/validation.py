"""Validation of a whole table against a ledger definition, before anything is written.

Every row is checked and every problem reported: cell types and choices, required values,
references to other ledgers (resolved through lookup maps loaded once per table, not per row),
cross-field rules, duplicates of the natural key and of unique columns inside the file, and
unique values already used by another row in the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from . import readers
from .errors import RowError
from .ledgers.base import CellError, Column, Ledger, Lookup, Ref, RuleError, display, model_field
from .readers import Table, is_blank

CHUNK = 500


@dataclass
class ValidRow:
    """A row ready to write: model field values (FKs as their target value) and natural key."""

    row: int
    values: dict[str, Any]
    key: tuple[Any, ...]


@dataclass
class Validation:
    """The outcome of validating one table: rows to write, or errors (never partial writes)."""

    ledger: Ledger
    table: Table
    fields: list[str]
    rows: list[ValidRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    raw: dict[str, str]
    ok: bool = True


def chunked(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def normalize_header(cell: Any) -> str:
    return readers.normalize_header(cell)


def match_headers(
    columns: Sequence[Column], header: Sequence[Any]
) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """Map each column's field to its position in ``header``; list header problems.

    Spaces, full-width characters, "*" marks and each column's synonyms are tolerated; see
    ``readers.match_columns``.
    """
    return readers.match_columns(columns, header)


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


def validate_table(ledger: Ledger, table: Table) -> Validation:
    """Check every row of ``table`` as ``ledger``; the result holds rows or errors, or both."""
    model = ledger.model_class()
    columns = ledger.bound_columns()
    headers = ledger.headers()
    positions, problems = match_headers(columns, table.header)
    present = [c for c in columns if c.field in positions]
    present_fields = {c.field for c in present}
    lookups = [lk for lk in ledger.lookups if all(s in present_fields for s in lk.sources)]
    fields = [c.field for c in present if not c.virtual] + [lk.field for lk in lookups]
    fields += list(ledger.derived)
    result = Validation(ledger=ledger, table=table, fields=fields)

    def error(row: int, column: str, value: str, reason: str) -> None:
        result.errors.append(RowError(table.file, table.sheet, row, column, value, reason))

    for header, reason in problems:
        error(table.header_row, header, "", reason)
    if any(reason == "缺少必填列" for _h, reason in problems):
        return result

    rows = [
        _parse_row(model, present, positions, number, cells, error) for number, cells in table.rows
    ]
    for column in present:
        if isinstance(column.type, Ref):
            _resolve_ref(ledger, model, column, rows, error)
    for lookup in lookups:
        _resolve_lookup(lookup, headers, rows, error)

    for row in rows:
        if not row.ok:
            continue
        for rule in ledger.rules:
            for name, reason in rule(row.values, headers):
                error(row.row, headers.get(name, name), _shown(row, name, lookups), reason)
                row.ok = False
        if row.ok and ledger.derive is not None:
            try:
                row.values.update(ledger.derive(row.values))
            except RuleError as exc:
                error(
                    row.row,
                    headers.get(exc.field, exc.field),
                    _shown(row, exc.field, lookups),
                    exc.reason,
                )
                row.ok = False

    keys = _check_keys(ledger, headers, rows, error)
    for column in present:
        if column.unique:
            _check_unique(ledger, model, column, rows, keys, error)

    order = {c.header: i for i, c in enumerate(columns)}
    result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
    if not result.errors:
        result.rows = [
            ValidRow(
                row=r.row, values={f: r.values[f] for f in fields if f in r.values}, key=keys[r.row]
            )
            for r in rows
        ]
    return result


def _shown(row: _Row, name: str, lookups: Iterable[Lookup]) -> str:
    if name in row.raw:
        return row.raw[name]
    for lookup in lookups:
        if lookup.field == name:
            return "/".join(row.raw.get(s, "") for s in lookup.sources)
    return display(row.values.get(name))


def _parse_row(model, present, positions, number, cells, error) -> _Row:
    row = _Row(row=number, values={}, raw={})
    for column in present:
        index = positions[column.field]
        cell = cells[index] if index < len(cells) else None
        row.raw[column.field] = display(cell)
        if is_blank(cell):
            if column.required:
                error(number, column.header, "", "必填项不能为空")
                row.ok = False
            else:
                row.values[column.field] = blank_value(model, column)
            continue
        try:
            row.values[column.field] = column.type.parse(cell)
        except CellError as exc:
            error(number, column.header, row.raw[column.field], exc.reason)
            row.ok = False
    return row


def _resolve_ref(ledger: Ledger, model, column: Column, rows: list[_Row], error) -> None:
    """Replace each natural-key value of a Ref column by the referenced row's target value."""
    ref = column.type
    assert isinstance(ref, Ref)
    fk = model_field(model, column.field)
    assert isinstance(fk, models.ForeignKey)
    target = fk.target_field.attname
    target_model = ref.model_class()
    wanted = sorted(
        {r.values[column.field] for r in rows if r.values.get(column.field) is not None}
    )
    found: dict[Any, Any] = {}
    for chunk in chunked(wanted):
        found.update(
            target_model._default_manager.filter(**{f"{ref.key}__in": chunk}).values_list(
                ref.key, target
            )
        )
    if target_model is model and target == ref.key and ledger.key == (ref.key,):
        # A reference into the same file (an org unit's parent listed a few rows above).
        found.update({r.values[ref.key]: r.values[ref.key] for r in rows if r.values.get(ref.key)})
    name = target_model._meta.verbose_name
    for row in rows:
        value = row.values.get(column.field)
        if value is None:
            continue
        if value in found:
            row.values[column.field] = found[value]
        else:
            error(
                row.row,
                column.header,
                row.raw[column.field],
                f"未找到{column.header}为“{value}”的{name}",
            )
            del row.values[column.field]
            row.ok = False


def _resolve_lookup(lookup: Lookup, headers, rows: list[_Row], error) -> None:
    """Resolve a composite reference (several columns) to the referenced row's pk."""
    target_model = lookup.model_class()
    wanted = {
        tuple(r.values.get(s) for s in lookup.sources)
        for r in rows
        if all(r.values.get(s) is not None for s in lookup.sources)
    }
    firsts: list[Any] = sorted({w[0] for w in wanted})
    found: dict[tuple[Any, ...], Any] = {}
    for chunk in chunked(firsts):
        for *key, pk in target_model._default_manager.filter(
            **{f"{lookup.keys[0]}__in": chunk}
        ).values_list(*lookup.keys, "pk"):
            found[tuple(key)] = pk
    name = target_model._meta.verbose_name
    header = "、".join(headers[s] for s in lookup.sources)
    for row in rows:
        key = tuple(row.values.get(s) for s in lookup.sources)
        if any(k is None for k in key):
            continue
        if key in found:
            row.values[lookup.field] = found[key]
        else:
            shown = "/".join(row.raw[s] for s in lookup.sources)
            error(row.row, headers[lookup.sources[0]], shown, f"未找到{header}为“{shown}”的{name}")
            row.ok = False


def _check_keys(ledger: Ledger, headers, rows: list[_Row], error) -> dict[int, tuple[Any, ...]]:
    """Natural keys by row number; a key seen on an earlier row of the file is an error."""
    seen: dict[tuple[Any, ...], int] = {}
    keys: dict[int, tuple[Any, ...]] = {}
    names = "、".join(headers[k] for k in ledger.key)
    for row in rows:
        key = tuple(row.values.get(k) for k in ledger.key)
        if any(k is None for k in key):
            continue
        keys[row.row] = key
        if key in seen:
            shown = "/".join(_shown(row, k, ledger.lookups) for k in ledger.key)
            error(row.row, headers[ledger.key[0]], shown, f"与第{seen[key]}行重复（{names}相同）")
            row.ok = False
        else:
            seen[key] = row.row
    return keys


def _check_unique(ledger, model, column: Column, rows: list[_Row], keys, error) -> None:
    """A unique column must not repeat in the file nor be another database row's value."""
    first_row: dict[Any, int] = {}
    for row in rows:
        value = row.values.get(column.field)
        if value is None or value == "":
            continue
        if value in first_row:
            error(
                row.row,
                column.header,
                row.raw[column.field],
                f"与第{first_row[value]}行的{column.header}重复",
            )
            row.ok = False
        else:
            first_row[value] = row.row
    key_attnames = [model_field(model, k).attname for k in ledger.key]
    owners: dict[Any, tuple[Any, ...]] = {}
    for chunk in chunked(sorted(first_row)):
        for value, *key in model._default_manager.filter(
            **{f"{column.field}__in": chunk}
        ).values_list(column.field, *key_attnames):
            owners[value] = tuple(key)
    for row in rows:
        value = row.values.get(column.field)
        if value in owners and row.row in keys and owners[value] != keys[row.row]:
            other = "/".join(str(k) for k in owners[value])
            error(row.row, column.header, row.raw[column.field], f"已被另一条记录（{other}）使用")
            row.ok = False
