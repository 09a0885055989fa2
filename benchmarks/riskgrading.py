"""Benchmark: grading every operator of a synthetic city, and the year-end adjustment (issue 12).

Builds the synthetic jurisdiction (``foodsafe generate``: businesses, inspections with their
checklists, static factors, sampling, cases) into a fresh SQLite database, then times, in a
child process on that database:

- ``gradings_assess`` for 2021 (static + dynamic → A–D for every operating business);
- ``gradings_confirm_all`` of the grades (writes the registry's grade ledger, with history);
- ``adjustments_propose`` for 2021 (第二十八条/第三十条 cases from the ledgers of 2019–2021);
- the 2021 scorecard's item 5 risk-grading indicators for the whole city.

With ``--warm`` the static scores are cached first (``StaticFactors.score`` under the scheme in
force, as a record saved through the page carries it) by grading 2020, timed apart; without it
the 2021 grading scores every record and writes the cache back (the first grading after the
generator or a scheme change).

Target (issue 12): grading ≤ 60 s and the adjustment ≤ 60 s on SQLite at 10 M residents.
Prints wall and CPU time per step (SQLite runs in this process, so CPU time is the work done
whatever else loads the machine), rows and the process's peak memory; figures go in
docs/risk-grading.md.

    .venv/bin/python benchmarks/riskgrading.py [--population 10000000] [--dir /tmp/fsb-risk]
        [--reuse] [--warm]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOODSAFE = ROOT / ".venv" / "bin" / "foodsafe"
PYTHON = ROOT / ".venv" / "bin" / "python"


def build(directory: Path, population: int, reuse: bool) -> dict[str, str]:
    db = directory / f"city-{population}.sqlite3"
    env = {**os.environ, "FOODSAFE_VAR_DIR": str(directory), "DATABASE_URL": f"sqlite:///{db}"}
    if reuse and db.exists():
        # A database kept from an older main lacks the newer columns: migrate it (a no-op
        # when it is current) rather than fail on them.
        subprocess.run(
            [str(FOODSAFE), "migrate", "--noinput", "-v", "0"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return env
    directory.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    for step in (
        ["migrate", "--noinput", "-v", "0"],
        ["generate", "--population", str(population), "--seed", "1"],
    ):
        subprocess.run([str(FOODSAFE), *step], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"generated {population:,} residents in {time.perf_counter() - started:.0f} s")
    return env


def measure(warm: bool) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from foodsafe.orgunits.models import OrgUnit
    from foodsafe.programme.in_force import programme_spec
    from foodsafe.registry.models import FoodBusiness, RiskGrade
    from foodsafe.riskgrading.adjustment import adjustments_propose
    from foodsafe.riskgrading.grading import gradings_assess
    from foodsafe.riskgrading.in_force import grading_spec
    from foodsafe.riskgrading.models import Checklist, Grading, StaticFactors
    from foodsafe.riskgrading.services import gradings_confirm_all
    from foodsafe.scorecard.engine import evaluate_scorecard

    actor, _ = get_user_model().objects.get_or_create(username="benchmark")
    spec = grading_spec()
    print(
        f"businesses {FoodBusiness.objects.count():,}, static records "
        f"{StaticFactors.objects.count():,}, checklists {Checklist.objects.count():,}"
    )
    steps = [
        *(
            [("prime: grade 2020", lambda: gradings_assess(spec=spec, year=2020, actor=actor))]
            if warm
            else []
        ),
        ("grade (assess)", lambda: gradings_assess(spec=spec, year=2021, actor=actor)),
        (
            "confirm all",
            lambda: gradings_confirm_all(spec=spec, year=2021, part="grade", actor=actor),
        ),
        ("year-end adjustment", lambda: adjustments_propose(spec=spec, year=2021, actor=actor)),
    ]
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, step in steps:
        started, cpu = time.perf_counter(), time.process_time()
        run = step()
        print(
            f"{name:22s} {time.perf_counter() - started:7.1f} s wall "
            f"{time.process_time() - cpu:7.1f} s CPU  rows {run.rows:,}"
        )
    grades = dict(
        Grading.objects.filter(year=2021)
        .values("score_grade")
        .annotate(n=Count("id"))
        .values_list("score_grade", "n")
    )
    print("score grades", dict(sorted(grades.items())), "ledger rows", RiskGrade.objects.count())
    top = OrgUnit.objects.filter(code__startswith="9").order_by("level", "code")[0].code
    programme = programme_spec()
    narrowed = programme.model_copy(
        update={
            "indicators": [
                programme.indicator("risk_grading_coverage"),
                programme.indicator("graded_inspection_frequency"),
            ],
            "vetoes": [],
        }
    )
    started = time.perf_counter()
    card = evaluate_scorecard(spec=narrowed, org_unit=top, period="2021")
    seconds = time.perf_counter() - started
    for ind in card.indicators:
        print(f"{ind.code}: {ind.numerator}/{ind.denominator} = {ind.value} ({ind.status.value})")
    print(f"scorecard, 2 indicators {seconds:.1f} s")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=10_000_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "fsb-risk"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--warm", action="store_true", help="cache the static scores first")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.warm)
        return
    env = build(Path(args.dir), args.population, args.reuse)
    extra = ["--warm"] if args.warm else []
    subprocess.run([str(PYTHON), __file__, "--measure", *extra], env=env, check=True)


if __name__ == "__main__":
    main()
