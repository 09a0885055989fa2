"""``foodsafe import-dir DIR``: import the ledger files listed in DIR/manifest.json, all or none.

Every file is validated, even after one fails, and all their errors are reported together."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from foodsafe.imports.errors import ImportValidationError
from foodsafe.imports.services import directory_import

from ._common import add_scope_arguments, report_errors, scope_actor


class Command(BaseCommand):
    help = (
        "按 manifest.json 的顺序导入目录中的全部台账文件，在同一事务中：任一文件出错则全部不写入。"
        " / Import every file listed in DIR/manifest.json in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="目录 / directory with manifest.json")
        add_scope_arguments(parser)

    def handle(self, *args, **options) -> None:
        try:
            results = directory_import(
                directory=options["directory"],
                actor=scope_actor(options),
                for_unit=options["for_unit"],
            )
        except ImportValidationError as exc:
            report_errors(self, exc, verbosity=options["verbosity"])
        for result in results:
            self.stdout.write(result.summary())
        total = sum(r.rows for r in results)
        self.stdout.write(f"完成：{len(results)} 个文件，共 {total} 行")
