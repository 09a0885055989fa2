"""``foodsafe generate --population N --seed S``: a synthetic jurisdiction (合成辖区).

All logic lives in ``foodsafe.synthetic`` (this command only parses and prints). The command sits
in the scorecard app because Django finds commands only in installed apps.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from foodsafe.synthetic.services import synthetic_generate
from foodsafe.synthetic.writer import JurisdictionExists


class Command(BaseCommand):
    help = (
        "生成合成辖区的全部台账（确定性，比例见 foodsafe/synthetic/ratios.py）。Generate a "
        "deterministic synthetic jurisdiction of N residents: a district (≤ 2 M), a city "
        "(≤ 25 M) or a province, with every ledger, in the database and optionally as Parquet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--population", type=int, required=True, help="常住人口 N (≥ 1000)")
        parser.add_argument("--seed", type=int, default=1, help="随机种子 (default 1)")
        parser.add_argument("--name", default=None, help="辖区名称 (default 合成区<N>-<seed>)")
        parser.add_argument(
            "--replace", action="store_true", help="先删除同名的合成辖区 (only its code prefix)"
        )
        parser.add_argument("--parquet", default=None, help="也导出 Parquet 到此目录")

    def handle(self, *args, **options):
        if options["population"] < 1000:
            raise CommandError("--population must be at least 1000")
        if options["seed"] < 0:
            raise CommandError("--seed must not be negative")
        verbose = options["verbosity"] >= 2
        try:
            report = synthetic_generate(
                population=options["population"],
                seed=options["seed"],
                name=options["name"],
                replace=options["replace"],
                parquet_dir=Path(options["parquet"]) if options["parquet"] else None,
                progress=(lambda msg: self.stderr.write(msg)) if verbose else None,
            )
        except JurisdictionExists as exc:
            raise CommandError(str(exc)) from exc
        total = report.total_rows
        seconds = sum(report.seconds.values())
        self.stdout.write(
            f"{report.name}（合成） {report.code} [{report.shape}] population {report.population} "
            f"seed {report.seed}: {total} rows in {seconds:.1f}s "
            f"({total / max(seconds, 1e-9):,.0f} rows/s; "
            + ", ".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
            + (f"; replaced {report.deleted} rows" if report.deleted else "")
            + ")"
        )
        for table, n in report.rows.items():
            self.stdout.write(f"  {table:40} {n:>10}")
