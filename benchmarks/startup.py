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


def wall(args: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one run of ``args`` (exits the script if it fails)."""
    start = time.perf_counter()
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(args)}\n{done.stderr}")
    return elapsed


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
            wall(args, env)
        times: dict[str, list[float]] = {name: [] for name in COMMANDS}
        for _ in range(opts.runs):
            for name, args in COMMANDS.items():
                times[name].append(wall(args, env))
    print(f"start-up, {opts.runs} rounds in turn, median wall time and median ratio to bare:")
    for name in COMMANDS:
        ratios = [t / b for t, b in zip(times[name], times["bare"], strict=True)]
        ratio = statistics.median(ratios)
        verdict = "" if name == "bare" else ("  ok" if ratio <= TARGET else f"  > {TARGET}×")
        print(
            f"  {name:<6} {statistics.median(times[name]):6.3f} s  "
            f"(min {min(times[name]):.3f}, max {max(times[name]):.3f})  "
            f"ratio {ratio:5.2f}×{verdict}"
        )


if __name__ == "__main__":
    main()
