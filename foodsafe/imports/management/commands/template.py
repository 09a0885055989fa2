"""``foodsafe template LEDGER [--out FILE]`` / ``foodsafe template --all --out DIR``."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from foodsafe.imports.ledgers import LEDGERS
from foodsafe.imports.templates import ledger_template, write_templates


class Command(BaseCommand):
    help = (
        "生成台账导入模板（.xlsx：中文表头、下拉选项、填写示例、说明）。"
        " / Write the .xlsx import template of a ledger, or of every ledger with --all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "ledger", nargs="?", choices=sorted(LEDGERS), help="台账名 / ledger name"
        )
        parser.add_argument(
            "--all", action="store_true", help="全部台账，写到 --out 目录 / every ledger"
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=None,
            help="输出文件（--all 时为目录）；默认 LEDGER.xlsx / output file, or directory",
        )

    def handle(self, *args, **options) -> None:
        ledger, out = options["ledger"], options["out"]
        if options["all"]:
            if ledger is not None:
                raise CommandError("--all 与台账名不能同时使用 / give a ledger or --all, not both")
            if out is None:
                raise CommandError("--all 需要 --out 目录 / --all needs --out DIR")
            if out.exists() and not out.is_dir():
                raise CommandError(f"{out} 不是目录 / is not a directory")
            try:
                paths = write_templates(out)
            except OSError as exc:
                raise CommandError(f"无法写入 {out}：{exc.strerror}") from exc
            for path in paths:
                self.stdout.write(str(path))
            return
        if ledger is None:
            raise CommandError("请给出台账名或 --all / give a ledger name or --all")
        path = out if out is not None else Path(f"{ledger}.xlsx")
        if path.is_dir():
            path = path / f"{ledger}.xlsx"
        try:
            path.write_bytes(ledger_template(ledger))
        except OSError as exc:
            raise CommandError(f"无法写入 {path}：{exc.strerror}") from exc
        self.stdout.write(str(path))
