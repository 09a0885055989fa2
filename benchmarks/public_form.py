"""Load: the public complaint form (/public/complaint/) under 50 concurrent users for 60 s.

Serves a database (``--database-url``; PostgreSQL by default as in production, migrated first,
its complaints emptied) with the production server (``foodsafe serve``: gunicorn) on 127.0.0.1,
debug off, and drives it with ``wrk`` posting complete complaint forms, each with its own
challenge token and answer, so that every request is a real submission that must be stored.

The tokens are made before the run in this process with the server's secret key (a person would
GET the form first; that GET is not what is measured), more than wrk can send, so no token is
used twice. The per-address rate limits are switched off for the run
(``FOODSAFE_PUBLIC_VIEWS_PER_MINUTE=0``, ``FOODSAFE_PUBLIC_POSTS_PER_HOUR=0``): every connection
comes from 127.0.0.1, which the limits would stop after 20 posts — they are tested in
tests/public. After the run it counts: responses that said 提交成功, stored complaints, and
distinct submission keys among them; every submitted complaint must be stored exactly once (the
requests still in flight when wrk stops are stored without their response being counted).

It prints the latencies (p50/p95/p99/max), requests per second, errors, the CPU per request of
the server's processes (replaced workers included), of PostgreSQL's backends for the database
and of wrk, how busy the machine's cores were, the workers, and the load average. The cache
directory starts empty unless ``--cache-files N`` writes N entries first, as a site that has
been running for a while has (each post writes one; the default MAX_ENTRIES is 2,000).

    .venv/bin/python benchmarks/public_form.py [--database-url URL] [--users 50] [--duration 60]
        [--workers N] [--cache-files 0]
"""

from __future__ import annotations

import argparse
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import PYTHON, ROOT, Server  # noqa: E402

DEFAULT_DB = "postgres://fsdev:fsdev@127.0.0.1:5432/fs_h3"
SUB = "120101001000"

PREPARE = r"""
import django, json, sys
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from foodsafe.orgunits.models import OrgUnit
from foodsafe.complaints.models import Complaint
Complaint.history.model.objects.all().delete()
Complaint.objects.all().delete()
for code, name, parent, level in [("120000000000", "天津市（压测）", None, 1),
        ("120100000000", "市辖区（压测）", "120000000000", 2),
        ("120101000000", "和平区（压测）", "120100000000", 3),
        ("120101001000", "A街道（压测）", "120101000000", 4)]:
    OrgUnit.objects.get_or_create(code=code, defaults=dict(name=name, parent_id=parent, level=level))
from django.core import signing
from foodsafe.public import challenge
import secrets, time, urllib.parse
csrf = sys.argv[1]
out = open(sys.argv[2], "w")
for i in range(int(sys.argv[3])):
    nonce = secrets.token_urlsafe(16)
    token = signing.dumps({"n": nonce, "m": challenge._mac(nonce, 42), "t": int(time.time()) - 10},
                          salt=challenge._SALT)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "token": token, "answer": "42",
        "website": "", "is_complaint": "on", "name": "压测", "phone": "13800000000",
        "address": "和平区某路1号", "org_unit_code": "120101001000", "respondent": "示例餐馆",
        "category": "hygiene", "claim": "退款", "facts": f"压测提交 {i}"})
    out.write(body + "\n")
# A site that has been running: its cache directory already holds the challenge marks of
# earlier posts (kept an hour; Django deletes an expired file only when it reads it).
from django.core.cache import cache
for i in range(int(sys.argv[4])):
    cache.add(f"public-challenge-used:earlier-{i}", 1, 3600)
"""

COUNT = r"""
import django; django.setup()
from foodsafe.complaints.models import Complaint
rows = Complaint.objects.filter(channel="public")
print(rows.count(), rows.values("submission_key").distinct().count())
"""

LUA = r"""
local bodies = {}
for line in io.lines("%(bodies)s") do bodies[#bodies + 1] = line end
local threads = {}
local counter = 1
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  n = %(threads)d
  i = id
  ok = 0
  other = 0
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
function request()
  local body = bodies[i]
  i = i + n
  if body == nil then error("out of prepared submissions") end
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if status == 200 and string.find(body, "tracking-number", 1, true) then ok = ok + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local okt, othert = 0, 0
  for _, t in ipairs(threads) do okt = okt + t:get("ok"); othert = othert + t:get("other") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\n",
    summary.requests, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    okt, othert))
end
"""


TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


class Sampler(threading.Thread):
    """Where the machine's CPU went during the run, sampled every 0.2 s: the busy time of all
    cores (/proc/stat), and the CPU of the PostgreSQL backends serving the benchmark's database
    (their process title is ``postgres: … USER DATABASE address state``). A backend that exits
    between two samples loses at most 0.2 s of its time (one per replaced worker)."""

    def __init__(self, user: str, database: str):
        super().__init__(daemon=True)
        self.title = f" {user} {database} ".encode()
        self.first: dict[str, int] = {}
        self.last: dict[str, int] = {}
        self.stop = threading.Event()
        self.machine0 = self._machine()
        self.machine = self.machine0
        self.started = time.monotonic()
        self.seconds = 0.0

    @staticmethod
    def _machine() -> tuple[int, int]:
        """(busy, total) clock ticks of all cores since boot."""
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + fields[4]  # idle + iowait
        return sum(fields) - idle, sum(fields)

    def _backends(self) -> None:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                title = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"postgres: ") and self.title in title:
                fields = _stat(entry.name)
                if fields:
                    ticks = int(fields[11]) + int(fields[12])
                    self.first.setdefault(entry.name, ticks)
                    self.last[entry.name] = ticks

    def run(self) -> None:
        self._backends()  # those already open (none: the server connects lazily) count from now
        while not self.stop.wait(0.2):
            self._backends()
        self._backends()
        self.machine = self._machine()
        self.seconds = time.monotonic() - self.started

    def finish(self) -> None:
        self.stop.set()
        self.join()

    def database_cpu(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last) / TICK

    def machine_cores_busy(self) -> float:
        """Cores busy on average (all processes: server, database, wrk, others)."""
        busy = self.machine[0] - self.machine0[0]
        return busy / TICK / max(self.seconds, 1e-9)


