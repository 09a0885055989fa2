"""``foodsafe serve``: the web app under the production WSGI server (gunicorn).

``runserver`` is Django's development server: one process, not hardened, and the demo used it.
This starts gunicorn (a kept server, issue 11 §3) on ``FOODSAFE_BIND`` with
``FOODSAFE_WEB_WORKERS`` processes (default 2 × cores + 1, at most 9: the scorecard is
CPU-bound, so more workers than that only queue on the cores), DEBUG as the settings say (off
by default), static files from WhiteNoise, and the cache every worker shares (settings.CACHES).
The process replaces itself with gunicorn, so Ctrl-C and a service manager's signals reach the
server directly.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def default_workers(cores: int | None) -> int:
    """2 × cores + 1 (gunicorn's own advice), between 2 and 9."""
    return max(2, min(9, 2 * (cores or 1) + 1))


def gunicorn_argv(*, bind: str, workers: int, timeout: int) -> list[str]:
    """The command line that runs gunicorn on the project's WSGI application."""
    return [
        sys.executable, "-m", "gunicorn", "foodsafe.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--timeout", str(timeout),
        # The app is imported once and the workers forked from it (faster start, shared pages);
        # database connections open lazily, so none is shared across the fork.
        "--preload",
        # A worker is replaced after about 1,000 requests, bounding any slow growth in memory.
        "--max-requests", "1000", "--max-requests-jitter", "100",
        "--access-logfile", "-",
    ]  # fmt: skip


#: Seconds each worker keeps its database connection (settings: FOODSAFE_DB_CONN_MAX_AGE).
SERVER_CONN_MAX_AGE = "60"


def server_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment gunicorn runs with: ``environ`` plus persistent database connections
    (``FOODSAFE_DB_CONN_MAX_AGE`` 60 s unless set). A sync worker serves one request at a
    time, so one connection per worker, reused, instead of a new one per request."""
    return {"FOODSAFE_DB_CONN_MAX_AGE": SERVER_CONN_MAX_AGE, **environ}


class Command(BaseCommand):
    help = (
        "用生产 WSGI 服务器（gunicorn）提供网站。Serve the web app with gunicorn: "
        "FOODSAFE_BIND (127.0.0.1:8000), FOODSAFE_WEB_WORKERS (2 × cores + 1, at most 9), "
        "FOODSAFE_WEB_TIMEOUT (300 s). Run `foodsafe collectstatic --noinput` first in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="host:port (default FOODSAFE_BIND)")
        parser.add_argument("--workers", type=int, default=None, help="worker processes")

    def handle(self, *args, **options):
        workers = options["workers"] or settings.FOODSAFE_WEB_WORKERS
        if not workers:
            workers = default_workers(os.cpu_count())
        if workers < 1:
            raise CommandError("--workers 至少为 1 (at least 1)")
        bind = options["bind"] or settings.FOODSAFE_BIND
        argv = gunicorn_argv(bind=bind, workers=workers, timeout=settings.FOODSAFE_WEB_TIMEOUT)
        self.stdout.write(f"gunicorn http://{bind}/ : {workers} workers")
        self.stdout.flush()
        env = server_environment(dict(os.environ))
        os.execve(sys.executable, argv, env)  # noqa: S606 (our own interpreter, fixed arguments)
