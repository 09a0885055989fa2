"""Benchmark: the yearly sampling plan and its progress for a synthetic city (issue 15).

Builds the synthetic jurisdiction (``foodsafe generate``) into a fresh SQLite database (or uses
``--db``, a copy of one already generated, migrated first), then times in a child process:

- generating the city's 2021 plan (population, registry cells with grades, 2020 failures,
  allocation; ``plan_preview``) and saving it (``plan_save``);
- progress of the city's plan on 2021-12-31 (by month, cell, category; ``plan_progress``);
- progress of every unit: the city's districts, and each district's subdistricts against its
  own plan share (``units_progress`` for the city and for every district).

Targets (issue 15): the plan ≤ 10 s and progress for every unit ≤ 2 s at 10 M residents.
Prints wall and CPU time per step; figures go in docs/sampling-plan.md.

    .venv/bin/python benchmarks/sampling_plan.py [--population 10000000] [--dir /tmp/fsb-samp]
        [--reuse] [--db FILE]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOODSAFE = ROOT / ".venv" / "bin" / "foodsafe"
PYTHON = ROOT / ".venv" / "bin" / "python"


def build(directory: Path, population: int, reuse: bool, source: str | None) -> dict[str, str]:
    db = directory / f"city-{population}.sqlite3"
    env = {**os.environ, "FOODSAFE_VAR_DIR": str(directory), "DATABASE_URL": f"sqlite:///{db}"}
    if reuse and db.exists():
        return env
    directory.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    if source:
        shutil.copyfile(source, db)
        steps = [["migrate", "--noinput", "-v", "0"]]
    else:
        steps = [
            ["migrate", "--noinput", "-v", "0"],
            ["generate", "--population", str(population), "--seed", "1"],
        ]
    for step in steps:
        subprocess.run([str(FOODSAFE), *step], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"database ready in {time.perf_counter() - started:.0f} s")
    return env


def _timed(name: str, step):  # noqa: ANN001, ANN202
    started, cpu = time.perf_counter(), time.process_time()
    result = step()
    print(
        f"{name:34s} {time.perf_counter() - started:7.2f} s wall "
        f"{time.process_time() - cpu:7.2f} s CPU"
    )
    return result


def measure() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from foodsafe.orgunits.models import OrgUnit
    from foodsafe.registry.models import FoodBusiness
    from foodsafe.sampling.models import SamplingBatch
    from foodsafe.samplingplan.in_force import sampling_plan_spec
    from foodsafe.samplingplan.selectors import plan_progress, plan_totals, units_progress
    from foodsafe.samplingplan.services import plan_preview, plan_save

    spec = sampling_plan_spec()
    city = OrgUnit.objects.order_by("level", "code")[0]
    print(
        f"city {city.code} {city.name}: businesses {FoodBusiness.objects.count():,}, "
        f"batches {SamplingBatch.objects.count():,}"
    )
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    preview = _timed(
        "generate plan 2021 (preview)",
        lambda: plan_preview(spec=spec, org_code=city.code, year=2021),
    )
    plan = _timed("save plan", lambda: plan_save(spec=spec, preview=preview, actor=None))
    t = plan_totals(plan)
    print(
        f"plan: {t.batches:,} batches ({t.per_thousand}/1,000), residue {t.residue_batches:,} "
        f"({t.residue_per_thousand}/1,000), cells {t.cells_covered}/{t.cells}, "
        f"{plan.lines.count():,} lines"
    )
    on = date(2021, 12, 31)
    progress = _timed(
        "progress of the city's plan", lambda: plan_progress(plan=plan, spec=spec, on=on)
    )
    print(
        f"done {progress.done:,} of {progress.planned:,}; 均衡推进 {progress.balance_share}%; "
        f"forecast {progress.forecast}"
    )
    districts = list(OrgUnit.objects.filter(parent=city).order_by("code"))

    def every_unit() -> int:
        # The districts and every district's subdistricts against their population share of
        # the city's plan ([I]: one plan for the city), in one call.
        rows = units_progress(
            plan=plan, spec=spec, on=on, parents=[city.code, *(d.code for d in districts)]
        )
        return len(rows)

    units = _timed(f"progress of every unit ({len(districts)} districts)", every_unit)
    print(f"unit rows {units:,}")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=10_000_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "fsb-samp"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--db", default=None, help="start from a copy of this generated database")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    env = build(Path(args.dir), args.population, args.reuse, args.db)
    subprocess.run([str(PYTHON), __file__, "--measure"], env=env, check=True)


if __name__ == "__main__":
    main()