def workers_of(server: Server) -> tuple[int, int]:
    """(worker processes, OS threads of the first) of the running gunicorn: 1 thread for a
    sync worker; a gthread worker's pool and its main thread."""
    master = str(server.proc.pid)
    workers = []
    for entry in Path("/proc").iterdir():
        fields = _stat(entry.name) if entry.name.isdigit() else None
        if fields and fields[1] == master:
            workers.append(entry.name)
    threads = 0
    if workers:
        status = Path(f"/proc/{workers[0]}/status").read_text()
        threads = int(next(x for x in status.splitlines() if x.startswith("Threads:")).split()[1])
    return len(workers), threads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--prepared", type=int, default=40000)
    parser.add_argument(
        "--cache-files",
        type=int,
        default=0,
        help="cache entries written before the run (a running site's directory: ~MAX_ENTRIES)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")
    tmp = Path(tempfile.mkdtemp(prefix="foodsafe-public-load-"))
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "FOODSAFE_SECRET_KEY": secrets.token_urlsafe(50),
        "FOODSAFE_DEBUG": "0",
        "FOODSAFE_SECURE_COOKIES": "0",
        "FOODSAFE_VAR_DIR": str(tmp / "var"),
        "FOODSAFE_PUBLIC_VIEWS_PER_MINUTE": "0",
        "FOODSAFE_PUBLIC_POSTS_PER_HOUR": "0",
        "DJANGO_SETTINGS_MODULE": "foodsafe.settings",
    }
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the unmasked secret
    bodies = tmp / "bodies.txt"
    subprocess.run(
        [PYTHON, "-c", PREPARE, csrf, str(bodies), str(args.prepared), str(args.cache_files)],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    threads = 2
    script = tmp / "post.lua"
    script.write_text(LUA % {"bodies": bodies, "threads": threads})
    port = 18000 + secrets.randbelow(1000)
    server = Server(env, port, workers=args.workers)
    try:
        time.sleep(1)
        url = urlsplit(args.database_url)
        sampler = Sampler(url.username or "", url.path.lstrip("/"))
        sampler.start()
        cpu0 = server.cpu_seconds()
        wrk0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{args.users}", f"-d{args.duration}s", "--timeout", "30s",
             "-s", str(script), "-H", f"Cookie: csrftoken={csrf}",
             f"http://127.0.0.1:{port}/public/complaint/"],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        cpu = server.cpu_seconds() - cpu0
        workers, threads_per_worker = workers_of(server)  # gthread starts its threads lazily
        wrk1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        sampler.finish()
    finally:
        server.stop()
    line = next((x for x in out.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        sys.exit(f"cannot read wrk's output:\n{out}")
    r = [int(x) for x in line.split()[1:]]
    requests, errors, ok, other = r[0], sum(r[1:6]), r[10], r[11]
    counted = subprocess.run(
        [PYTHON, "-c", COUNT], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    stored, distinct = int(counted[0]), int(counted[1])
    print(
        f"public complaint form, {args.users} users, {args.duration} s, "
        f"{args.cache_files} cache files at the start, gunicorn on "
        f"{args.database_url.split('@')[-1].split('/')[0] if '@' in args.database_url else args.database_url}"
    )
    print(
        f"requests {requests} ({requests / args.duration:.1f}/s), errors {errors} "
        f"(connect/read/write/status/timeout {r[1:6]})"
    )
    print(
        f"latency p50 {r[6] / 1000:.0f} ms, p95 {r[7] / 1000:.0f} ms, p99 {r[8] / 1000:.0f} ms, "
        f"max {r[9] / 1000:.0f} ms"
    )
    print(f"responses 提交成功 {ok}, other {other}; stored {stored}, distinct keys {distinct}")
    per = 1000 / max(requests, 1)
    wrk_cpu = (wrk1.ru_utime + wrk1.ru_stime) - (wrk0.ru_utime + wrk0.ru_stime)
    database_cpu = sampler.database_cpu()
    print(
        f"CPU per request: server {cpu * per:.1f} ms ({workers} workers, "
        f"{threads_per_worker} OS threads each), PostgreSQL backends {database_cpu * per:.1f} ms, wrk {wrk_cpu * per:.1f} ms; "
        f"the machine's cores busy {sampler.machine_cores_busy():.2f} of {os.cpu_count()} "
        f"(every process); load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    # wrk stops after the duration with up to --users requests in flight: those are stored but
    # their responses are not counted, so ok ≤ stored ≤ ok + users; no key is stored twice.
    once = distinct == stored and ok <= stored <= ok + args.users and other == 0
    print(f"stored exactly once: {'yes' if once else 'NO'} (in flight at the end: {stored - ok})")
    verdict = errors == 0 and r[7] <= 500_000 and once
    print(
        "target (0 errors, p95 ≤ 500 ms, each stored exactly once):",
        "met" if verdict else "NOT met",
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
