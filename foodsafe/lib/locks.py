"""A lock per scheduled job, so that two cron runs of the same job never overlap.

On PostgreSQL it is a session-level advisory lock (``pg_try_advisory_lock``): it holds across
every host that shares the database and is released by the server if the process dies. On
SQLite (one host by construction) it is an exclusive ``flock`` on ``VAR_DIR/locks/<job>.lock``,
released by the kernel when the process ends. Neither waits: a second run fails at once.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


class JobLocked(RuntimeError):
    """Another run of the same job holds the lock."""

    def __init__(self, job: str, where: str) -> None:
        self.job = job
        self.where = where
        super().__init__(
            f"{job} 正在运行（{where}），本次不执行 / another run of {job} holds the lock ({where})"
        )


def _advisory_key(job: str) -> int:
    # A stable 64-bit key per job name (fits PostgreSQL's bigint); the high word is "Food".
    return 0x466F6F64 << 32 | zlib.crc32(job.encode())


def lock_description(job: str) -> str:
    """Where the lock of ``job`` lives, for messages: the advisory key or the lock file."""
    if connection.vendor == "postgresql":
        return f"PostgreSQL advisory lock {_advisory_key(job)}"
    return str(Path(settings.VAR_DIR) / "locks" / f"{job}.lock")


@contextmanager
def job_lock(job: str) -> Iterator[str]:
    """Hold the lock of ``job`` for the ``with`` block; yields where the lock lives.

    Raises :class:`JobLocked` at once if another process holds it.
    """
    where = lock_description(job)
    if connection.vendor == "postgresql":
        key = _advisory_key(job)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            (acquired,) = cursor.fetchone()
        if not acquired:
            raise JobLocked(job, where)
        try:
            yield where
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = Path(where)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise JobLocked(job, where) from exc
        try:
            yield where
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
