"""Benchmark: the full 2021 scorecard of a synthetic jurisdiction and every unit below it.

For each size (default 0.35 M, 10 M and 50 M residents: a district, a city of 16 districts, a
province) it generates the jurisdiction (``foodsafe generate``, seed 1) into a fresh SQLite
database and a fresh PostgreSQL database, exports it to Parquet, then times, each in its own
child process:

- the engine (``evaluate_scorecards``) for the top unit and every unit below it, all levels in
  one call, on **SQLite**, **PostgreSQL** and **DuckDB over the Parquet files**, through the same
  Ibis metric definitions: one warm-up run, then the median of RUNS (default 5);
- the **floor**: one DuckDB statement over the Parquet files that reads every column the metrics
  read, once (``count(*)`` and ``sum(hash(columns…))`` per table). The columns are found from the
  engine's own SQL (sqlglot: qualify, push projections down, collect base-table columns);
- a **pandas** baseline, written the way an analyst would (``read_parquet`` whole tables, a
  ``groupby`` per level) for three headline metrics: sampling batches per 1,000 residents,
  evaluation-sampling pass rate and on-time complaint rate. Its numerators and denominators are
  checked against the engine's for every unit.

"rows read" is the sum of the row counts of the tables the metrics read. "peak" is the child's
``ru_maxrss`` (``os.wait4``): Django, Ibis and the results included; for PostgreSQL the server's
own memory is not in it. "× floor" is the median over the floor's median, measured in the same
run. At the end it fits the exponent k of time ∝ rows^k (least squares on logs) per backend.

PostgreSQL: ``--pg-url postgres://user:pass@host/db`` (a role that may create databases), or by
default the local cluster 15/main is started (``pg_ctlcluster``) and a throwaway role with a
random password is created through ``runuser -u postgres`` (root only). Databases are named
``foodsafe_bench_<size>`` and dropped afterwards unless ``--keep``.

    .venv/bin/python benchmarks/scorecard.py [--sizes 0.35,10,50] [--runs 5] [--backends …]
        [--workdir DIR --keep]  # keep and reuse generated data between runs
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
FOODSAFE = str(Path(PYTHON).with_name("foodsafe"))
SEED = 1
PERIOD = "2021"
BACKENDS = ("sqlite", "postgres", "duckdb")
LEVEL_WIDTHS = (2, 2, 2, 3, 3)  # statistical division code: province, city, county, township…


# -- the parent: data, children, table ------------------------------------------------------------
def run_child(args: list[str], env: dict[str, str]) -> tuple[dict[str, Any], int]:
    """Run this script as a child; return (its JSON result, its peak RSS in MiB)."""
    proc = subprocess.Popen(
        [PYTHON, __file__, *args], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"child failed: {' '.join(args)}")
    return json.loads(out.strip().splitlines()[-1]), usage.ru_maxrss // 1024


def run_step(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - start, done.stdout


class Postgres:
    """A PostgreSQL server to create one database per size on."""

    def __init__(self, url: str | None) -> None:
        if url is None:
            url = self._local_cluster()
        self.url = url

    @staticmethod
    def _local_cluster() -> str:
        if os.geteuid() != 0:
            sys.exit("PostgreSQL: pass --pg-url (starting the local cluster needs root)")
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True)
        for _ in range(30):
            if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
                break
            time.sleep(1)
        password = secrets.token_hex(16)
        sql = (
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'foodsafe_bench') "
            "THEN CREATE ROLE foodsafe_bench LOGIN CREATEDB; END IF; END $$;\n"
            f"ALTER ROLE foodsafe_bench PASSWORD '{password}';\n"
        )
        subprocess.run(
            ["runuser", "-u", "postgres", "--", "psql", "-q", "-v", "ON_ERROR_STOP=1"],
            input=sql,
            text=True,
            check=True,
            capture_output=True,
        )
        return f"postgres://foodsafe_bench:{password}@127.0.0.1:5432/postgres"

    def db_url(self, name: str) -> str:
        return self.url.rsplit("/", 1)[0] + "/" + name

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(sql)

    def exists(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as con:
            row = con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        return row is not None

    def create(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}"')
        self._admin(f'CREATE DATABASE "{name}"')

    def drop(self, name: str) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{name}"')


def size_tag(millions: float) -> str:
    """``0_35m`` for file and database names (``0.35M`` is the label)."""
    return f"{millions:g}".replace(".", "_") + "m"


def prepare(millions: float, work: Path, pg: Postgres | None, reuse: bool) -> dict[str, Any]:
    """Generate the jurisdiction into SQLite (+ Parquet) and PostgreSQL; return what it knows."""
    tag = size_tag(millions)
    population = round(millions * 1_000_000)
    marker = work / f"{tag}.json"
    info: dict[str, Any] = json.loads(marker.read_text()) if reuse and marker.exists() else {}
    base = {**os.environ, "FOODSAFE_VAR_DIR": str(work)}
    sqlite_url = f"sqlite:///{work}/{tag}.sqlite3"
    parquet = work / f"parquet-{tag}"
    gen = ["generate", "--population", str(population), "--seed", str(SEED)]
    if "code" not in info:
        for leftover in (work / f"{tag}.sqlite3", parquet):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            elif leftover.exists():
                leftover.unlink()
        env = {**base, "DATABASE_URL": sqlite_url}
        migrate, _ = run_step([FOODSAFE, "migrate", "--noinput", "-v", "0"], env)
        secs, out = run_step([FOODSAFE, *gen, "--parquet", str(parquet)], env)
        found = re.search(r"（合成） (\d{12}) \[(\w+)\].*: (\d+) rows", out)
        if not found:
            sys.exit(f"cannot read the generate summary:\n{out}")
        info = {"code": found[1], "shape": found[2], "rows": int(found[3])}
        info["setup"] = {"sqlite migrate": migrate, "sqlite generate + parquet": secs}
        marker.write_text(json.dumps(info))
    if pg is not None:
        db = f"foodsafe_bench_{tag}"
        if "postgres" not in info.get("setup_done", []) or not pg.exists(db):
            pg.create(db)
            env = {**base, "DATABASE_URL": pg.db_url(db)}
            migrate, _ = run_step([FOODSAFE, "migrate", "--noinput", "-v", "0"], env)
            secs, _ = run_step([FOODSAFE, *gen], env)  # COPY, then ANALYZE per table
            info["setup"].update({"postgres migrate": migrate, "postgres generate": secs})
            info["setup_done"] = [*info.get("setup_done", []), "postgres"]
            marker.write_text(json.dumps(info))
        info["pg_url"] = pg.db_url(db)
    info.update(
        tag=tag,
        label=f"{millions:g}M",
        population=population,
        sqlite_url=sqlite_url,
        parquet=str(parquet),
    )
    return info


def measure_size(info: dict[str, Any], opts: argparse.Namespace, work: Path) -> list[dict]:
    """Every child for one size; returns one result row per line of the table."""
    base = {**os.environ, "FOODSAFE_VAR_DIR": str(work), "DATABASE_URL": info["sqlite_url"]}
    common = ["--top", info["code"], "--parquet", info["parquet"], "--runs", str(opts.runs)]
    dump = work / f"{info['tag']}-engine.json"
    floor, floor_rss = run_child(["--child", "floor", *common], base)
    rows = []
    for backend in opts.backends:
        if backend == "postgres" and "pg_url" not in info:
            continue
        env = {**base, "DATABASE_URL": info["pg_url"]} if backend == "postgres" else base
        extra = ["--dump", str(dump)] if backend == "duckdb" else []
        result, rss = run_child(["--child", "engine", "--backend", backend, *common, *extra], env)
        rows.append({"what": backend, **result, "peak": rss})
    pandas, pandas_rss = run_child(["--child", "pandas", *common, "--dump", str(dump)], base)
    rows.append({"what": "pandas (3 metrics)", **pandas, "peak": pandas_rss})
    rows.append({"what": "floor (DuckDB, 1 pass)", **floor, "peak": floor_rss})
    for row in rows:
        row.update(size=info["label"], population=info["population"], rows_read=floor["rows_read"])
        row["ratio"] = row["median"] / floor["median"]
    return rows


def fit_exponent(points: list[tuple[int, float]]) -> float | None:
    """k in time ∝ rows^k by least squares on logs; None with fewer than two sizes."""
    if len({r for r, _ in points}) < 2:
        return None
    xs = [math.log(r) for r, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )


def print_table(rows: list[dict]) -> None:
    head = (
        f"{'size':>6} {'units':>5} {'rows read':>10}  {'backend':<24} {'first s':>8} "
        f"{'median s':>9} {'peak MiB':>9} {'× floor':>8}"
    )
    print(head)
    print("-" * len(head))
    for r in rows:
        units = r.get("units", "")
        print(
            f"{r['size']:>6} {units:>5} {r['rows_read']:>10,}  {r['what']:<24} "
            f"{r['first']:8.2f} {r['median']:9.3f} {r['peak']:9,} {r['ratio']:8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="0.35,10,50", help="millions of residents")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--pg-url", default=None, help="postgres://… of a role with CREATEDB")
    parser.add_argument("--workdir", default=None, help="keep generated data here (reused)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    parser.add_argument("--json", default=None, help="also write the rows to this file")
    parser.add_argument("--child", choices=("engine", "floor", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--backend", help=argparse.SUPPRESS)
    parser.add_argument("--top", help=argparse.SUPPRESS)
    parser.add_argument("--parquet", help=argparse.SUPPRESS)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.child:
        result = {"engine": child_engine, "floor": child_floor, "pandas": child_pandas}[opts.child](
            opts
        )
        print(json.dumps(result))
        return
    opts.backends = [b for b in opts.backends.split(",") if b]
    unknown = set(opts.backends) - set(BACKENDS)
    if unknown:
        parser.error(f"unknown backends {sorted(unknown)}")
    sizes = [float(s) for s in opts.sizes.split(",") if s]
    work = Path(opts.workdir) if opts.workdir else Path(tempfile.mkdtemp(prefix="fs-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    pg = Postgres(opts.pg_url) if "postgres" in opts.backends else None
    rows: list[dict] = []
    try:
        for millions in sizes:
            info = prepare(millions, work, pg, reuse=opts.workdir is not None)
            setup = ", ".join(f"{k} {v:.1f} s" for k, v in info["setup"].items())
            print(
                f"# {info['label']}: {info['code']} [{info['shape']}] {info['rows']:,} rows; {setup}",
                flush=True,
            )
            rows.extend(measure_size(info, opts, work))
            sys.stdout.flush()
    finally:
        if pg is not None and not opts.keep:
            for millions in sizes:
                pg.drop(f"foodsafe_bench_{size_tag(millions)}")
        if not opts.workdir:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print_table(rows)
    print()
    for what in dict.fromkeys(r["what"] for r in rows):
        points = [(r["rows_read"], r["median"]) for r in rows if r["what"] == what]
        k = fit_exponent(points)
        if k is not None:
            print(f"exponent of time vs rows read, {what}: {k:.2f}")
    checks = [r for r in rows if "mismatches" in r]
    for r in checks:
        print(
            f"pandas vs engine ({r['size']}): {r['compared']} unit × metric values compared, "
            f"{r['mismatches']} mismatches"
        )
    if opts.json:
        Path(opts.json).write_text(json.dumps(rows, indent=1, ensure_ascii=False))


# -- the children -----------------------------------------------------------------------------------
def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _units(top: str) -> list[str]:
    """The top unit and every unit below it, top-down."""
    from foodsafe.orgunits.models import OrgUnit, subtree_prefix

    below = OrgUnit.objects.filter(code__startswith=subtree_prefix(top)).exclude(code=top)
    return [top, *below.order_by("level", "code").values_list("code", flat=True)]


def _timed(runs: int, fn: Any) -> dict[str, Any]:
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return {"first": first, "median": statistics.median(times), "times": times}


HEADLINE = ("sampling_per_thousand", "evaluation_pass_rate", "complaint_on_time_rate")


def child_engine(opts: argparse.Namespace) -> dict[str, Any]:
    _django()
    from foodsafe.programme.in_force import programme_spec
    from foodsafe.scorecard.engine import evaluate_scorecards
    from foodsafe.synthetic.parquet import duckdb_backend

    spec = programme_spec()
    codes = _units(opts.top)
    backend = duckdb_backend(opts.parquet) if opts.backend == "duckdb" else None
    cards: list = []

    def once() -> None:
        cards[:] = evaluate_scorecards(spec=spec, org_units=codes, period=PERIOD, backend=backend)

    result = _timed(opts.runs, once)
    if opts.dump:
        values = {
            card.org_unit.code: {
                i.code: [str(i.numerator), str(i.denominator)]
                for i in card.indicators
                if i.code in HEADLINE
            }
            for card in cards
        }
        Path(opts.dump).write_text(json.dumps(values))
    return {**result, "units": len(codes)}


def used_columns(parquet: str, top: str) -> dict[str, list[str]]:
    """Every column of every table that the engine's SQL reads (for one unit; the same SQL
    shape serves any number of units)."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.optimizer.pushdown_projections import pushdown_projections
    from sqlglot.optimizer.qualify import qualify
    from sqlglot.optimizer.scope import traverse_scope

    from foodsafe.programme.in_force import programme_spec
    from foodsafe.scorecard.engine import evaluate_scorecards
    from foodsafe.synthetic.parquet import duckdb_backend

    backend = duckdb_backend(parquet)
    sqls: list[str] = []

    class Recording:
        def __getattr__(self, name: str) -> Any:
            return getattr(backend, name)

        def execute(self, expr: Any, **kwargs: Any) -> Any:
            sqls.append(str(backend.compile(expr)))
            return backend.execute(expr, **kwargs)

    evaluate_scorecards(spec=programme_spec(), org_units=[top], period=PERIOD, backend=Recording())
    schema = {
        p.stem: {name: "VARCHAR" for name in _parquet_columns(p)}
        for p in Path(parquet).glob("*.parquet")
    }
    used: dict[str, set[str]] = {}
    for sql in sqls:
        tree = qualify(sqlglot.parse_one(sql, read="duckdb"), schema=schema, dialect="duckdb")
        for scope in traverse_scope(pushdown_projections(tree)):
            for column in scope.columns:
                source = scope.sources.get(column.table)
                if isinstance(source, exp.Table):
                    used.setdefault(source.name, set()).add(column.name)
    return {table: sorted(columns) for table, columns in sorted(used.items())}


