"""Benchmark: import N sampling rows from .xlsx on SQLite; rows per second and peak memory.

For each size (default 10,000, 50,000 and 100,000 rows) it writes an .xlsx of the ``sampling``
ledger (xlsxwriter, constant memory), then runs each import as a separate process on a fresh
copy of a prepared SQLite database (migrated, with the org units and 500 businesses the rows
reference), RUNS times (default 5):

- **first**: every row is new (added), with its history row;
- **again**: the same file imported a second time into that database (every row unchanged).

The child times ``ledger_import`` itself (Django start-up excluded) and the parent reads the
child's peak resident memory from ``os.wait4``. "base" is the peak of a child that starts
Django and imports nothing, so peak − base is what the import itself costs. Medians are printed.
One more first import per size runs under ``tracemalloc`` (not timed): "py MiB" is the peak of
Python's own allocations, without what python-calamine holds in Rust for the open sheet.

    .venv/bin/python benchmarks/imports.py [--runs 5] [--sizes 10000,50000,100000]
        [--strings shared|inline]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DISTRICT = "120101000000"
SUBS = [f"120101{n:03d}000" for n in range(1, 11)]
BUSINESSES = 500
HEADER = [
    "抽样单编号",
    "抽样日期",
    "区划代码",
    "登记编号",
    "抽检类型",
    "环节",
    "业态",
    "食品大类",
    "样品名称",
    "组织部门",
    "检验结论",
    "报告日期",
    "公开日期",
    "核查处置完成日期",
]


def _django(tmp: Path) -> None:
    os.environ["FOODSAFE_VAR_DIR"] = str(tmp)
    # As in production: with DEBUG on, Django keeps every query and re-runs each statement's
    # parameters through SQLite to log it.
    os.environ["FOODSAFE_DEBUG"] = "0"
    os.environ["FOODSAFE_SECRET_KEY"] = "benchmark-only-not-a-secret"  # noqa: S105 (a throwaway DB)
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foodsafe.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(tmp: Path) -> None:
    """Migrate the database and add the org units and businesses the rows reference."""
    _django(tmp)
    from django.core.management import call_command

    from foodsafe.orgunits.models import OrgUnit
    from foodsafe.registry.models import FoodBusiness

    call_command("migrate", "--noinput", verbosity=0)
    OrgUnit.objects.create(code="120000000000", name="天津市（基准）", level=1)
    OrgUnit.objects.create(
        code="120100000000", name="市辖区（基准）", level=2, parent_id="120000000000"
    )
    OrgUnit.objects.create(code=DISTRICT, name="和平区（基准）", level=3, parent_id="120100000000")
    for code in SUBS:
        OrgUnit.objects.create(
            code=code, name=f"街道{code[6:9]}（基准）", level=4, parent_id=DISTRICT
        )
    FoodBusiness.objects.bulk_create(
        FoodBusiness(
            registry_number=f"B{n:05d}",
            name=f"基准经营者{n}",
            sector="sales",
            business_format="supermarket",
            org_unit_id=SUBS[n % len(SUBS)],
        )
        for n in range(BUSINESSES)
    )


def write_file(path: Path, rows: int, strings: str = "shared") -> None:
    """An .xlsx with ``rows`` sampling rows: dates as date cells, enumerations as labels.

    ``strings="shared"`` stores text in the shared-strings table, as Excel saves a workbook;
    ``"inline"`` writes it in the cells (XlsxWriter's constant-memory mode, as some exports do).
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": strings == "inline"})
    sheet = workbook.add_worksheet("抽检批次")
    dates = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, HEADER)
    start = date(2021, 1, 4)
    types = ["监督抽检", "评价性抽检", "风险监测"]
    stages = ["流通", "餐饮", "生产"]
    formats = ["超市", "食杂店", "餐馆"]
    foods = ["蔬菜", "水产品", "粮食加工品", "肉制品"]
    for n in range(rows):
        r = n + 1
        sampled = start + timedelta(days=n % 300)
        sheet.write_string(r, 0, f"DC21{n:08d}")
        sheet.write_datetime(r, 1, sampled, dates)
        sheet.write_string(r, 2, SUBS[n % len(SUBS)])
        sheet.write_string(r, 3, f"B{n % BUSINESSES:05d}")
        sheet.write_string(r, 4, types[n % 3])
        sheet.write_string(r, 5, stages[n % 3])
        sheet.write_string(r, 6, formats[n % 3])
        sheet.write_string(r, 7, foods[n % 4])
        sheet.write_string(r, 8, f"样品{n % 97}")
        sheet.write_string(r, 9, "市场监管部门")
        sheet.write_string(r, 10, "不合格" if n % 50 == 0 else "合格")
        sheet.write_datetime(r, 11, sampled + timedelta(days=10), dates)
        sheet.write_datetime(r, 12, sampled + timedelta(days=20), dates)
        if n % 50 == 0:
            sheet.write_datetime(r, 13, sampled + timedelta(days=30), dates)
    workbook.close()


