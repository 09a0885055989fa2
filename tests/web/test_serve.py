"""``foodsafe serve``: the production server answers, with DEBUG off, static files and CSP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from foodsafe.web.management.commands.serve import (
    default_workers,
    gunicorn_argv,
    server_environment,
)

ROOT = Path(__file__).resolve().parents[2]


def test_default_workers_follow_the_cores_within_bounds():
    # 2 × cores + 1: 1 core → 3, 2 cores → 5; never fewer than 2 nor more than 9.
    assert [default_workers(n) for n in (None, 1, 2, 4, 16)] == [3, 3, 5, 9, 9]


def test_argv_runs_gunicorn_on_the_project_wsgi_app():
    argv = gunicorn_argv(bind="0.0.0.0:9000", workers=4, timeout=60)
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "foodsafe.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "4"
    assert argv[argv.index("--timeout") + 1] == "60"


def test_the_server_keeps_database_connections_unless_told_otherwise(settings):
    # The served workers reuse a connection for 60 s (one per worker); an explicit value wins.
    assert server_environment({})["FOODSAFE_DB_CONN_MAX_AGE"] == "60"
    assert server_environment({"FOODSAFE_DB_CONN_MAX_AGE": "0"})["FOODSAFE_DB_CONN_MAX_AGE"] == "0"
    assert server_environment({"X": "1"})["X"] == "1"
    # Everything else (tests, commands) opens a connection per request as before.
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (local server)
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_serve_answers_pages_static_and_404_without_debug(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        # No migrate: neither the login page nor a 404 reads the database.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "FOODSAFE_VAR_DIR": str(tmp_path),
        "FOODSAFE_DEBUG": "0",
        "FOODSAFE_SECURE_COOKIES": "0",
    }
    foodsafe = str(Path(sys.executable).with_name("foodsafe"))
    proc = subprocess.Popen(  # noqa: S603 (our own foodsafe script, fixed arguments)
        [foodsafe, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                status, headers, body = _get(f"{base}/login/")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode() if proc.stdout else "exited")
                time.sleep(0.25)
        else:
            pytest.fail("the server did not answer in 30 s")
        assert status == 200
        assert "Content-Security-Policy" in headers
        assert headers.get("Server", "").startswith("gunicorn")
        css_status, _, css = _get(f"{base}/static/web/site.css")
        assert css_status == 200 and css  # WhiteNoise serves it with DEBUG off
        missing, _, page = _get(f"{base}/no-such-page/")
        # The site's own 404, not Django's debug page listing the URL conf.
        assert missing == 404 and b"URLconf" not in page
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
