"""Benchmark: the uncached dashboard against the uncached scorecard page of the same unit.

Issue 11 §4: the dashboard draws the year as of every month end; before, that was one engine
run per month end (12 for a past year), now one pass (``scorecard.months``). For each database
it times, in one process and in turn (so both see the same load), with the scorecard cache
off, through Django's test client (the whole request: middleware, selector, template):

- ``/scorecard/<unit>/2021/`` (the unit and its children in one engine run);
- ``/dashboard/<unit>/2021/`` (the one-pass dashboard);
- ``--old``: the same dashboard page with its engine work done as before: one engine run per
  month end (``evaluate_scorecards`` per as-of date, as main did before this change; the
  selector's one-pass call is swapped for it in this process only, to measure it).

Prints every run, the medians and the ratios dashboard ÷ scorecard (target ≤ 2), of wall time
and of CPU time (this process's: less affected than wall time by other processes on a crowded
machine; the test client runs the request in this process).

    .venv/bin/python benchmarks/dashboard.py [--runs 5] [--old]
        [--example-population 355000] [--city sqlite:////tmp/fsb/10m.sqlite3]

Without ``--city`` only the example district is measured (built into a temporary SQLite
database through the import path, as ``benchmarks/assess.py`` does).
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
PYTHON = ROOT / ".venv" / "bin" / "python"


def build_example(tmp: str, population: int) -> dict[str, str]:
    env = {**os.environ, "FOODSAFE_VAR_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/ex.sqlite3"}
    example = Path(tmp) / "example"
    for step in (
        ["migrate", "--noinput", "-v", "0"],
        ["loadprogramme"],
        ["example-district", "--out", str(example), "--population", str(population)],
        ["import-dir", str(example)],
    ):
        subprocess.run([str(FOODSAFE), *step], env=env, check=True, stdout=subprocess.DEVNULL)
    return env


def measure(runs: int, old: bool) -> None:
    """In the child process: time the pages on the database of the environment."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    from foodsafe.accounts.models import Profile
    from foodsafe.orgunits.models import OrgUnit

    setup_test_environment()
    settings.FOODSAFE_SCORECARD_CACHE_SECONDS = 0
    settings.ALLOWED_HOSTS = ["testserver"]
    user, _ = get_user_model().objects.get_or_create(username="benchmark")
    Profile.objects.get_or_create(user=user, defaults={"role": "office_admin"})
    client = Client()
    client.force_login(user)
    top = (
        "120101000000"
        if OrgUnit.objects.filter(code="120101000000").exists()
        else OrgUnit.objects.filter(code__startswith="9").order_by("level", "code")[0].code
    )
    children = OrgUnit.objects.filter(parent_id=top).count()
    pages = {"scorecard": f"/scorecard/{top}/2021/", "dashboard": f"/dashboard/{top}/2021/"}
    if old:
        pages["dashboard, before"] = f"/dashboard/{top}/2021/?before"

    from foodsafe.dashboard import selectors
    from foodsafe.scorecard.engine import evaluate_scorecards

    one_pass = selectors.cached_months

    def twelve_runs(*, spec, org_units, year, through, last_only=()):  # type: ignore[no-untyped-def]
        """The dashboard's engine work before issue 11 §4: the page's run for the unit and
        its children, and one run per earlier month end for the unit alone."""
        from foodsafe.scorecard.periods import month_ends

        alone = [c for c in org_units if c not in last_only]
        return {
            as_of: evaluate_scorecards(
                spec=spec,
                org_units=org_units if as_of == through else alone,
                period=str(year),
                as_of=as_of,
            )
            for as_of in month_ends(year, through)
        }

    cpu: dict[str, list[float]] = {name: [] for name in pages}

    def once(path: str) -> float:
        selectors.cached_months = twelve_runs if path.endswith("?before") else one_pass  # type: ignore[assignment]
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        used = time.process_time() - start_cpu
        for name, page in pages.items():
            if page == path:
                cpu[name].append(used)
        return time.perf_counter() - start

    for path in pages.values():
        once(path)  # warm-up: imports, the spec, the first connection
    for values in cpu.values():
        values.clear()
    times: dict[str, list[float]] = {name: [] for name in pages}
    for _ in range(runs):
        for name, path in pages.items():
            times[name].append(once(path))
    print(f"unit {top} ({children} child units), {runs} runs each, alternating, cache off")
    print(f"  load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for name, values in times.items():
        shown = " ".join(f"{v:.2f}" for v in values)
        print(
            f"  {name:<28} median {statistics.median(values):6.3f} s   runs: {shown}"
            f"   CPU median {statistics.median(cpu[name]):6.3f} s"
        )
    base = statistics.median(times["scorecard"])
    base_cpu = statistics.median(cpu["scorecard"])
    for name in pages:
        if name != "scorecard":
            print(
                f"  ratio {name} ÷ scorecard: {statistics.median(times[name]) / base:.2f}"
                f" (CPU time: {statistics.median(cpu[name]) / base_cpu:.2f})"
            )
    if old:
        before = statistics.median(times["dashboard, before"])
        print(f"  dashboard before ÷ after: {before / statistics.median(times['dashboard']):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old", action="store_true", help="also time the 12-run dashboard")
    parser.add_argument("--example-population", type=int, default=355000)
    parser.add_argument("--city", default=None, help="DATABASE_URL of a generated city")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.measure:
        measure(opts.runs, opts.old)
        return
    child = [str(PYTHON), __file__, "--measure", "--runs", str(opts.runs)]
    child += ["--old"] if opts.old else []
    with tempfile.TemporaryDirectory() as tmp:
        print(f"== example district ({opts.example_population:,} residents), SQLite", flush=True)
        env = build_example(tmp, opts.example_population)
        subprocess.run(child, env=env, check=True, cwd=ROOT)
        if opts.city:
            print(f"== generated city: {opts.city}", flush=True)
            city_env = {**env, "DATABASE_URL": opts.city}
            subprocess.run(child, env=city_env, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