def child(tmp: Path, path: Path | None, trace: bool = False) -> None:
    """In the child: import ``path`` as sampling (or nothing) and print what it did as JSON."""
    _django(tmp)
    if path is None:
        print(json.dumps({"seconds": 0.0}))
        return
    from foodsafe.imports.services import ledger_import

    if trace:
        import tracemalloc

        tracemalloc.start()
    start = time.perf_counter()
    result = ledger_import(ledger="sampling", path=path)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] if trace else 0
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": result.rows,
                "added": result.added,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "traced": traced,
            }
        )
    )


def run_child(tmp: Path, path: Path | None, trace: bool = False) -> tuple[dict, int]:
    """Run ``child`` in a fresh interpreter; return its JSON and its peak RSS in KiB."""
    args = [PYTHON, __file__, "--trace" if trace else "--child", str(tmp)]
    if path is not None:
        args.append(str(path))
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"child failed: {' '.join(args)}\n{err.decode()}")
    return json.loads(out.decode().strip().splitlines()[-1]), usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument(
        "--strings",
        choices=["shared", "inline"],
        default="shared",
        help="text in the shared-strings table (as Excel saves) or inline in the cells",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--trace", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", help=argparse.SUPPRESS)
    parser.add_argument("--write", nargs=3, help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.write:
        write_file(Path(opts.write[0]), int(opts.write[1]), opts.write[2])
        return
    if opts.child or opts.trace:
        args = opts.child or opts.trace
        child(Path(args[0]), Path(args[1]) if len(args) > 1 else None, trace=bool(opts.trace))
        return
    if opts.prepare:
        prepare(Path(opts.prepare))
        return
    sizes = [int(s) for s in opts.sizes.split(",")]
    with tempfile.TemporaryDirectory() as work:
        template = Path(work) / "template"
        template.mkdir()
        subprocess.run([PYTHON, __file__, "--prepare", str(template)], check=True)
        _, base_kib = run_child(template, None)
        print(f"base (Django started, no import): peak {base_kib / 1024:.0f} MiB")
        print(f"strings: {opts.strings}")
        print(
            f"{'rows':>8} {'import':<6} {'rows/s':>8} {'seconds':>8} {'peak MiB':>9} "
            f"{'peak-base':>9} {'py MiB':>7} {'xlsx MiB':>8}  (median of {opts.runs})"
        )
        for size in sizes:
            path = Path(work) / f"sampling-{size}.xlsx"
            # In a child process: XlsxWriter holds a shared-strings workbook in memory, and a
            # child forked from a large parent starts with the parent's peak RSS.
            subprocess.run(
                [PYTHON, __file__, "--write", str(path), str(size), opts.strings], check=True
            )
            mib = path.stat().st_size / 2**20
            figures: dict[str, list[tuple[float, int]]] = {"first": [], "again": []}
            for _ in range(opts.runs):
                db = Path(work) / "run"
                shutil.rmtree(db, ignore_errors=True)
                shutil.copytree(template, db)
                for kind, expect in (("first", "added"), ("again", "unchanged")):
                    result, kib = run_child(db, path)
                    assert result[expect] == size, result
                    figures[kind].append((result["seconds"], kib))
            db = Path(work) / "run"
            shutil.rmtree(db, ignore_errors=True)
            shutil.copytree(template, db)
            traced = run_child(db, path, trace=True)[0]["traced"] / 2**20
            for kind, runs in figures.items():
                seconds = statistics.median(s for s, _ in runs)
                peak = statistics.median(k for _, k in runs) / 1024
                print(
                    f"{size:>8} {kind:<6} {size / seconds:>8.0f} {seconds:>8.2f} {peak:>9.0f} "
                    f"{peak - base_kib / 1024:>9.0f} "
                    f"{traced if kind == 'first' else float('nan'):>7.1f} {mib:>8.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
