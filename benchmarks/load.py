"""Load: the scorecard and dashboard pages of a synthetic 10 M city under 20 concurrent users.

Serves a database holding a generated jurisdiction (``--database-url``; by default it generates
``--population`` residents into a fresh SQLite database first) with the production server
(``foodsafe serve``: gunicorn, ``--workers`` processes sharing the file cache; ``--server
runserver`` for Django's threaded one-process development server, as before) on 127.0.0.1, debug off, and drives it with
``wrk`` (Debian: ``apt-get install wrk``) for ``--duration`` seconds with ``--users``
connections, logged in through a session cookie that Django's test client creates for a user
with the office-admin role. Pages: ``/scorecard/<top>/2021/`` (the unit and its children in one
engine run) and ``/dashboard/<top>/2021/`` (that, plus the year as of every month end). Each page
runs with the scorecard cache off and on (``FOODSAFE_SCORECARD_CACHE_SECONDS``; with it on, one
request fills the cache first and its time is shown as "cold"). A fresh server per run.
Prints requests, p50, p95, p99, max and errors (connect/read/write/timeouts and non-2xx), the
server's CPU time per request (its processes' user + system time over the run ÷ requests: less
affected than wall time when other processes crowd the machine) and the load average. The
connections share one login session (its session and CSRF cookies), so with the cache on the
page cache (``web/page_cache.py``) serves them after the first rendering.

    .venv/bin/python benchmarks/load.py [--database-url sqlite:////path/10m.sqlite3]
        [--population 10000000] [--users 20] [--duration 60] [--pages scorecard,dashboard]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FOODSAFE = str(Path(PYTHON).with_name("foodsafe"))
PERIOD = "2021"
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d %d\\n", summary.requests,
    e.connect, e.read, e.write, e.status, e.timeout, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def login_cookie(env: dict[str, str]) -> str:
    """The cookies of a browser logged in as user ``loadtest`` (office admin): its session id,
    made by Django's test client, and a CSRF cookie (a browser has one after its first page;
    the page cache keeps pages per session and CSRF secret, web/page_cache.py)."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from django.test import Client\n"
        "from foodsafe.accounts.models import Profile\n"
        "user, _ = get_user_model().objects.get_or_create(username='loadtest')\n"
        "Profile.objects.get_or_create(user=user, defaults={'role': 'office_admin'})\n"
        "client = Client(); client.force_login(user)\n"
        "from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH\n"
        "from django.utils.crypto import get_random_string\n"
        "csrf = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)\n"
        "print(f\"sessionid={client.cookies['sessionid'].value}; csrftoken={csrf}\")\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def top_unit(env: dict[str, str]) -> str:
    code = (
        "import django; django.setup()\n"
        "from foodsafe.orgunits.models import OrgUnit\n"
        "print(OrgUnit.objects.filter(code__startswith='9').order_by('level', 'code')[0].code)\n"
    )
    done = subprocess.run(
        [PYTHON, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


class Server:
    """``foodsafe serve`` (or ``runserver``) on 127.0.0.1:port, stopped by its process group."""

    def __init__(self, env: dict[str, str], port: int, kind: str = "gunicorn", workers: int = 0):
        self.port = port
        command = (
            [FOODSAFE, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
            if kind == "runserver"
            else [FOODSAFE, "serve", "--bind", f"127.0.0.1:{port}"]
            + (["--workers", str(workers)] if workers else [])
        )
        self.proc = subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)  # noqa: S310
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit("the server did not start")

    def get(self, path: str, cookie: str) -> tuple[int, float]:
        request = urllib.request.Request(  # noqa: S310 (our own local server)
            f"http://127.0.0.1:{self.port}{path}", headers={"Cookie": cookie}
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:  # noqa: S310
            response.read()
            return response.status, time.perf_counter() - start

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server's processes (its process
        group), with that of the workers already gone: less affected than wall time by other
        processes on a crowded machine. gunicorn replaces a worker after about 1,000 requests
        (``--max-requests``); the master reaps it, so its time is in the master's cutime and
        cstime. Without them a long run lost every replaced worker's time (issue 16's quiet
        run reported 3.0 ms per request; its workers had each been replaced once)."""
        total = 0
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # After the name: state ppid pgrp …; utime, stime, cutime, cstime are the
            # 12th to 15th.
            if int(fields[2]) == self.proc.pid:
                total += sum(int(x) for x in fields[11:15])
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        self.proc.wait(timeout=30)


def run_wrk(url: str, cookie: str, users: int, duration: int, script: Path) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{users}", f"-d{duration}s", "--timeout", "300s", "-s", str(script),
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"^RESULT (.*)$", out, re.M)
    if not found:
        sys.exit(f"cannot read wrk's output:\n{out}")
    n, connect, read, write, status, timeout, p50, p95, p99, top = map(int, found[1].split())
    return {
        "requests": n,
        "errors": connect + read + write + status + timeout,
        "non_2xx": status,
        "timeouts": timeout,
        "p50": p50 / 1e6,
        "p95": p95 / 1e6,
        "p99": p99 / 1e6,
        "max": top / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--population", type=int, default=10_000_000)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--pages", default="scorecard,dashboard")
    parser.add_argument("--cache", default="off,on", help="off, on or both (off,on)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (0: default)")
    opts = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    work = Path(tempfile.mkdtemp(prefix="fs-load-"))
    try:
        env = {
            **os.environ,
            "FOODSAFE_VAR_DIR": str(work),
            "FOODSAFE_DEBUG": "0",
            "FOODSAFE_SECRET_KEY": secrets.token_urlsafe(40),
            "FOODSAFE_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SETTINGS_MODULE": "foodsafe.settings",
        }
        if opts.database_url:
            env["DATABASE_URL"] = opts.database_url
        else:
            env["DATABASE_URL"] = f"sqlite:///{work}/load.sqlite3"
            for step in (["migrate", "--noinput", "-v", "0"],
                         ["generate", "--population", str(opts.population), "--seed", "1"]):  # fmt: skip
                subprocess.run([FOODSAFE, *step], env=env, cwd=ROOT, check=True)
        cookie = login_cookie(env)
        top = top_unit(env)
        script = work / "report.lua"
        script.write_text(REPORT_LUA)
        pages = {
            "scorecard": f"/scorecard/{top}/{PERIOD}/",
            "dashboard": f"/dashboard/{top}/{PERIOD}/",
        }
        rows = []
        print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        for name in opts.pages.split(","):
            for mode in opts.cache.split(","):
                seconds = "300" if mode == "on" else "0"
                server = Server(
                    {**env, "FOODSAFE_SCORECARD_CACHE_SECONDS": seconds},
                    opts.port,
                    opts.server,
                    opts.workers,
                )
                try:
                    status, cold = server.get(pages[name], cookie)
                    if status != 200:
                        sys.exit(f"{pages[name]}: HTTP {status}")
                    cpu_before = server.cpu_seconds()
                    result = run_wrk(
                        f"http://127.0.0.1:{opts.port}{pages[name]}",
                        cookie,
                        opts.users,
                        opts.duration,
                        script,
                    )
                    cpu = server.cpu_seconds() - cpu_before
                    result["cpu_ms"] = 1000 * cpu / result["requests"] if result["requests"] else 0
                finally:
                    server.stop()
                rows.append({"page": name, "cache": mode, "cold": cold, **result})
                print(f"# {name}, cache {mode}: {result}", flush=True)
        print()
        server_text = (
            "runserver (threaded, 1 process)"
            if opts.server == "runserver"
            else f"gunicorn ({opts.workers or 'default'} workers, shared file cache)"
        )
        print(f"{opts.users} users for {opts.duration} s, {server_text}, {top}")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        head = (
            f"{'page':<10} {'cache':<5} {'cold s':>7} {'requests':>8} {'p50 s':>7} "
            f"{'p95 s':>7} {'p99 s':>7} {'max s':>7} {'errors':>6} {'CPU ms/req':>10}"
        )
        print(head)
        print("-" * len(head))
        for r in rows:
            times = (
                f"{r['p50']:7.3f} {r['p95']:7.3f} {r['p99']:7.3f} {r['max']:7.2f}"
                if r["requests"]
                else f"{'none completed in the run':>31}"
            )
            print(
                f"{r['page']:<10} {r['cache']:<5} {r['cold']:7.2f} {r['requests']:8d} "
                f"{times} {r['errors']:6d} {r['cpu_ms']:10.1f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
