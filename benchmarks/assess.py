"""Benchmark: wall time and peak memory of ``foodsafe assess`` on the example district.

Builds a fresh SQLite database in a temporary directory (migrate, load the programme, generate
the example district, import it through the real import path), then runs
``foodsafe assess --org 120101000000 --period 2021 --format json`` N times (default 5) as
separate processes and prints each run's wall time and peak resident memory (from ``wait4``),
with the median. It also times the engine alone, in-process, for the district and for each
subdistrict.

    .venv/bin/python benchmarks/assess.py [--runs 5] [--population 355000]
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
FOODSAFE = ROOT / ".venv" / "bin" / "foodsafe"


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak RSS in MiB) of that child alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, usage.ru_maxrss // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--population", type=int, default=355000)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "FOODSAFE_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3"}
        example = Path(tmp) / "example"
        setup = [
            ["migrate", "--noinput", "-v", "0"],
            ["loadprogramme"],
            ["example-district", "--out", str(example), "--population", str(opts.population)],
            ["import-dir", str(example)],
        ]
        for step in setup:
            wall, rss = run([str(FOODSAFE), *step], env)
            print(f"setup {step[0]:<17} {wall:7.2f} s  {rss:5d} MiB")
        walls, rsss = [], []
        cmd = [str(FOODSAFE), "assess", "--org", "120101000000", "--period", "2021", "--format", "json"]
        for i in range(opts.runs):
            wall, rss = run(cmd, env)
            walls.append(wall)
            rsss.append(rss)
            print(f"assess run {i + 1}: {wall:6.3f} s  peak {rss} MiB")
        print(
            f"assess (whole process) median of {opts.runs}: {statistics.median(walls):.3f} s, "
            f"peak memory median {statistics.median(rsss):.0f} MiB"
        )
        # The engine alone, in-process, district and subdistricts.
        code = (
            "import statistics, time, django, os;"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE','foodsafe.settings'); django.setup();"
            "from foodsafe.scorecard.engine import evaluate_scorecard, default_spec, child_units;"
            "spec = default_spec(); evaluate_scorecard(spec=spec, org_unit='120101000000', period='2021');"
            f"runs = {opts.runs}; t = [];"
            "exec('for _ in range(runs):\\n s=time.perf_counter(); evaluate_scorecard(spec=spec, org_unit=\"120101000000\", period=\"2021\"); t.append(time.perf_counter()-s)');"
            "units = child_units('120101000000'); s=time.perf_counter();"
            "[evaluate_scorecard(spec=spec, org_unit=u.code, period='2021') for u in units];"
            "sub = time.perf_counter()-s;"
            "print(f'engine only, district, median of {runs}: {statistics.median(t)*1000:.1f} ms; "
            "all {len(units)} subdistricts once: {sub*1000:.1f} ms')"
        )
        subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code], env=env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
