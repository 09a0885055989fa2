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
    parser.add_argument("--engine-only", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.engine_only:
        engine_only(opts.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "FOODSAFE_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
        }
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
        cmd = [
            str(FOODSAFE),
            "assess",
            "--org",
            "120101000000",
            "--period",
            "2021",
            "--format",
            "json",
        ]
        for i in range(opts.runs):
            wall, rss = run(cmd, env)
            walls.append(wall)
            rsss.append(rss)
            print(f"assess run {i + 1}: {wall:6.3f} s  peak {rss} MiB")
        print(
            f"assess (whole process) median of {opts.runs}: {statistics.median(walls):.3f} s, "
            f"peak memory median {statistics.median(rsss):.0f} MiB"
        )
        # The engine alone, in-process, on the same database.
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "python"),
                __file__,
                "--engine-only",
                "--runs",
                str(opts.runs),
            ],
            env=env,
            check=True,
            cwd=ROOT,
        )


def engine_only(runs: int) -> None:
    """Time ``evaluate_scorecard`` in this process (Django already configured by the env)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from foodsafe.orgunits.selectors import child_units
    from foodsafe.programme.in_force import programme_spec
    from foodsafe.scorecard.engine import evaluate_scorecard, evaluate_scorecards

    spec = programme_spec()
    evaluate_scorecard(spec=spec, org_unit="120101000000", period="2021")  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate_scorecard(spec=spec, org_unit="120101000000", period="2021")
        times.append(time.perf_counter() - start)
    codes = ["120101000000", *(u.code for u in child_units("120101000000"))]
    together = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate_scorecards(spec=spec, org_units=codes, period="2021")
        together.append(time.perf_counter() - start)
    print(
        f"engine only, district, median of {runs}: {statistics.median(times) * 1000:.1f} ms; "
        f"district and its {len(codes) - 1} subdistricts in one call, median: "
        f"{statistics.median(together) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
