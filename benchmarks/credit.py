"""Benchmark: refreshing every credit file and class of a synthetic city, and the incremental
refresh after one day's imports (issue 14).

Builds the synthetic jurisdiction (``foodsafe generate``) into a fresh SQLite database (or
reuses one from ``benchmarks/riskgrading.py`` with ``--reuse``), then times, in a child process
on that database:

- ``credit_files_refresh()``, first run (every file created) and again (nothing changed);
- ``credit_grades_assess`` for 2021-10 (every operating operator classed);
- one day's imports: the city's average day of inspections, failed sampling batches, cases and
  complaints (a 250th of its 2021 rows of each), written with their history rows as the import
  path writes them, then ``credit_files_refresh(since=…)``.

Target (issue 14): the whole refresh (files + classes) ≤ 120 s, the incremental ≤ 5 s on
SQLite at 10 M residents. Prints wall and CPU time per step (SQLite runs in this process, so CPU
time is the work done whatever else loads the machine); figures go in docs/credit.md.

    .venv/bin/python benchmarks/credit.py [--population 10000000] [--dir /tmp/fsb-credit]
        [--reuse]
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
        subprocess.run([str(FOODSAFE), "migrate", "--noinput", "-v", "0"], env=env, check=True)
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


def _timed(name: str, step):  # type: ignore[no-untyped-def]
    started, cpu = time.perf_counter(), time.process_time()
    result = step()
    print(
        f"{name:34s} {time.perf_counter() - started:7.1f} s wall "
        f"{time.process_time() - cpu:7.1f} s CPU  {result}"
    )
    return result


def one_day(day) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Write a 250th of the 2021 rows of each credit-relevant ledger, dated ``day``, with
    history rows (as an import writes them); returns rows written per ledger."""
    import random

    from simple_history.utils import bulk_create_with_history

    from foodsafe.complaints.models import Complaint
    from foodsafe.enforcement.models import Case
    from foodsafe.inspections.models import Inspection
    from foodsafe.registry.models import FoodBusiness
    from foodsafe.sampling.models import SamplingBatch

    rng = random.Random(14)
    ids = list(FoodBusiness.objects.filter(status="active").values_list("id", "org_unit_id"))
    written: dict[str, int] = {}

    def sample(model, date_field):  # type: ignore[no-untyped-def]
        n = model.objects.filter(**{f"{date_field}__year": 2021}).count() // 250
        return [rng.choice(ids) for _ in range(max(n, 1))]

    rows = [
        Inspection(
            inspection_number=f"BENCH-JC-{i}", business_id=bid, inspected_on=day,
            inspection_type="routine", result=rng.choice(["compliant", "rectify", "noncompliant"]),
        )
        for i, (bid, _u) in enumerate(sample(Inspection, "inspected_on"))
    ]  # fmt: skip
    written["inspections"] = len(bulk_create_with_history(rows, Inspection, batch_size=2000))
    rows = [
        SamplingBatch(
            sample_number=f"BENCH-DC-{i}", sampled_on=day, org_unit_id=unit, business_id=bid,
            sampling_type="surveillance", stage="circulation", business_format="supermarket",
            food_category="蔬菜", conclusion=rng.choice(["conforming"] * 9 + ["nonconforming"]),
        )
        for i, (bid, unit) in enumerate(sample(SamplingBatch, "sampled_on"))
    ]  # fmt: skip
    written["sampling"] = len(bulk_create_with_history(rows, SamplingBatch, batch_size=2000))
    rows = [
        Case(
            case_number=f"BENCH-AJ-{i}", org_unit_id=unit, business_id=bid,
            lead_received_on=day, filed_on=day,
        )
        for i, (bid, unit) in enumerate(sample(Case, "lead_received_on"))
    ]  # fmt: skip
    written["cases"] = len(bulk_create_with_history(rows, Case, batch_size=2000))
    rows = [
        Complaint(
            complaint_number=f"BENCH-TS-{i}", kind="complaint", org_unit_id=unit,
            business_id=bid, received_on=day, decision="accepted", decided_on=day,
            acceptance_due_on=day,
        )
        for i, (bid, unit) in enumerate(sample(Complaint, "received_on"))
    ]  # fmt: skip
    written["complaints"] = len(bulk_create_with_history(rows, Complaint, batch_size=2000))
    return written


def forget_earlier_day() -> int:
    """Remove the rows an earlier run's :func:`one_day` wrote (numbers ``BENCH-…``) and their
    history rows, so ``--reuse`` can run again on the same database (the second run stopped at
    a duplicate inspection number). Raw deletes: nothing refers to these rows, and a
    ``QuerySet.delete()`` would write a history row for each. Returns rows removed."""
    from foodsafe.complaints.models import Complaint
    from foodsafe.enforcement.models import Case
    from foodsafe.inspections.models import Inspection
    from foodsafe.sampling.models import SamplingBatch

    removed = 0
    for model, number in (
        (Inspection, "inspection_number"),
        (SamplingBatch, "sample_number"),
        (Case, "case_number"),
        (Complaint, "complaint_number"),
    ):
        for rows in (model.objects, model.history):  # type: ignore[attr-defined]
            qs = rows.filter(**{f"{number}__startswith": "BENCH-"})
            removed += qs._raw_delete(qs.db)
    return removed


def measure() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    from datetime import date

    from django.db.models import Count
    from django.utils import timezone

    from foodsafe.credit.in_force import credit_spec
    from foodsafe.credit.models import CreditEntry, CreditGrade
    from foodsafe.credit.refresh import credit_files_refresh
    from foodsafe.credit.services import credit_grades_assess
    from foodsafe.registry.models import FoodBusiness

    spec = credit_spec()
    removed = forget_earlier_day()
    if removed:
        print(f"removed {removed:,} rows of an earlier run's day (--reuse)")
    print(f"businesses {FoodBusiness.objects.count():,}")
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    total = time.perf_counter()
    _timed("refresh every file (first)", credit_files_refresh)
    print(f"  entries {CreditEntry.objects.count():,}")
    _timed(
        "class every operator 2021-10",
        lambda: credit_grades_assess(month=date(2021, 10, 1), spec=spec, actor=None).by_level,
    )
    print(f"files + classes (first) {time.perf_counter() - total:.1f} s")
    _timed("refresh every file (no change)", credit_files_refresh)
    since = timezone.now()
    written = _timed("one day's rows with history", lambda: one_day(date(2021, 10, 15)))
    assert sum(written.values()) > 0
    _timed("incremental refresh since", lambda: credit_files_refresh(since=since))
    levels = dict(
        CreditGrade.objects.values_list("level").annotate(n=Count("id")).order_by("level")
    )
    print("classes 2021-10", levels)
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--population", type=int, default=10_000_000)
    parser.add_argument("--dir", default=str(Path(tempfile.gettempdir()) / "fsb-credit"))
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure()
        return
    env = build(Path(args.dir), args.population, args.reuse)
    subprocess.run([str(PYTHON), __file__, "--measure"], env=env, check=True)


if __name__ == "__main__":
    main()