def _parquet_columns(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return list(pq.read_schema(path).names)


def child_floor(opts: argparse.Namespace) -> dict[str, Any]:
    """One DuckDB statement reading every used column of every used table once."""
    _django()
    import duckdb

    used = used_columns(opts.parquet, opts.top)
    parts = []
    for table, columns in used.items():
        path = str(Path(opts.parquet) / f"{table}.parquet").replace("'", "''")
        cols = ", ".join(f'"{c}"' for c in columns)
        parts.append(
            f"SELECT '{table}' AS t, count(*) AS n, sum(hash({cols})) AS h "  # noqa: S608
            f"FROM read_parquet('{path}')"
        )
    sql = " UNION ALL ".join(parts)
    con = duckdb.connect()
    found: list = []

    def once() -> None:
        found[:] = con.execute(sql).fetchall()

    result = _timed(opts.runs, once)
    rows_read = sum(int(n) for _, n, _ in found)
    return {**result, "rows_read": rows_read, "columns": used}


def child_pandas(opts: argparse.Namespace) -> dict[str, Any]:
    """Three headline metrics for every unit, in plain pandas; checked against the engine."""
    import pandas as pd

    folder = Path(opts.parquet)
    found: dict[str, dict[str, list[float]]] = {}

    def once() -> None:
        found.clear()
        found.update(pandas_headline(pd, folder, opts.top))

    result = _timed(opts.runs, once)
    compared = mismatches = 0
    if opts.dump and Path(opts.dump).exists():
        engine = json.loads(Path(opts.dump).read_text())
        for code, metrics in engine.items():
            for metric, (num, den) in metrics.items():
                mine = found.get(code, {}).get(metric)
                compared += 1
                theirs = [float(x) if x != "None" else 0.0 for x in (num, den)]
                if mine is None or [float(x) for x in mine] != theirs:
                    mismatches += 1
    return {**result, "units": len(found), "compared": compared, "mismatches": mismatches}


def pandas_headline(pd: Any, folder: Path, top: str) -> dict[str, dict[str, list[float]]]:
    """{unit code: {metric: [numerator, denominator]}} for the top unit and all below it.

    The rules as the programme office would read them from the plan: batches of the counted
    types and departments in 2021 per 1,000 residents (2021 population); evaluation batches with
    a conclusion, and those conforming; food complaints received in 2021 whose outcome is known
    at the year's end, and those handled on time.
    """
    units = pd.read_parquet(folder / "orgunits_orgunit.parquet")
    people = pd.read_parquet(folder / "orgunits_population.parquet")
    batches = pd.read_parquet(folder / "sampling_samplingbatch.parquet")
    complaints = pd.read_parquet(folder / "complaints_complaint.parquet")
    start, end = pd.Timestamp("2021-01-01"), pd.Timestamp("2021-12-31")

    widths = {level: sum(LEVEL_WIDTHS[:level]) for level in range(1, 6)}
    units["prefix"] = [c[: widths[lv]] for c, lv in zip(units.code, units.level, strict=True)]
    top_prefix = units.loc[units.code == top, "prefix"].iloc[0]
    units = units[units.code.str.startswith(top_prefix)]
    people = people[people.year == 2021].set_index("org_unit_code").resident_population

    def per_prefix(frame: Any, mask: Any) -> dict[str, float]:
        """Rows where ``mask`` holds, counted for every unit's prefix."""
        codes = frame.loc[mask, "org_unit_code"]
        out: dict[str, float] = {}
        for width in sorted(set(units.prefix.str.len())):
            out.update(codes.str[:width].value_counts().astype(float).to_dict())
        return out

    sampled = pd.to_datetime(batches.sampled_on)
    in_2021 = sampled.between(start, end)
    counted = (
        in_2021
        & batches.sampling_type.isin(["surveillance", "evaluation", "risk_monitoring"])
        & batches.department.isin(["market_regulation", "agriculture"])
    )
    n_batches = per_prefix(batches, counted)
    decided = in_2021 & (batches.sampling_type == "evaluation") & (batches.conclusion != "pending")
    n_decided = per_prefix(batches, decided)
    n_conforming = per_prefix(batches, decided & (batches.conclusion == "conforming"))

    c = complaints
    received = pd.to_datetime(c.received_on)
    decided_on = pd.to_datetime(c.decided_on)
    closed_on = pd.to_datetime(c.closed_on)
    accept_due = pd.to_datetime(c.acceptance_due_on)
    close_due = pd.to_datetime(c.closing_due_on)
    cohort = received.between(start, end) & (c.kind == "complaint") & c.is_food.fillna(False)
    is_decided = decided_on.notna() & (decided_on <= end)
    refused = is_decided & (c.decision == "refused")
    accepted = is_decided & (c.decision == "accepted")
    closed = accepted & closed_on.notna() & (closed_on <= end)
    decided_in_time = decided_on <= accept_due
    overdue = (~is_decided & (accept_due < end)) | (
        accepted & ~closed & close_due.notna() & (close_due < end)
    )
    known = refused | closed | overdue | (accepted & ~decided_in_time)
    on_time = (refused & decided_in_time) | (closed & decided_in_time & (closed_on <= close_due))
    n_known = per_prefix(c, cohort & known)
    n_on_time = per_prefix(c, cohort & on_time)

    out = {}
    for code, prefix in zip(units.code, units.prefix, strict=True):
        out[code] = {
            "sampling_per_thousand": [n_batches.get(prefix, 0.0), float(people.get(code, 0))],
            "evaluation_pass_rate": [n_conforming.get(prefix, 0.0), n_decided.get(prefix, 0.0)],
            "complaint_on_time_rate": [n_on_time.get(prefix, 0.0), n_known.get(prefix, 0.0)],
        }
    return out


if __name__ == "__main__":
    main()
