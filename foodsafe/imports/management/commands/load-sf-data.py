"""``foodsafe load-sf-data [--dir PATH] [--rejects FILE] [--dry-run]``: the real SF data.

Creates the org unit 990000000000 (San Francisco, real public data) and its 2017 population,
and imports businesses.csv, inspections.csv and violations.csv through the ``sf_health``
mapping profile in one transaction. Rows the profile sets aside are counted by reason; each
is listed with ``-v 2`` or written to ``--rejects``. Without ``--dir`` the folder is
``$FOODSAFE_SF_DATA_DIR``, else shared/data/sf-health-inspections beside the clone, under the
current directory or its parent, the first that holds the files (CSV: file, row, ledger, reason).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.profiles.sf_data import SF_CODE, load_sf_data

from ._common import report_errors


class Command(BaseCommand):
    help = (
        "建立旧金山（真实公开数据）区划单位和2017年人口，并按 sf_health 映射配置导入"
        " businesses/inspections/violations 三个文件（同一事务）。"
        " / Load the real San Francisco inspection data under its own org unit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="数据目录；默认依次查找 $FOODSAFE_SF_DATA_DIR、克隆目录旁、当前目录下的 "
            "shared/data/sf-health-inspections / data directory",
        )
        parser.add_argument(
            "--rejects", type=Path, default=None, help="未导入行清单 CSV / write rejected rows"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="导入后回滚 / import, then roll back"
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            load = load_sf_data(options["dir"], dry_run=options["dry_run"])
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        except ImportValidationError as exc:
            report_errors(self, exc, verbosity=options["verbosity"])
        for result in load.results:
            self.stdout.write(result.summary())
            for line in result.step_lines():
                self.stdout.write(f"  {line}")
        if options["verbosity"] >= 2:
            for rejected in load.rejected:
                self.stdout.write(f"另列 {rejected}")
        if options["rejects"]:
            with options["rejects"].open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["file", "row", "ledger", "check", "reason"])
                for r in load.rejected:
                    writer.writerow([r.file, r.row, r.ledger, r.check, r.reason])
            self.stdout.write(f"另列的行清单：{options['rejects']}")
        note = "（试运行，已回滚）" if options["dry_run"] else ""
        seconds = time.perf_counter() - started
        rows = sum(result.rows_read for result in load.results)
        self.stdout.write(
            f"完成{note}：区划 {SF_CODE}，经营者 {load.count('businesses')}，"
            f"检查 {load.count('inspections')}，发现问题 {load.count('findings')}，"
            f"按配置规则另列 {len(load.rejected)} 行（各有原因），"
            f"用时 {seconds:.1f} 秒（读取 {rows / max(seconds, 1e-6):,.0f} 行/秒）"
        )
