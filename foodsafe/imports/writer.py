"""The import writer: upserts chunks of valid rows by natural key with raw SQL.

Writing goes through ``connection.cursor().executemany`` rather than model instances and
``bulk_create_with_history``: building 100,000 instances twice (row and history row) and
compiling their INSERTs was most of an import's time. History rows are copied inside the
database (``INSERT … SELECT``), so they hold exactly what was written. Split out of
``services.py`` (issue 11) so the services read as the import's steps.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.db import IntegrityError, connections, models, router
from django.utils import timezone
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_history_manager_for_model,
)

from .errors import RowError
from .ledgers.base import Ledger, model_field
from .models import ImportChange, ImportLog
from .scope import RowGuard
from .validation import CHUNK, ValidRow, chunked


class Journal:
    """What one import writes, for 撤销导入: the ids it creates (as ranges) and, for each row it
    changes, the previous values of the fields that change (``ImportChange`` rows)."""

    def __init__(self, log: ImportLog, fields: list[str]):
        self.log = log
        self.fields = fields
        self.ranges: list[list[int]] = []

    def created_range(self, first: int, last: int) -> None:
        if self.ranges and self.ranges[-1][1] + 1 == first:
            self.ranges[-1][1] = last
        else:
            self.ranges.append([first, last])

    def created(self, pks: list[Any]) -> None:
        for pk in sorted(pks):
            self.created_range(int(pk), int(pk))

    def changed(self, update: list[tuple[Any, ValidRow, tuple[Any, ...]]]) -> None:
        if not update:
            return
        fields = self.fields
        ImportChange.objects.bulk_create(
            [
                ImportChange(
                    log=self.log,
                    row_id=pk,
                    previous={
                        name: current[i]
                        for i, name in enumerate(fields)
                        if name in row.values and row.values[name] != current[i]
                    },
                )
                for pk, row, current in update
            ],
            batch_size=CHUNK,
        )


#: Field classes whose Python value (as validation produces it) is already the database value.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.AutoField,
    models.BigAutoField,
)
_HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def _adapter(target: models.Field, connection) -> Callable[[Any], Any] | None:
    """How to turn a validated value into a database parameter; None when it already is one."""
    if isinstance(target, models.ForeignKey):
        return _adapter(target.target_field, connection)
    if type(target) in _PLAIN_FIELDS:
        return None
    if type(target) is models.DateField:  # what DateField.get_db_prep_value does to a date
        return connection.ops.adapt_datefield_value
    return lambda value: target.get_db_prep_save(value, connection)


class Writer:
    """Matches chunks of valid rows to existing rows by natural key and writes them.

    Rows are written with ``executemany`` (one INSERT and one UPDATE statement shape per
    ledger), their history rows copied by ``INSERT … SELECT``: the database does the work, no
    model instance is built per row. A model this cannot handle (multi-table inheritance,
    fields filled at save time, a history model with extra fields) is written through the ORM
    and ``bulk_create_with_history`` instead, chunk by chunk.
    """

    def __init__(
        self,
        definition: Ledger,
        fields: list[str],
        *,
        user: Any,
        reason: str,
        guard: RowGuard | None = None,
        journal: Journal | None = None,
    ):
        self.model = model = definition.model_class()
        self.guard = guard
        self.journal = journal
        self.fields = fields
        self.key = list(definition.key)
        self.user = user
        self.reason = reason
        self.added = self.updated = self.unchanged = 0
        self.db = router.db_for_write(model)
        self.connection = connections[self.db]
        self.field_objs = [model_field(model, f) for f in fields]
        self.key_attnames = [model_field(model, k).attname for k in self.key]
        self.probe = True
        first_key = model_field(model, self.key[0])
        self.first_key_adapter = _adapter(first_key, self.connection)
        column = self.connection.ops.quote_name(str(first_key.column))
        table = self.connection.ops.quote_name(model._meta.db_table)
        # Only quoted table and column names from the model go into the SQL.
        self.probe_sql = f"SELECT DISTINCT {column} FROM {table} WHERE {column} IN ({{marks}})"  # noqa: S608
        self.history = self._history_model()
        others = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name not in set(fields)
        ]
        self.fast = self._can_write_directly(others)
        if self.fast:
            self._prepare_statements(others)

    # -- setup ------------------------------------------------------------------------------

    def _history_model(self) -> type[models.Model] | None:
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            return None
        try:
            return get_history_manager_for_model(self.model).model
        except NotHistoricalModelError:
            return None

    def _can_write_directly(self, others: list[models.Field]) -> bool:
        meta = self.model._meta
        if meta.parents or not isinstance(meta.pk, models.AutoField):
            return False
        for other in others:
            if (
                getattr(other, "auto_now", False)
                or getattr(other, "auto_now_add", False)
                # A default computed per row (a callable); a field with none gets
                # ``get_default()`` ("" or NULL), as the ORM would give it.
                or (other.has_default() and callable(other.default))
                or other.db_default is not models.NOT_PROVIDED
                or other.generated
            ):
                return False
        if self.history is not None:
            names = {f.name for f in self.history._meta.concrete_fields}
            model_names = {f.name for f in meta.concrete_fields}
            if hasattr(self.history, "history_relation"):
                return False
            if not _HISTORY_FIELDS <= names or not (names - _HISTORY_FIELDS) <= model_names:
                return False
        return True

    def _prepare_statements(self, others: list[models.Field]) -> None:
        def qn(name: str | None) -> str:
            return self.connection.ops.quote_name(str(name))

        meta = self.model._meta
        hmeta_model = self.history
        self.table = qn(meta.db_table)
        self.pk_column = qn(meta.pk.column if meta.pk is not None else "id")
        self.adapters = [
            (i, a) for i, f in enumerate(self.field_objs) if (a := _adapter(f, self.connection))
        ]
        self.others = [
            other.get_db_prep_save(other.get_default(), self.connection) for other in others
        ]
        columns = [qn(f.column) for f in self.field_objs] + [qn(f.column) for f in others]
        marks = ", ".join(["%s"] * len(columns))
        # Only quoted table and column names from the models go into the SQL; values are
        # always parameters.
        self.insert_sql = f"INSERT INTO {self.table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        sets = ", ".join(f"{qn(f.column)} = %s" for f in self.field_objs)
        self.update_sql = f"UPDATE {self.table} SET {sets} WHERE {self.pk_column} = %s"  # noqa: S608
        if hmeta_model is None:
            return
        hmeta = hmeta_model._meta
        tracked = [f for f in hmeta.concrete_fields if f.name not in _HISTORY_FIELDS]
        source = [qn(model_field(self.model, f.name).column) for f in tracked]
        target = [qn(f.column) for f in tracked]
        names = ("history_date", "history_type", "history_user", "history_change_reason")
        extra = [model_field(hmeta_model, n) for n in names]
        # PostgreSQL types a parameter in a SELECT list as text unless told otherwise.
        if self.connection.vendor == "postgresql":
            marks = ", ".join(f"%s::{f.db_type(self.connection)}" for f in extra)
        else:
            marks = ", ".join(["%s"] * len(extra))
        columns = target + [qn(f.column) for f in extra]
        copy = (
            f"INSERT INTO {qn(hmeta.db_table)} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(source)}, {marks} FROM {self.table} "
        )
        self.history_sql = copy + f"WHERE {self.pk_column} IN ({{marks}})"
        self.history_range_sql = copy + f"WHERE {self.pk_column} BETWEEN %s AND %s"
        # False: the natural key has several fields, or is not unique on its own.
        self.key_adapter: Callable[[Any], Any] | None | Literal[False] = False
        if len(self.key) == 1:
            key_field = model_field(self.model, self.key[0])
            if key_field.unique:
                self.key_adapter = _adapter(key_field, self.connection)
                self.history_by_key_sql = copy + f"WHERE {qn(key_field.column)} IN ({{marks}})"
        self.history_date = extra[0].get_db_prep_save(timezone.now(), self.connection)

    # -- per chunk --------------------------------------------------------------------------

    def _existing(
        self, rows: list[ValidRow], *, values: bool = True
    ) -> dict[tuple[Any, ...], tuple[Any, ...]]:
        """Existing rows with the keys of ``rows``: key → (pk, current values of ``fields``)."""
        attnames = [f.attname for f in self.field_objs] if values else []
        firsts = sorted({row.key[0] for row in rows}, key=lambda v: (str(type(v)), v))
        n = len(self.key_attnames)
        found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        manager = self.model._base_manager.db_manager(self.db)
        # Probing first pays when most keys are new (a first import); when the last chunk's
        # keys mostly existed (a re-import), the values query alone is cheaper.
        wanted = self._present(firsts) if self.probe else firsts
        for chunk in chunked(wanted):
            for pk, *rest in manager.filter(**{f"{self.key_attnames[0]}__in": chunk}).values_list(
                "pk", *self.key_attnames, *attnames
            ):
                found.setdefault(tuple(rest[:n]), (pk, tuple(rest[n:])))
        self.probe = len(found) * 2 < len(firsts)
        return found

    def _present(self, firsts: list[Any]) -> list[Any]:
        """The values of ``firsts`` that a database row has as its first natural-key field.

        One plain query per ``CHUNK`` values: most keys of a first import are new, and the
        ORM's per-value work on 100,000 absent keys cost more than the lookups themselves.
        """
        adapt = self.first_key_adapter
        params = firsts if adapt is None else [adapt(v) for v in firsts]
        hits: set[Any] = set()
        with self.connection.cursor() as cursor:
            for chunk in chunked(params):
                cursor.execute(self.probe_sql.format(marks=", ".join(["%s"] * len(chunk))), chunk)
                hits.update(value for (value,) in cursor.fetchall())
        return [v for v, p in zip(firsts, params, strict=True) if p in hits]

    def plan_and_write(self, rows: list[ValidRow], *, write: bool) -> list[RowError]:
        """Count ``rows`` as added, updated or unchanged and, with ``write``, write them.

        With a ``guard`` (a restricted import scope), rows outside the scope come back as
        errors and nothing of the chunk is written; the caller refuses the file."""
        if not rows:
            return []
        existing = self._existing(rows)
        fields = self.fields
        create: list[ValidRow] = []
        update: list[tuple[Any, ValidRow, tuple[Any, ...]]] = []
        for row in rows:
            found = existing.get(row.key)
            if found is None:
                create.append(row)
                continue
            pk, current = found
            values = row.values
            if all(values[name] == current[i] for i, name in enumerate(fields) if name in values):
                self.unchanged += 1
            else:
                update.append((pk, row, current))
        self.added += len(create)
        self.updated += len(update)
        if self.guard is not None:
            errors = self.guard.errors(create, update, fields)
            if errors:
                return errors
        if not write:
            return []
        if self.fast:
            self._write_directly(create, update)
        else:
            self._write_with_orm(create, update)
        return []

    def _params(self, values: dict[str, Any], current: tuple[Any, ...] | None) -> list[Any]:
        if current is None:
            params = [values.get(name) for name in self.fields]
        else:
            params = [
                values[name] if name in values else current[i] for i, name in enumerate(self.fields)
            ]
        for i, adapt in self.adapters:
            if params[i] is not None:
                params[i] = adapt(params[i])
        return params

    def _write_directly(
        self, create: list[ValidRow], update: list[tuple[Any, ValidRow, tuple[Any, ...]]]
    ) -> None:
        journal = self.journal
        with self.connection.cursor() as cursor:
            bounds: list[int] | None = None
            pks: list[Any] | None = None
            if create:
                cursor.executemany(
                    self.insert_sql,
                    [self._params(row.values, None) + self.others for row in create],
                )
                if self.connection.vendor == "sqlite":
                    # SQLite lets one connection write at a time and gives each new row of an
                    # AUTOINCREMENT table the next id, so this chunk's rows are the last
                    # len(create) ids.
                    cursor.execute("SELECT last_insert_rowid()")
                    last = cursor.fetchone()[0]
                    bounds = [last - len(create) + 1, last]
                elif journal is not None or (
                    self.history is not None and self.key_adapter is False
                ):
                    found = self._existing(create, values=False)
                    pks = [found[row.key][0] for row in create]
            if update:
                cursor.executemany(
                    self.update_sql,
                    [self._params(row.values, current) + [pk] for pk, row, current in update],
                )
            if journal is not None:
                if bounds is not None:
                    journal.created_range(bounds[0], bounds[1])
                elif pks is not None:
                    journal.created(pks)
                journal.changed(update)
            if self.history is None:
                return
            if bounds is not None:
                # One statement copies the chunk's new rows by their id range.
                self._copy_history(cursor, self.history_range_sql, bounds, "+", len(create))
            elif pks is not None:
                self._copy_history(cursor, self.history_sql, pks, "+")
            elif create and self.key_adapter is not False:
                # A one-field natural key is unique: select the new rows by it.
                adapt = self.key_adapter
                keys = [row.key[0] if adapt is None else adapt(row.key[0]) for row in create]
                self._copy_history(cursor, self.history_by_key_sql, keys, "+")
            if update:
                pks = [pk for pk, _row, _current in update]
                self._copy_history(cursor, self.history_sql, pks, "~")

    def _copy_history(
        self, cursor, sql: str, values: list[Any], kind: str, expect: int | None = None
    ) -> None:
        user = self.user.pk if self.user is not None else None
        if expect is not None:  # ``values`` are the bounds of an id range
            cursor.execute(sql, [self.history_date, kind, user, self.reason, *values])
            if cursor.rowcount != expect:
                raise IntegrityError(f"历史记录应复制 {expect} 行，实际 {cursor.rowcount} 行")
            return
        for chunk in chunked(values):
            statement = sql.format(marks=", ".join(["%s"] * len(chunk)))
            cursor.execute(statement, [self.history_date, kind, user, self.reason, *chunk])

    def _write_with_orm(
        self, create: list[ValidRow], update: list[tuple[Any, ValidRow, tuple[Any, ...]]]
    ) -> None:
        model = self.model
        attnames = {f.name: f.attname for f in self.field_objs}
        new = [model(**{attnames[f]: v for f, v in row.values.items()}) for row in create]
        changed = []
        for pk, row, _current in update:
            obj = model._base_manager.db_manager(self.db).get(pk=pk)
            for name, value in row.values.items():
                setattr(obj, attnames[name], value)
            changed.append(obj)
        history: dict[str, Any] = {
            "batch_size": CHUNK,
            "default_user": self.user,
            "default_change_reason": self.reason,
        }
        if new:
            if self.history is not None:
                new = bulk_create_with_history(new, model, **history)
            else:
                new = model._base_manager.db_manager(self.db).bulk_create(new, batch_size=CHUNK)
            if self.journal is not None:
                if any(obj.pk is None for obj in new):  # a backend that returns no ids
                    found = self._existing(create, values=False)
                    self.journal.created([found[row.key][0] for row in create])
                else:
                    self.journal.created([obj.pk for obj in new])
        if self.journal is not None:
            self.journal.changed(update)
        if changed:
            names = [attnames[f] for f in self.fields]
            if self.history is not None:
                bulk_update_with_history(changed, model, names, **history)
            else:
                manager = model._base_manager.db_manager(self.db)
                manager.bulk_update(changed, names, batch_size=CHUNK)
