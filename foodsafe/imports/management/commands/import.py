"""``foodsafe import LEDGER FILE [--dry-run] [--sheet NAME]``: import one ledger file."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.services import ledger_import

from ._common import report_errors


class Command(BaseCommand):
    help = (
        "导入一个台账文件（.xlsx/.xls/.csv）：先校验全部行，有任何错误则逐行列出并不写入。"
        " / Import one ledger file; all rows or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledger", choices=sorted(LEDGERS), help="台账名 / ledger name")
        parser.add_argument("file", type=Path, help="文件路径 / file to import")
        parser.add_argument("--sheet", default=None, help="工作表名（默认第一个）/ worksheet name")
        parser.add_argument(
            "--dry-run", action="store_true", help="只校验和计数，不写入 / validate and count only"
        )

    def handle(self, *args, **options) -> None:
        try:
            result = ledger_import(
                ledger=options["ledger"],
                path=options["file"],
                dry_run=options["dry_run"],
                sheet=options["sheet"],
            )
        except ImportValidationError as exc:
            report_errors(self, exc)
        self.stdout.write(result.summary())
