"""``foodsafe import-fields [LEDGER …] [--write FILE | --check FILE]``: the field reference.

Prints the columns a mapping profile may fill for each ledger (field, header, required, type
and allowed values, synonyms), generated from the ledger definitions; ``--write`` writes it
(docs/import-fields.md is written so), ``--check`` fails when the file differs.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.imports.field_reference import DOC_PATH, field_reference
from foodsafe.imports.ledgers import LEDGERS


class Command(BaseCommand):
    help = (
        "列出台账字段（字段名、表头、必填、类型和可选值、同义表头），供编写映射配置使用。"
        " / The ledger field reference for profile writers, from the ledger definitions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("ledgers", nargs="*", help="台账名（默认全部）/ ledger names")
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--write", type=Path, metavar="FILE", help=f"写入文件（如 {DOC_PATH}）")
        target.add_argument("--check", type=Path, metavar="FILE", help="文件与台账定义不一致时失败")

    def handle(self, *args, **options) -> None:
        unknown = [n for n in options["ledgers"] if n not in LEDGERS]
        if unknown:
            raise CommandError(f"未知台账 {', '.join(unknown)}；可用：{', '.join(LEDGERS)}")
        text = field_reference(options["ledgers"] or None)
        if options["write"]:
            options["write"].write_text(text, encoding="utf-8")
            self.stdout.write(f"已写入 {options['write']}")
        elif options["check"]:
            try:
                current = options["check"].read_text(encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"无法读取 {options['check']}：{exc.strerror}") from exc
            if current != text:
                raise CommandError(
                    f"{options['check']} 与台账定义不一致；请运行 "
                    f"foodsafe import-fields --write {options['check']}"
                )
            self.stdout.write(f"{options['check']} 与台账定义一致")
        else:
            self.stdout.write(text, ending="")
