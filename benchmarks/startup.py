"""Benchmark: start-up time of Django commands against a bare ``django.setup()``.

Every command, test worker and web worker pays the start-up: the settings, the apps, and
whatever the URL conf and the apps import at load time. This script runs, as separate processes
and in turn (A B C A B C …, so a drift of the machine's speed touches each alike):

- ``bare``: ``python -c "django.setup()"`` with foodsafe's settings, the floor;
- ``check``: ``python manage.py check`` (imports the URL conf and every view);
- ``help``: ``foodsafe help`` (lists the commands: imports every app's command modules' names);

after one warm-up each, and prints each one's median wall time and the median of the per-round
ratios to ``bare``. Target (issue 11): ``check`` and ``help`` ≤ 1.5× ``bare``.

    .venv/bin/python benchmarks/startup.py [--runs 9]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(Path(sys.executable))
FOODSAFE = str(Path(sys.executable).with_name("foodsafe"))
BARE = (
    "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'foodsafe.settings'); "
    "django.setup()"
)
COMMANDS: dict[str, list[str]] = {
    "bare": [PYTHON, "-c", BARE],
    "check": [PYTHON, "manage.py", "check"],
    "help": [FOODSAFE, "help"],
}
TARGET = 1.5


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of ``args`` (exits if it fails).

    CPU time is shown beside wall time because on a shared, busy machine the wall time of a
    one-second process mostly measures the others' load.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "foodsafe.settings",
            "FOODSAFE_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/startup.sqlite3",
            "PYTHONDONTWRITEBYTECODE": "0",
        }
        for args in COMMANDS.values():  # warm-up: byte-code caches, the page cache
            run_once(args, env)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        cpus: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(opts.runs):
            for name, args in COMMANDS.items():
                elapsed, cpu = run_once(args, env)
                times[name].append(elapsed)
                cpus[name].append(cpu)
    print(f"start-up, {opts.runs} rounds in turn; medians, and the median of per-round ratios:")
    for name in COMMANDS:
        ratio = statistics.median(t / b for t, b in zip(times[name], times["bare"], strict=True))
        cpu_ratio = statistics.median(c / b for c, b in zip(cpus[name], cpus["bare"], strict=True))
        verdict = "" if name == "bare" else ("  ok" if ratio <= TARGET else f"  > {TARGET}×")
        print(
            f"  {name:<6} wall {statistics.median(times[name]):6.3f} s "
            f"(min {min(times[name]):.3f}, max {max(times[name]):.3f}) ratio {ratio:5.2f}×"
            f"  cpu {statistics.median(cpus[name]):6.3f} s ratio {cpu_ratio:5.2f}×{verdict}"
        )


if __name__ == "__main__":
    main()
