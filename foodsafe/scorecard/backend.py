"""Ibis backends: the Django database itself, or any Ibis backend given by the caller."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import ibis
from django.db import connections
from ibis.backends.sqlite import Backend as SQLiteBackend

#: Bytes of an SQLite database the scorecard's connection maps into memory (file-backed pages,
#: shared with the OS page cache).
SQLITE_MMAP_BYTES = 2**31


class DjangoSQLiteBackend(SQLiteBackend):
    """Ibis's SQLite backend on a connection that Django owns.

    Ibis's own ``begin()`` commits after reading a table's schema, which would commit (and so
    break) the transaction Django has open — an import in progress or a test. Here transactions
    stay Django's business: ``begin()`` only hands out a cursor.
    """

    @contextlib.contextmanager
    def begin(self) -> Iterator[Any]:
        cur = self.con.cursor()
        try:
            yield cur
        finally:
            cur.close()


def django_backend(alias: str = "default") -> Any:
    """An Ibis backend on Django's own database connection ``alias``.

    It shares Django's DB-API connection (and so its transaction): the scorecard sees exactly
    what the ORM sees, including rows written in the current transaction and test databases.
    Supports SQLite and PostgreSQL; raises ``NotImplementedError`` for other engines.
    """
    connection = connections[alias]
    connection.ensure_connection()
    raw = connection.connection
    cached = getattr(connection, "_foodsafe_ibis", None)
    if cached is not None and cached[0] is raw:
        return cached[1]
    if connection.vendor == "sqlite":
        backend = DjangoSQLiteBackend.from_connection(raw)
        # Ibis turns on case-sensitive LIKE; Django's icontains relies on SQLite's default
        # (case-insensitive) LIKE on the same connection, so restore it. The metrics only match
        # digit codes by prefix, where case does not matter.
        raw.execute("PRAGMA case_sensitive_like = OFF")
        # Read the database file through a memory map instead of a read() per page: SQLite's
        # default page cache is 2 MB, so the scorecard's joins over a city's ledgers re-read
        # pages by syscall. Measured on the 10 M city: 3.25 s → 2.46 s (docs/performance.md).
        raw.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
    elif connection.vendor == "postgresql":
        # psycopg's connection.transaction() nests as a savepoint inside Django's transaction.
        backend = ibis.postgres.from_connection(raw)
    else:
        raise NotImplementedError(f"no Ibis backend for database vendor {connection.vendor!r}")
    setattr(connection, "_foodsafe_ibis", (raw, backend))  # noqa: B010  (not a Django attribute)
    return backend
